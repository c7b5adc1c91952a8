package tokens

import (
	"fmt"
	"time"
)

// SignInTimeoutError is a browser sign-in that got no answer within
// After: nobody completed it in a browser (none could be opened, the tab
// was closed, the password was never right). Err is the wait's context
// error (context.DeadlineExceeded), so errors.Is still tells a timeout.
type SignInTimeoutError struct {
	After time.Duration
	// Refused counts the answers the wait refused because they did not
	// carry this attempt's state (another attempt's, or forged).
	Refused int
	Err     error
}

func (e *SignInTimeoutError) Error() string {
	return fmt.Sprintf("no answer from the browser within %v: %v", e.After, e.Err)
}

func (e *SignInTimeoutError) Unwrap() error { return e.Err }
