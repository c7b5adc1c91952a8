package ui

import (
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// alertKind is what changed about a profile's refreshes.
type alertKind int

const (
	alertFailing      alertKind = iota // a failure streak became worth telling
	alertRecovered                     // a fetch succeeded after a told streak
	alertSignInNeeded                  // a failing streak that needs a person to sign in again
)

// alert is one notification-worthy change between two snapshots.
type alert struct {
	Kind  alertKind
	Name  string
	Err   error         // the failure (alertFailing)
	Token *tokens.Token // the current token, possibly nil
}

// alertsBetween compares two snapshots and returns the failure streaks
// that became worth telling and the told streaks that ended with a
// success, in profile order. It is pure.
//
// A streak is worth telling (failing) once retrying has not fixed it at
// once: from its second failure, or at its first when the error is
// permanent or no valid token is left. So a lone transient failure that the
// first retry fixes stays silent, and so does its recovery. A streak is
// reported once however many retries follow; a streak that restarted
// after an unseen success (latest-wins snapshots may skip one) counts as a
// new streak. prev may be nil (the first snapshot).
func alertsBetween(prev, next *tokens.Snapshot) []alert {
	if next == nil {
		return nil
	}
	var out []alert
	for i := range next.Profiles {
		n := &next.Profiles[i]
		var p *tokens.ProfileState
		if prev != nil {
			p, _ = prev.Find(n.Profile.Name)
		}
		told := p != nil && failing(p, prev.At)
		switch {
		case failing(n, next.At):
			if !told || n.LastRefresh.After(p.LastRefresh) {
				kind := alertFailing
				if n.SignInNeeded() { // a session that ended (failing excludes the others)
					kind = alertSignInNeeded
				}
				out = append(out, alert{Kind: kind, Name: n.Profile.Name, Err: n.LastError, Token: n.Token})
			}
		case told && n.FailureStreak == 0 && n.LastError == nil && n.LastRefresh.After(p.LastRefresh):
			out = append(out, alert{Kind: alertRecovered, Name: n.Profile.Name, Token: n.Token})
		}
	}
	return out
}

// failing reports whether a profile's failure streak is worth telling at
// time at (see alertsBetween). A profile no one is signed in to (never,
// or signed out on purpose) is not failing: nothing went wrong, and its
// first sign-in is no recovery either.
func failing(ps *tokens.ProfileState, at time.Time) bool {
	if ps.FailureStreak == 0 || ps.LastError == nil || (ps.SignInNeeded() && !ps.SessionEnded()) {
		return false
	}
	return ps.FailureStreak >= 2 || ps.Stopped || ps.ErrorClass == tokens.Permanent || !ps.Token.ValidFor(at, time.Nanosecond)
}

// alertText words an alert as a notification title and body.
func alertText(a alert, now time.Time) (title, body string) {
	switch a.Kind {
	case alertSignInNeeded:
		return explain.SignInNeededTitle(a.Name), explain.SignInNeededBody
	case alertRecovered:
		title = a.Name + ": token refresh works again"
		if a.Token.ValidFor(now, time.Nanosecond) {
			body = "Got a new token, valid " + explain.Left(a.Token.ExpiresAt.Sub(now)) + "."
		} else {
			body = "Got a new token."
		}
		return title, body
	default:
		title = a.Name + ": token refresh failing"
		body = explain.WithPeriod(explain.Sentence(explain.Background(a.Err)))
		if a.Token.ValidFor(now, time.Nanosecond) {
			body += " The current token stays valid for " + explain.Left(a.Token.ExpiresAt.Sub(now)) + "."
		}
		return title, body
	}
}
