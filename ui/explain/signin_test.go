package explain

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

func TestSignInNeededIsWordedOnEverySurface(t *testing.T) {
	needed := &tokens.SignInNeededError{Profile: "me", Cause: &tokens.ServerError{Status: 400, Code: "invalid_grant", Description: "token revoked"}}
	for _, c := range []struct {
		name string
		ps   tokens.ProfileState
		sev  Severity
		tray string
	}{
		{"no token left", tokens.ProfileState{Profile: profileNamed("me"), LastError: needed, Stopped: true}, SeverityBad, "sign-in needed"},
		{"a valid token left", func() tokens.ProfileState {
			ps := stateAt("me", t0.Add(-10*time.Minute), time.Hour)
			ps.LastError, ps.Stopped = needed, true
			return ps
		}(), SeverityWarn, "50 min, sign-in needed"},
	} {
		s := Describe(&c.ps, t0)
		if s.Status != tokens.StatusSignInNeeded || s.Word != "sign-in needed" || s.Severity != c.sev || s.Tray != c.tray || s.Status.String() != "sign-in-needed" {
			t.Errorf("%s: %+v", c.name, s)
		}
	}
}

func TestSignInNeededSaysTheCommand(t *testing.T) {
	for name, want := range map[string]string{"me": "tokentray login me", "my api": `tokentray login 'my api'`, "it's": `tokentray login 'it'\''s'`} {
		msg, ok := SignInNeeded(&tokens.SignInNeededError{Profile: name})
		if !ok || !strings.HasSuffix(msg, "Run: "+want) {
			t.Errorf("%q: %q", name, msg)
		}
	}
	msg, _ := SignInNeeded(&tokens.SignInNeededError{Profile: "me", Cause: &tokens.ServerError{Status: 400, Code: "invalid_grant", Description: "revoked\x1b[2J"}})
	if !strings.Contains(msg, "invalid_grant: revoked") || strings.ContainsRune(msg, 0x1b) {
		t.Errorf("with the refusal: %q", msg)
	}
	if _, ok := SignInNeeded(&tokens.ServerError{Code: "invalid_client"}); ok {
		t.Error("another error worded as sign-in needed")
	}
}

func TestTheAppSaysWhereToSignIn(t *testing.T) {
	msg := Background(&tokens.SignInNeededError{Profile: "me"})
	if !strings.Contains(msg, "tokentray login me") || !strings.Contains(msg, "Sign in…") || strings.Contains(msg, "permanent error") {
		t.Errorf("%q", msg)
	}
}

// TestIDTokenErrorsAreWorded: each failed ID token check says what was
// wrong in words, the check's cause after it (not instead of it).
func TestIDTokenErrorsAreWorded(t *testing.T) {
	for check, want := range map[tokens.IDTokenCheck]string{
		tokens.IDTokenMissing: "sent no ID token", tokens.IDTokenMalformed: "not a well-formed JWT", tokens.IDTokenIssuer: "not issued by the profile's issuer",
		tokens.IDTokenSignature: "not signed by a key of the issuer", tokens.IDTokenAudience: "issued to another client",
		tokens.IDTokenNonce: "does not carry this sign-in's nonce", tokens.IDTokenExpired: "has expired",
	} {
		err := fmt.Errorf("profile %q: %w", "me", &tokens.IDTokenError{Check: check})
		if got := Error(err); !strings.Contains(got, want) || !strings.HasPrefix(got, "the sign-in was refused") {
			t.Errorf("%s: %q", check, got)
		}
	}
	err := &tokens.IDTokenError{Check: tokens.IDTokenSignature, Err: &tokens.ServerError{Status: 500}}
	if got := Error(err); !strings.HasPrefix(got, "the sign-in was refused: its ID token is not signed") || !strings.Contains(got, "500") {
		t.Errorf("with a cause: %q", got)
	}
	// A refresh's ID token (OpenID Connect Core §12.2): the refresh is
	// refused, and the last token stays.
	for check, want := range map[tokens.IDTokenCheck]string{
		tokens.IDTokenSubject: "names another person than the one signed in", tokens.IDTokenAuthTime: "another sign-in than this one",
		tokens.IDTokenIssuer: "not issued by the profile's issuer",
	} {
		got := Error(&tokens.IDTokenError{Check: check, Refresh: true})
		if !strings.HasPrefix(got, "the refresh was refused: ") || !strings.Contains(got, want) || !strings.Contains(got, "the last token stays") {
			t.Errorf("refresh, %s: %q", check, got)
		}
	}
}

