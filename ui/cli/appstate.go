package cli

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// What the running tray app knows that the keyring does not: how each
// profile's last refresh went. `tokentray list` asks it (Env.AppStatus,
// the instance socket's Status) so that the command line reports the
// state the window and the tray show (issue 29: a profile whose refresh
// failed with HTTP 401 was "no token yet" here and "refresh failed ·
// stopped" there), with the reason. Without an app running, list shows
// what the keyring holds, as before.

// appProfile is one profile in the app's status line. It carries the
// worded error, never a token or a secret (errors are redacted where they
// are made).
type appProfile struct {
	Name        string    `json:"name"`
	Error       string    `json:"error,omitempty"` // the last refresh's failure, worded; "" when it went well
	Stopped     bool      `json:"stopped,omitempty"`
	Failures    int       `json:"failures,omitempty"`
	Refreshing  bool      `json:"refreshing,omitempty"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	// SignIn says why a sign-in is needed, when one is: signInNone or
	// signInEnded (the words alone would lose which).
	SignIn string `json:"sign_in,omitempty"`
	// SessionEnds is when the sign-in ends, when the app knows.
	SessionEnds time.Time `json:"session_ends,omitzero"`
}

// The appProfile.SignIn values.
const (
	signInNone  = "not-signed-in" // never signed in, or signed out
	signInEnded = "session-ended"
)

// AppStatus is the app's status line for s: its profiles' refresh state
// as `tokentray list` reads it. Pure; safe for concurrent use.
func AppStatus(s *tokens.Snapshot) []byte {
	out := []appProfile{}
	if s != nil {
		for i := range s.Profiles {
			ps := &s.Profiles[i]
			a := appProfile{Name: ps.Profile.Name, Stopped: ps.Stopped, Failures: ps.FailureStreak,
				Refreshing: ps.Refreshing, LastAttempt: ps.LastAttempt, SessionEnds: ps.SessionEnds}
			if ps.LastError != nil {
				a.Error = oneLine(explain.Error(ps.LastError))
			}
			switch {
			case ps.SessionEnded():
				a.SignIn = signInEnded
			case ps.SignInNeeded():
				a.SignIn = signInNone
			}
			out = append(out, a)
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return []byte("[]")
	}
	return b
}

// appStates asks the running app for its profiles' state, by name; nil
// when no app answers (or it says something unreadable).
func appStates(ctx context.Context, env *Env) map[string]appProfile {
	if env.AppStatus == nil {
		return nil
	}
	line, err := env.AppStatus(ctx)
	if err != nil {
		return nil
	}
	var ps []appProfile
	if json.Unmarshal(line, &ps) != nil {
		return nil
	}
	out := make(map[string]appProfile, len(ps))
	for _, p := range ps {
		out[p.Name] = p
	}
	return out
}

// withApp adds to state what the app knows of its refresh and sign-in.
func withApp(state *tokens.ProfileState, a appProfile) {
	state.Refreshing, state.Stopped, state.FailureStreak, state.LastAttempt = a.Refreshing, a.Stopped, a.Failures, a.LastAttempt
	switch {
	case a.SignIn == signInNone:
		state.LastError = &tokens.SignInNeededError{Profile: a.Name}
	case a.SignIn == signInEnded:
		state.LastError = &tokens.SignInNeededError{Profile: a.Name, Reason: tokens.ReasonSessionEnded}
	case a.Error != "":
		state.LastError = errors.New(a.Error)
	}
	if !a.SessionEnds.IsZero() {
		state.SessionEnds = a.SessionEnds
	}
}
