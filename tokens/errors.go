package tokens

import (
	"crypto/tls"
	"errors"
	"fmt"
	"time"
)

// ServerError is a token endpoint's refusal: an RFC 6749 §5.2 error body, or
// a non-2xx answer whose body was not one (then Code is empty and Excerpt
// holds a short printable piece of the body), or a 2xx answer that is not a
// usable token response (then Problem says why). Every string in it has
// been through the request's redaction and is printable.
type ServerError struct {
	// Status is the HTTP status code.
	Status int
	// Code is the "error" field, e.g. "invalid_client".
	Code string
	// Description is "error_description", as sent (redacted).
	Description string
	// URI is "error_uri", as sent (redacted).
	URI string
	// Excerpt is a short printable excerpt of a body that was not an RFC 6749
	// error object (e.g. a proxy's HTML page).
	Excerpt string
	// RetryAfter is the delay the server asked for in Retry-After, or zero.
	RetryAfter time.Duration
	// Problem says why an answer is not a token response; empty for an
	// OAuth error object.
	Problem ResponseProblem
	// Detail completes Problem: which fields a JSON object had, why the
	// access_token is unusable.
	Detail string
	// ContentType is the answer's media type, when it matters to Problem.
	ContentType string
	// Withheld is set when the server's own text (description, URI,
	// excerpt, and the error code unless a standard one) was dropped
	// because the request carried a secret shorter than
	// oauth.MinRedactableSecret: the client secret, or the value of a
	// header or parameter named like a credential (LooksSecret).
	Withheld bool
}

// ResponseProblem names what makes an answer unusable as a token response.
type ResponseProblem string

// The response problems.
const (
	ProblemHTML        ResponseProblem = "html_page"        // an HTML page (captive portal, proxy, login page)
	ProblemInvalidJSON ResponseProblem = "invalid_json"     // announced or looked like JSON, did not parse as one object
	ProblemContentType ResponseProblem = "content_type"     // neither JSON nor form-encoded
	ProblemEmptyBody   ResponseProblem = "empty_body"       // no body at all
	ProblemNoToken     ResponseProblem = "no_access_token"  // a JSON/form object without access_token
	ProblemTokenSyntax ResponseProblem = "bad_access_token" // access_token is not an RFC 6750 b64token
	ProblemRedirect    ResponseProblem = "redirect"         // a 3xx; token requests never follow redirects
	ProblemTooLarge    ResponseProblem = "too_large"        // the body exceeds MaxResponseBytes
)

func (e *ServerError) Error() string {
	msg := fmt.Sprintf("token endpoint answered HTTP %d", e.Status)
	switch {
	case e.Code != "":
		msg += ": " + e.Code
		if e.Description != "" {
			msg += ": " + e.Description
		}
	case e.Problem != "":
		msg += ": " + string(e.Problem)
		if e.Detail != "" {
			msg += ": " + e.Detail
		}
		if e.Excerpt != "" {
			msg += ": " + e.Excerpt
		}
	case e.Excerpt != "":
		msg += ": " + e.Excerpt
	}
	return msg
}

// Class says whether retrying can help, from the OAuth error code first and
// the HTTP status second: temporarily_unavailable, server_error, 5xx, 408,
// 429 and a 2xx that is not a token response are transient; the RFC 6749
// §5.2 codes, redirects and other 4xx are permanent.
func (e *ServerError) Class() ErrorClass {
	switch e.Code {
	case "temporarily_unavailable", "server_error":
		return Transient
	case "invalid_client", "unauthorized_client", "invalid_scope", "invalid_grant", "unsupported_grant_type", "invalid_request":
		return Permanent
	}
	switch {
	case e.Status == 408 || e.Status == 429 || e.Status >= 500:
		return Transient
	case e.Code == "" && e.Status >= 200 && e.Status <= 299:
		return Transient
	}
	return Permanent
}

// ErrorClass tells the scheduler what to do after a failed fetch.
type ErrorClass int

const (
	// Transient failures (network errors, timeouts, 5xx, 408, 429,
	// temporarily_unavailable, server_error, a 2xx that is not a token
	// response) are retried with backoff.
	Transient ErrorClass = iota
	// Permanent failures (the RFC 6749 §5.2 codes such as invalid_client,
	// other 4xx, redirects, bad configuration) stop automatic refresh until the profile changes or the
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
var ErrConfig = errors.New("profile configuration")

// Classify returns the class of a fetch error: a *ServerError by its
// Class; a sign-in needed, a refresh refused for its ID token,
// configuration and validation errors, and a server certificate
// that does not verify (an unknown CA, another host's name, expired),
// permanent; everything else (network errors, timeouts, oversized
// answers) transient. A certificate is fixed by the profile (--ca) or the
// server's operator, never by asking again.
func Classify(err error) ErrorClass {
	var se *ServerError
	switch {
	case err == nil:
		return Transient
	case errors.Is(err, ErrSignInNeeded), idRefused(err):
		return Permanent
	case errors.As(err, &se):
		return se.Class()
	case errors.Is(err, ErrConfig), errors.As(err, new(*ValidationError)), errors.As(err, new(*tls.CertificateVerificationError)):
		return Permanent
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

// MaxResponseBytes is the largest token endpoint (or discovery) response
// body the client reads. A larger body is an error.
const MaxResponseBytes = 1 << 20

// ErrResponseTooLarge is wrapped by a Fetcher when a response body exceeds
// MaxResponseBytes.
var ErrResponseTooLarge = errors.New("response larger than 1 MiB")

// IssuerMismatchError is a discovery document whose issuer is not the
// configured one.
type IssuerMismatchError struct {
	Configured string // the issuer the metadata was fetched for
	Metadata   string // the issuer the document states (printable; empty when missing)
	Document   string // the metadata URL
}

func (e *IssuerMismatchError) Error() string {
	if e.Metadata == "" {
		return fmt.Sprintf("the metadata at %s states no issuer (expected %s)", e.Document, e.Configured)
	}
	return fmt.Sprintf("the metadata at %s is for issuer %s, not %s", e.Document, e.Metadata, e.Configured)
}
