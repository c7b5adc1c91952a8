package tokens

import (
	"errors"
	"fmt"
)

// ErrSignInNeeded is wrapped by every error saying a person must sign in
// again (`tokentray login NAME`) before the profile gets a token: it has
// never been signed in, its refresh token is gone, or the server refused
// it (invalid_grant) or the ID token of a refresh. The engine never starts a sign-in itself; it
// stops refreshing the profile until one happens.
var ErrSignInNeeded = errors.New("sign-in needed")

// SignInReason says why a profile needs a sign-in: whether a session
// ended (something a person should hear of) or there never was one.
type SignInReason int

const (
	// ReasonNotSignedIn: no one signed in to the profile's sign-in, or
	// someone signed out on purpose. Nothing went wrong.
	ReasonNotSignedIn SignInReason = iota
	// ReasonSessionEnded: a sign-in ended without the person asking: the
	// server refused its refresh token (expired, revoked, deleted) or a
	// refresh's ID token (not the person who signed in), or
	// the sign-in got none and its access token expired.
	ReasonSessionEnded
)

// SignInNeededError says which profile needs a sign-in and why. It wraps
// ErrSignInNeeded, and Cause when set (the server's refusal).
type SignInNeededError struct {
	Profile string
	// Reason says whether a session ended; ReasonSessionEnded whenever
	// Cause is set.
	Reason SignInReason
	// Cause is the refusal of the refresh token (or of a refresh's ID
	// token: an *IDTokenError with Refresh set), nil when the profile
	// has none (never signed in, signed out, or the sign-in got none).
	Cause error
}

func (e *SignInNeededError) Error() string {
	switch {
	case idRefused(e.Cause):
		return fmt.Sprintf("profile %q needs a sign-in: %v", e.Profile, e.Cause)
	case e.Cause != nil:
		return fmt.Sprintf("profile %q needs a sign-in: the refresh token was refused: %v", e.Profile, e.Cause)
	case e.Ended():
		return fmt.Sprintf("profile %q needs a sign-in: its session ended", e.Profile)
	}
	return fmt.Sprintf("profile %q needs a sign-in", e.Profile)
}

// Ended reports whether a session ended (ReasonSessionEnded, or a Cause:
// the server refused the refresh token) rather than no one signing in.
func (e *SignInNeededError) Ended() bool { return e.Reason == ReasonSessionEnded || e.Cause != nil }

// Unwrap returns ErrSignInNeeded and the cause.
func (e *SignInNeededError) Unwrap() []error {
	if e.Cause == nil {
		return []error{ErrSignInNeeded}
	}
	return []error{ErrSignInNeeded, e.Cause}
}
