package tokens

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// ServerError is a token endpoint's refusal: an RFC 6749 §5.2 error body, or
// a non-2xx answer whose body was not one (then Code is empty and Excerpt
// holds a short printable piece of the body), or a 200 without access_token.
type ServerError struct {
	// Status is the HTTP status code.
	Status int
	// Code is the "error" field, e.g. "invalid_client".
	Code string
	// Description is "error_description", as sent.
	Description string
	// URI is "error_uri", as sent.
	URI string
	// Excerpt is a short printable excerpt of a body that was not an RFC 6749
	// error object (e.g. a proxy's HTML page).
	Excerpt string
	// RetryAfter is the delay the server asked for in Retry-After, or zero.
	RetryAfter time.Duration
}

func (e *ServerError) Error() string {
	msg := fmt.Sprintf("tokens: token endpoint answered HTTP %d", e.Status)
	if e.Code != "" {
		msg += ": " + e.Code
		if e.Description != "" {
			msg += ": " + e.Description
		}
	} else if e.Excerpt != "" {
		msg += ": " + e.Excerpt
	}
	return msg
}

// ErrorClass tells the scheduler what to do after a failed fetch.
type ErrorClass int

const (
	// Transient failures (network errors, timeouts, 5xx, 429) are retried
	// with backoff.
	Transient ErrorClass = iota
	// Permanent failures (invalid_client, invalid_scope, other 4xx, bad
	// configuration) stop automatic refresh until the profile changes or the
	// user asks for a refresh.
	Permanent
)

func (c ErrorClass) String() string {
	if c == Permanent {
		return "permanent"
	}
	return "transient"
}

// ErrConfig wraps errors caused by the profile itself (unusable key, bad
// certificate, failed discovery document): retrying cannot help.
var ErrConfig = errors.New("tokens: profile configuration")

// Classify returns the class of a fetch error.
func Classify(err error) ErrorClass {
	var se *ServerError
	switch {
	case err == nil:
		return Transient
	case errors.As(err, &se):
		if se.Status == 429 || se.Status >= 500 || se.Status == 408 {
			return Transient
		}
		return Permanent
	case errors.Is(err, ErrConfig):
		return Permanent
	case errors.As(err, new(*ValidationError)):
		return Permanent
	case errors.Is(err, context.DeadlineExceeded):
		return Transient
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return Transient
	}
	return Transient
}

// RetryAfter returns the server-requested retry delay carried by err, or zero.
func RetryAfter(err error) time.Duration {
	var se *ServerError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	return 0
}
