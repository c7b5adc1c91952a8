package explain

import (
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
