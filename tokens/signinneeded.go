package tokens

import (
	"errors"
	"fmt"
)

// ErrSignInNeeded is wrapped by every error saying a person must sign in
// again (`tokentray login NAME`) before the profile gets a token: it has
// never been signed in, its refresh token is gone, or the server refused
// it (invalid_grant). The engine never starts a sign-in itself; it
// stops refreshing the profile until one happens.
var ErrSignInNeeded = errors.New("sign-in needed")

// SignInNeededError says which profile needs a sign-in and why. It wraps
// ErrSignInNeeded, and Cause when set (the server's refusal).
type SignInNeededError struct {
	Profile string
	// Cause is the refusal of the refresh token, nil when the profile
	// has none (never signed in, or signed out).
	Cause error
}

func (e *SignInNeededError) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("profile %q needs a sign-in: the refresh token was refused: %v", e.Profile, e.Cause)
	}
	return fmt.Sprintf("profile %q needs a sign-in", e.Profile)
}

// Unwrap returns ErrSignInNeeded and the cause.
func (e *SignInNeededError) Unwrap() []error {
	if e.Cause == nil {
		return []error{ErrSignInNeeded}
	}
	return []error{ErrSignInNeeded, e.Cause}
}
