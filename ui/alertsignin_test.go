package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
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
