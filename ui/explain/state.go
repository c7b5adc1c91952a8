package explain

import (
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// Severity is how much a profile's state needs attention. The tray's icon
// and the window's colours show it; a higher value is worse.
type Severity int

// The severities, from fine to bad.
const (
	// SeverityOK: fresh, refreshing, or nothing is expected yet (a profile
	// with automatic refresh off is expected to expire).
	SeverityOK Severity = iota
	// SeverityWarn: expiring soon, or refresh failing while a valid token
	// is held.
	SeverityWarn
	// SeverityBad: no usable token although one is expected.
	SeverityBad
)

// State is a profile's state at one moment in the words of every
// interface: the tray, the window's list and details, the picker and the
// command line. Describe makes it; it is a plain value.
type State struct {
	Status   tokens.Status
	Severity Severity
	HasToken bool          // a valid token is held
	Left     time.Duration // what the valid token has left; 0 without one
	Fraction float64       // the share of its lifetime left, 0 to 1

	// Word names the status: "fresh", "expiring soon", "no token yet"
	// (the details' status line, `tokentray list`).
	Word string
	// Mark is one character for the tray menu, so the state reads
	// without colour: ● ↻ ⚠ ✗ ○ (not ✓, which reads as a ticked menu
	// item).
	Mark string
	// Countdown is the live countdown ("41:07"), "—" without a valid token.
	Countdown string
	// Detail is the state in a few words for the window's list and the
	// picker: "fresh · refresh in 37 min", "expired 3 min ago".
	Detail string
	// Header is the details pane's countdown line: "41:07 left",
	// "2:29 left · expiring soon", "Expired 3 min ago".
	Header string
	// Tray is the tray line after the profile's name, at minute
	// granularity: "42 min", "3 min, refresh failing", "expired",
	// "42 min · session ends in 7 h".
	Tray string
	// Session is when the sign-in ends, when that is worth a glance
	// (within SessionSoon, or past): "session ends in 7 h", "session
	// ended"; "" otherwise. The tray line and `tokentray list` add it;
	// the details always show the end itself.
	Session string
}

// Describe words ps at now. It is the one decision from a profile's state
// to what people read about it; pure and safe for concurrent use.
func Describe(ps *tokens.ProfileState, now time.Time) State {
	st := ps.StatusAt(now)
	s := State{Status: st, HasToken: ps.Token.ValidFor(now, time.Nanosecond), Countdown: "—"}
	if s.HasToken {
		s.Left = ps.TimeLeft(now)
		s.Countdown = Countdown(s.Left)
		if life := ps.Token.Lifetime(); life > 0 {
			s.Fraction = min(max(float64(s.Left)/float64(life), 0), 1)
		}
	}
	failing := ps.LastError != nil
	manual := ps.Profile.ManualRefresh
	// note is what the tray adds to the time left (or says instead of it).
	var note string
	switch st {
	case tokens.StatusFresh:
		s.Word, s.Mark, s.Detail = "fresh", "●", "fresh"
		switch {
		case failing:
			s.Severity, note, s.Detail = SeverityWarn, "refresh failing", "refresh failing, retrying"
		case !ps.NextRefresh.IsZero() && ps.NextRefresh.After(now):
			s.Detail = "fresh · refresh in " + Left(ps.NextRefresh.Sub(now))
		case manual:
			s.Detail = "fresh · auto-refresh off"
		}
	case tokens.StatusRefreshing:
		s.Word, s.Mark, note = "refreshing", "↻", "refreshing…"
		if !s.HasToken {
			note = "fetching a token…"
		}
		s.Detail = note
		if failing {
			s.Severity = SeverityWarn
		}
	case tokens.StatusExpiringSoon:
		s.Word, s.Mark, note, s.Detail = "expiring soon", "⚠", "expiring soon", "expiring soon"
		s.Severity = SeverityWarn
		switch {
		case failing:
			note, s.Detail = "refresh failing", "expiring soon · refresh failing"
		case manual:
			s.Severity = SeverityOK // expected: nothing refreshes it
		}
	case tokens.StatusFailed:
		s.Word, s.Mark, note, s.Detail = "refresh failed", "✗", "refresh failed", "refresh failed"
		if ps.Stopped {
			s.Detail += " · stopped"
		}
		s.Severity = SeverityBad
		if s.HasToken {
			s.Severity = SeverityWarn
		}
	case tokens.StatusSignInNeeded:
		// Only a person can mend it: sign in again (signin.go words how).
		s.Word, s.Mark, note, s.Detail = "sign-in needed", "✗", "sign-in needed", "sign-in needed"
		s.Severity = SeverityBad
		if s.HasToken {
			s.Severity = SeverityWarn
		}
	case tokens.StatusNotSignedIn:
		// Never signed in, or signed out on purpose: nothing went wrong.
		s.Word, s.Mark, note, s.Detail = "not signed in", "○", "not signed in", "not signed in"
	case tokens.StatusExpired:
		s.Word, s.Mark, note = "expired", "✗", "expired"
		s.Detail = "expired " + Ago(ps.Token.ExpiresAt, now)
		s.Severity = SeverityBad
		switch {
		case failing && ps.Stopped:
			note, s.Detail = "expired, refresh failing", s.Detail+" · refresh stopped"
		case failing:
			note, s.Detail = "expired, refresh failing", s.Detail+" · refresh failing"
		case manual:
			s.Severity = SeverityOK // expected: nothing refreshes it
		}
	default:
		s.Word, s.Mark, note, s.Detail = "no token yet", "○", "no token yet", "no token yet"
		if manual {
			s.Detail += " · fetched when you copy"
		}
	}
	switch {
	case !s.HasToken:
		s.Tray, s.Header = note, Sentence(s.Detail)
	case note == "":
		s.Tray, s.Header = Left(s.Left), s.Countdown+" left"
	default:
		s.Tray, s.Header = Left(s.Left)+", "+note, s.Countdown+" left · "+s.Detail
	}
	if s.Session = session(ps, st, now); s.Session != "" {
		s.Tray += " · " + s.Session
		if ps.SessionEnds.Before(now) {
			s.Severity = max(s.Severity, SeverityWarn) // the token held is the last
		}
	}
	return s
}

// SessionSoon is how near the end of a sign-in the tray line and
// `tokentray list` start saying when it ends (the details always do).
const SessionSoon = 24 * time.Hour

// session words when ps's sign-in ends, if that is worth a glance at now
// (see State.Session).
func session(ps *tokens.ProfileState, st tokens.Status, now time.Time) string {
	switch {
	case ps.SessionEnds.IsZero(), st == tokens.StatusSignInNeeded, st == tokens.StatusNotSignedIn:
		return ""
	case !ps.SessionEnds.After(now):
		return SessionEnded
	case ps.SessionEnds.Sub(now) <= SessionSoon:
		return SessionEnds(Left(ps.SessionEnds.Sub(now)))
	}
	return ""
}
