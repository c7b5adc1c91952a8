package explain

import (
	"errors"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

func stateAt(name string, issued time.Time, life time.Duration) tokens.ProfileState {
	tok := &tokens.Token{AccessToken: "A", TokenType: "Bearer", IssuedAt: issued, ExpiresAt: issued.Add(life), ExpirySource: tokens.ExpiryFromExpiresIn}
	return tokens.ProfileState{Profile: profileNamed(name), Token: tok, LastRefresh: issued, LastAttempt: issued, NextRefresh: tok.ExpiresAt.Add(-5 * time.Minute)}
}

func profileNamed(name string) tokens.Profile {
	return tokens.Profile{Name: name, TokenURL: "https://auth.example.com/token", ClientID: name + "-client", ClientSecret: "s3cret"}.Normalized()
}

// TestDescribe holds the one decision from a profile's state to its words:
// every interface's text and the severity, case by case.
func TestDescribe(t *testing.T) {
	issued := t0.Add(-18 * time.Minute) // a 60 min token with 42 min left, refresh due in 37
	permanent := &tokens.ServerError{Status: 401, Code: "invalid_client"}
	transient := errors.New("dial tcp: connection refused")
	with := func(ps tokens.ProfileState, f func(*tokens.ProfileState)) tokens.ProfileState { f(&ps); return ps }

	fresh := stateAt("a", issued, time.Hour)
	expired := with(stateAt("a", t0.Add(-2*time.Hour), time.Hour), func(ps *tokens.ProfileState) { ps.NextRefresh = time.Time{} })
	expiring := stateAt("a", t0.Add(-57*time.Minute), time.Hour)
	none := tokens.ProfileState{Profile: profileNamed("a")}
	manual := func(ps *tokens.ProfileState) { ps.Profile.ManualRefresh, ps.NextRefresh = true, time.Time{} }
	failing := func(err error, stopped bool) func(*tokens.ProfileState) {
		return func(ps *tokens.ProfileState) {
			ps.LastError, ps.FailureStreak, ps.Stopped, ps.LastAttempt = err, 2, stopped, t0
		}
	}

	for _, tc := range []struct {
		name                                        string
		ps                                          tokens.ProfileState
		word, mark, countdown, tray, detail, header string
		sev                                         Severity
	}{
		{"fresh", fresh, "fresh", "●", "42:00", "42 min", "fresh · refresh in 37 min", "42:00 left", SeverityOK},
		{"fresh, auto-refresh off", with(fresh, manual), "fresh", "●", "42:00", "42 min", "fresh · auto-refresh off", "42:00 left", SeverityOK},
		{"fresh, refresh failing", with(fresh, failing(transient, false)), "fresh", "●", "42:00", "42 min, refresh failing", "refresh failing, retrying", "42:00 left · refresh failing, retrying", SeverityWarn},
		{"refreshing", with(fresh, func(ps *tokens.ProfileState) { ps.Refreshing = true }), "refreshing", "↻", "42:00", "42 min, refreshing…", "refreshing…", "42:00 left · refreshing…", SeverityOK},
		{"first fetch", with(none, func(ps *tokens.ProfileState) { ps.Refreshing = true }), "refreshing", "↻", "—", "fetching a token…", "fetching a token…", "Fetching a token…", SeverityOK},
		{"expiring, retries pending", with(expiring, failing(transient, false)), "expiring soon", "⚠", "3:00", "3 min, refresh failing", "expiring soon · refresh failing", "3:00 left · expiring soon · refresh failing", SeverityWarn},
		{"expiring, auto-refresh off", with(expiring, manual), "expiring soon", "⚠", "3:00", "3 min, expiring soon", "expiring soon", "3:00 left · expiring soon", SeverityOK},
		{"failed, token still valid", with(fresh, failing(permanent, true)), "refresh failed", "✗", "42:00", "42 min, refresh failed", "refresh failed · stopped", "42:00 left · refresh failed · stopped", SeverityWarn},
		{"failed without a token", with(none, failing(permanent, true)), "refresh failed", "✗", "—", "refresh failed", "refresh failed · stopped", "Refresh failed · stopped", SeverityBad},
		{"expired", expired, "expired", "✗", "—", "expired", "expired 1 h ago", "Expired 1 h ago", SeverityBad},
		{"expired, refresh failing", with(expired, failing(transient, false)), "expired", "✗", "—", "expired, refresh failing", "expired 1 h ago · refresh failing", "Expired 1 h ago · refresh failing", SeverityBad},
		{"expired, refresh stopped", with(expired, failing(permanent, true)), "expired", "✗", "—", "expired, refresh failing", "expired 1 h ago · refresh stopped", "Expired 1 h ago · refresh stopped", SeverityBad},
		{"expired, auto-refresh off", with(expired, manual), "expired", "✗", "—", "expired", "expired 1 h ago", "Expired 1 h ago", SeverityOK},
		{"no token yet", none, "no token yet", "○", "—", "no token yet", "no token yet", "No token yet", SeverityOK},
		{"no token yet, auto-refresh off", with(none, manual), "no token yet", "○", "—", "no token yet", "no token yet · fetched when you copy", "No token yet · fetched when you copy", SeverityOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Describe(&tc.ps, t0)
			for _, f := range []struct{ what, got, want string }{
				{"Word", s.Word, tc.word}, {"Mark", s.Mark, tc.mark}, {"Countdown", s.Countdown, tc.countdown},
				{"Tray", s.Tray, tc.tray}, {"Detail", s.Detail, tc.detail}, {"Header", s.Header, tc.header},
			} {
				if f.got != f.want {
					t.Errorf("%s = %q, want %q", f.what, f.got, f.want)
				}
			}
			if s.Severity != tc.sev {
				t.Errorf("Severity = %d, want %d", s.Severity, tc.sev)
			}
			if s.HasToken != (tc.countdown != "—") {
				t.Errorf("HasToken = %v with countdown %q", s.HasToken, s.Countdown)
			}
		})
	}
}

func TestDescribeFraction(t *testing.T) {
	ps := stateAt("a", t0.Add(-18*time.Minute), time.Hour)
	if s := Describe(&ps, t0); s.Fraction != 0.7 || s.Left != 42*time.Minute {
		t.Errorf("42 of 60 min left: fraction %v, left %v", s.Fraction, s.Left)
	}
	if s := Describe(&ps, t0.Add(2*time.Hour)); s.Fraction != 0 || s.Left != 0 {
		t.Errorf("expired: fraction %v, left %v", s.Fraction, s.Left)
	}
}
