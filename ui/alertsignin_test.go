package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// When the refresh token dies (invalid_grant), the notification says that
// the profile needs a sign-in and where Sign in… is, not that the refresh
// is failing; told once.
func TestNotificationWhenSignInIsNeeded(t *testing.T) {
	h := newHarness(t, Options{})
	tok := token("A", t0.Add(-50*time.Minute), time.Hour)
	p := deviceProfile("me")
	h.publish(tokens.ProfileState{Profile: p, Token: tok, LastRefresh: t0.Add(-50 * time.Minute)})
	h.takeNotes()
	needed := tokens.ProfileState{Profile: p, Token: tok, LastRefresh: t0, LastAttempt: t0, FailureStreak: 1, Stopped: true,
		ErrorClass: tokens.Permanent, LastError: &tokens.SignInNeededError{Profile: "me",
			Cause: &tokens.ServerError{Status: 400, Code: "invalid_grant", Description: "token revoked"}}}
	h.publish(needed)
	notes := h.takeNotes()
	if len(notes) != 1 || notes[0].title != "me: sign-in needed" || !strings.Contains(notes[0].body, "Sign in…") {
		t.Fatalf("notifications %+v", notes)
	}
	h.advance(time.Minute)
	h.publish(needed)
	if notes := h.takeNotes(); len(notes) != 0 {
		t.Errorf("told again: %+v", notes)
	}
}

// A profile no one signed in to yet (the demo's, on first start), or
// signed out of on purpose, tells nothing: neither when the engine finds
// no refresh token nor when the first sign-in then succeeds. The tray's
// icon stays fine.
func TestNoNotificationForAProfileNoOneSignedInTo(t *testing.T) {
	h := newHarness(t, Options{})
	p := deviceProfile("me")
	h.publish(tokens.ProfileState{Profile: p})
	h.takeNotes()
	never := tokens.ProfileState{Profile: p, LastAttempt: t0, FailureStreak: 1, Stopped: true,
		ErrorClass: tokens.Permanent, LastError: &tokens.SignInNeededError{Profile: "me"}}
	snap := h.publish(never)
	if notes := h.takeNotes(); len(notes) != 0 {
		t.Fatalf("notifications for a profile no one signed in to: %+v", notes)
	}
	if m := buildTrayModel(snap, t0); m.Icon != explain.SeverityOK {
		t.Errorf("tray icon %v", m.Icon)
	}
	h.advance(time.Minute)
	h.publish(tokens.ProfileState{Profile: p, Token: token("A", t0, time.Hour), LastRefresh: t0.Add(time.Minute), LastAttempt: t0.Add(time.Minute)})
	if notes := h.takeNotes(); len(notes) != 0 {
		t.Errorf("notifications after the first sign-in: %+v", notes)
	}
}
