package explain

import (
	"context"
	"errors"
	"net"
	"net/url"

	"github.com/tokentray/tokentray/tokens"
)

// Command explains err for a one-shot command: the cause (Error) and, for
// a failed token request, whether it is temporary or permanent. It never
// promises a retry, since a command makes none.
func Command(err error) string {
	msg := Error(err)
	if !isFetchError(err) {
		return msg
	}
	if tokens.Classify(err) == tokens.Permanent {
		return msg + " [permanent: fix the profile or the server; retrying will not help]"
	}
	if tokens.RetryAfter(err) > 0 {
		return msg + " [temporary: run the command again after that]"
	}
	return msg + " [temporary: run the command again later]"
}

// Background explains err for the tray app, which refreshes tokens on its
// own: the cause (Error) and what automatic refresh does next.
func Background(err error) string {
	if msg, ok := SignInNeeded(err); ok {
		return msg + ", or choose Sign in… in the profile's actions in the tray menu"
	}
	msg := Error(err)
	if !isFetchError(err) {
		return msg
	}
	if tokens.Classify(err) == tokens.Permanent {
		return msg + ". This is a permanent error: automatic refresh has stopped until the profile is changed or you refresh it"
	}
	if tokens.RetryAfter(err) > 0 {
		return msg + ". This is a temporary error: Tokentray retries automatically, after that delay"
	}
	return msg + ". This is a temporary error: Tokentray retries automatically with growing delays"
}

// isFetchError reports whether err came from a token request (as opposed
// to the keyring, a file or the command line).
func isFetchError(err error) bool {
	if _, ended := deviceEnded(err); ended {
		return false // the person's doing, not the request's: Error says what to do
	}
	var (
		se *tokens.ServerError
		ue *url.Error
		ne net.Error
	)
	return errors.As(err, &se) || errors.As(err, &ue) || errors.As(err, &ne) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, tokens.ErrConfig) ||
		errors.Is(err, tokens.ErrResponseTooLarge)
}