// TestNoBrowserHereNamesTheProfileAndWhatTheDeviceGrantNeeds: the
// suggestion is a command to paste, with the profile's own name quoted,
// and the device endpoint only when the profile discovers none.
func TestNoBrowserHereNamesTheProfileAndWhatTheDeviceGrantNeeds(t *testing.T) {
	got := NoBrowserHere("my api", false)
	if !strings.Contains(got, "tokentray edit 'my api' --grant device_code --device-authorization-url URL; then tokentray login 'my api'") {
		t.Errorf("without an issuer: %q", got)
	}
	got = NoBrowserHere("idp\x1b[2J", true)
	if !strings.Contains(got, "tokentray edit idp --grant device_code; then tokentray login idp") {
		t.Errorf("with an issuer: %q", got)
	}
}

// A profile's name keeps its case where the message starts a sentence
// ("Dev needs you to sign in again" read as another profile).
func TestSignInNeededKeepsTheNamesCase(t *testing.T) {
	msg, ok := SignInNeeded(&tokens.SignInNeededError{Profile: "dev"})
	if got := Sentence(msg); !ok || !strings.Contains(got, " dev") || strings.Contains(got, "Dev") {
		t.Errorf("%q", got)
	}
}

// TestADeviceSignInsEndIsNoFaultOfTheProfile: declined or expired, the
// person signs in again; the server's refusal it wraps is not worded as
// a permanent fault of the profile.
func TestADeviceSignInsEndIsNoFaultOfTheProfile(t *testing.T) {
	for sentinel, want := range map[error]string{
		tokens.ErrDeviceDenied:  "the sign-in was declined on the other device",
		tokens.ErrDeviceExpired: "the code expired before anyone signed in with it",
	} {
		err := fmt.Errorf("%w: %w", sentinel, &tokens.ServerError{Status: 400, Code: "access_denied"})
		for _, got := range []string{Error(err), Command(err)} {
			if !strings.HasPrefix(got, want) || !strings.Contains(got, "sign in again") || strings.Contains(got, "permanent") || strings.Contains(got, "oauth:") {
				t.Errorf("%v: %q", sentinel, got)
			}
		}
	}
}

// A browser sign-in that timed out says how many answers it refused for
// their state (a page that found the port, or another attempt's tab).
func TestASignInTimeoutSaysWhatItRefused(t *testing.T) {
	for refused, want := range map[int]string{
		0: "nobody completed the sign-in in a browser within 3 min; nothing was kept",
		1: "nobody completed the sign-in in a browser within 3 min; nothing was kept; 1 answer that did not belong to this sign-in (another attempt's, or forged) was refused",
		2: "; 2 answers that did not belong to this sign-in (another attempt's, or forged) were refused",
	} {
		got := Error(&tokens.SignInTimeoutError{After: 3 * time.Minute, Refused: refused, Err: context.DeadlineExceeded})
		if !strings.Contains(got, want) || (refused == 0 && strings.Contains(got, "refused")) {
			t.Errorf("%d refused: %q", refused, got)
		}
	}
}

// No one signed in (never, or signed out on purpose) is not a failure: a
// neutral "not signed in", where a session that ended is a red
// "sign-in needed". Both say the command that signs in.
func TestNotSignedInIsNeutralAndASessionThatEndedIsNot(t *testing.T) {
	never := tokens.ProfileState{Profile: profileNamed("me"), LastError: &tokens.SignInNeededError{Profile: "me"}, Stopped: true, FailureStreak: 1}
	s := Describe(&never, t0)
	if s.Status != tokens.StatusNotSignedIn || s.Status.String() != "not-signed-in" || s.Word != "not signed in" || s.Mark != "○" ||
		s.Severity != SeverityOK || s.Tray != "not signed in" || s.Detail != "not signed in" || s.Header != "Not signed in" {
		t.Errorf("never signed in: %+v", s)
	}
	ended := tokens.ProfileState{Profile: profileNamed("me"), LastError: &tokens.SignInNeededError{Profile: "me", Reason: tokens.ReasonSessionEnded}, Stopped: true}
	if s := Describe(&ended, t0); s.Status != tokens.StatusSignInNeeded || s.Word != "sign-in needed" || s.Mark != "✗" || s.Severity != SeverityBad {
		t.Errorf("session ended: %+v", s)
	}
	for err, why := range map[error]string{
		&tokens.SignInNeededError{Profile: "me"}:                                    "no one is signed in",
		&tokens.SignInNeededError{Profile: "me", Reason: tokens.ReasonSessionEnded}: "its session ended",
	} {
		if msg, ok := SignInNeeded(err); !ok || !strings.Contains(msg, why) || !strings.HasSuffix(msg, "Run: tokentray login me") {
			t.Errorf("%v: %q", err, msg)
		}
	}
}

