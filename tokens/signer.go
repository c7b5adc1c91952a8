package tokens

import (
	"context"
	"errors"
	"time"
)

// A person's sign-in (the authorization code and device grants): what the
// interfaces need to start one, and the Signer that runs it. The HTTP
// client (tokens/oauth) implements Signer; the command line and the window
// receive it from the composition root, never build it.

// DefaultSignInTimeout is how long a browser sign-in waits for the
// browser's answer when SignInOptions.Timeout is zero.
const DefaultSignInTimeout = 3 * time.Minute

// DefaultDeviceLifetime bounds a device sign-in's polling when the server
// names no expires_in (RFC 8628 §3.2).
const DefaultDeviceLifetime = 10 * time.Minute

// The ends of a device sign-in other than a sign-in (RFC 8628 §3.5); a
// Signer wraps the server's *ServerError in them. Neither is the
// profile's fault: signing in again (a new code) is the cure.
var (
	// ErrDeviceDenied: the person declined (access_denied).
	ErrDeviceDenied = errors.New("the sign-in was declined on the other device")
	// ErrDeviceExpired: the codes expired before the person signed in
	// (expired_token, or their expires_in passed).
	ErrDeviceExpired = errors.New("the device code expired before the sign-in was done")
)

// SignInOptions says how a browser sign-in reaches the person.
type SignInOptions struct {
	// OpenBrowser opens url in the person's browser. Its error is not
	// fatal: the URL was shown too (ShowURL). nil: nothing is opened.
	OpenBrowser func(ctx context.Context, url string) error
	// ShowURL shows the sign-in URL (the command line prints it on
	// stderr, for a browser on another machine). nil: not shown.
	ShowURL func(url string)
	// Timeout bounds the wait for the browser; zero: DefaultSignInTimeout.
	Timeout time.Duration
}

// DeviceCode is what the person needs to sign in on another device
// (RFC 8628 §3.2). Its user code is meant to be shown; the device code it
// is redeemed with stays inside the Signer.
type DeviceCode struct {
	// UserCode is the code the person enters.
	UserCode string
	// VerificationURI is where to enter it; VerificationURIComplete, when
	// the server sent one, already carries it (for a QR code or a link).
	VerificationURI, VerificationURIComplete string
	// ExpiresAt is when the codes stop working.
	ExpiresAt time.Time
	// Interval is the wait between polls the server asked for.
	Interval time.Duration
}

// DeviceOptions says how a device sign-in reaches the person and waits.
type DeviceOptions struct {
	// Show is called once with the codes, before polling starts.
	Show func(DeviceCode)
	// Sleep waits d or until ctx ends (then returns ctx.Err()); nil: a
	// timer. Tests make it instant.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Signer signs a person in to a profile of a sign-in grant and out of it.
// Implementations must be safe for concurrent use; every call reaches the
// network.
type Signer interface {
	// SignIn runs the authorization code grant with PKCE through the
	// person's browser and returns the tokens (not yet stored: see
	// KeepSignIn and Manager.SignedIn).
	SignIn(ctx context.Context, p Profile, o SignInOptions) (*TokenResult, error)
	// DeviceSignIn runs the device authorization grant until the person
	// has signed in on another device, declined, or the code expired.
	DeviceSignIn(ctx context.Context, p Profile, o DeviceOptions) (*TokenResult, error)
	// RevokeRefresh asks the profile's revocation endpoint (RFC 7009) to
	// revoke refresh; an error wrapping ErrNoEndpoint when it has none.
	// For a profile with a token URL only, the endpoint may be found from
	// the issuer SignInIssuer(ctx) names, on the origins the profile
	// trusts only.
	RevokeRefresh(ctx context.Context, p Profile, refresh string) error
}