// The tray line says when the session ends once it is within a day (the
// details always show it); a session past its end says so.
func TestTheTrayLineSaysWhenTheSessionEnds(t *testing.T) {
	issued := t0.Add(-18 * time.Minute) // 42 min left
	for _, c := range []struct {
		name          string
		ends          time.Time
		tray, session string
		sev           Severity
	}{
		{"unknown", time.Time{}, "42 min", "", SeverityOK},
		{"in 7 h", t0.Add(7*time.Hour + 30*time.Second), "42 min · session ends in 7 h", "session ends in 7 h", SeverityOK},
		{"in 30 h", t0.Add(30 * time.Hour), "42 min", "", SeverityOK},
		{"ended", t0.Add(-time.Minute), "42 min · session ended", "session ended", SeverityWarn},
	} {
		ps := stateAt("me", issued, time.Hour)
		ps.SessionEnds = c.ends
		s := Describe(&ps, t0)
		if s.Tray != c.tray || s.Session != c.session || s.Severity != c.sev {
			t.Errorf("%s: tray %q, session %q, severity %v", c.name, s.Tray, s.Session, s.Severity)
		}
	}
	// Not while a sign-in is needed: the session is over.
	ps := tokens.ProfileState{Profile: profileNamed("me"), SessionEnds: t0.Add(time.Hour),
		LastError: &tokens.SignInNeededError{Profile: "me", Reason: tokens.ReasonSessionEnded}}
	if s := Describe(&ps, t0); s.Session != "" || s.Tray != "sign-in needed" {
		t.Errorf("sign-in needed: tray %q, session %q", s.Tray, s.Session)
	}
}

// A refresh refused for its ID token needs a sign-in: the words say why
// (the ID token's check, not a refused refresh token) and the command.
func TestASignInNeededForARefreshsIDTokenSaysWhy(t *testing.T) {
	err := &tokens.SignInNeededError{Profile: "me", Reason: tokens.ReasonSessionEnded,
		Cause: &tokens.IDTokenError{Check: tokens.IDTokenSubject, Refresh: true}}
	msg, _ := SignInNeeded(err)
	for _, got := range []string{msg, Background(err)} {
		if !strings.HasPrefix(got, "sign-in needed for me: the refresh was refused: its ID token names another person") ||
			!strings.Contains(got, "Run: tokentray login me") || strings.Contains(got, "no longer accepts") || strings.Contains(got, "temporary") {
			t.Errorf("%q", got)
		}
	}
}

// An ID token that could not be checked (the issuer's keys did not
// answer) is worded as that, not as a token that failed a check.
func TestAnUncheckedIDTokenIsWordedAsAnOutage(t *testing.T) {
	err := &tokens.IDTokenError{Check: tokens.IDTokenSignature, Refresh: true, Unchecked: true, Err: &tokens.ServerError{Status: 503}}
	got := Error(err)
	if !strings.Contains(got, "could not be checked: the issuer's metadata or keys did not answer") || strings.Contains(got, "not signed by a key") {
		t.Errorf("%q", got)
	}
}

// A refresh token the server refused, worded by Error (the details'
// "Refresh failed: …" line), says sign-in needed and the command, never
// the client credentials grant (the screenshot of a sign-in needed
// profile said "the server does not accept the client credentials grant
// from this client"; the test failed first).
func TestARefusedRefreshTokenIsWordedAsASignInEverywhere(t *testing.T) {
	err := fmt.Errorf("refreshing: %w", &tokens.SignInNeededError{Profile: "demo-device", Reason: tokens.ReasonSessionEnded,
		Cause: &tokens.ServerError{Status: 400, Code: "invalid_grant", Description: "the refresh token is unknown, spent or expired"}})
	got := Error(err)
	if !strings.HasPrefix(got, "sign-in needed for demo-device") || strings.Contains(got, "client credentials") || !strings.Contains(got, "tokentray login demo-device") {
		t.Errorf("%q", got)
	}
	// A code redeemed too late is no client credentials matter either.
	if got := Error(&tokens.ServerError{Status: 400, Code: "invalid_grant"}); strings.Contains(got, "does not accept the client credentials grant") {
		t.Errorf("invalid_grant: %q", got)
	}
}
