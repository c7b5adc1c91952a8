package ui

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

func TestDescribeError(t *testing.T) {
	errKeyring := errors.New("tokens: keyring unavailable")
	errUnknownProfile := errors.New("tokens: unknown profile")
	s := Sentinels{KeyringUnavailable: errKeyring, UnknownProfile: errUnknownProfile}
	wrapURL := func(err error) error { return &url.Error{Op: "Post", URL: "https://auth.example.com/token", Err: err} }

	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"server error with description",
			fmt.Errorf("tokens: fetch: %w", &tokens.ServerError{Status: 401, Code: "invalid_client", Description: "Client authentication failed"}),
			"server said invalid_client: Client authentication failed"},
		{"server error code only", &tokens.ServerError{Status: 400, Code: "invalid_scope"}, "server said invalid_scope (HTTP 400)"},
		{"non-OAuth body", &tokens.ServerError{Status: 502, Excerpt: "<html>Bad gateway"}, "server answered HTTP 502: <html>Bad gateway"},
		{"200 without token", &tokens.ServerError{Status: 200}, "server answered without an access token"},
		{"retry after", &tokens.ServerError{Status: 429, Code: "slow_down", RetryAfter: 30 * time.Second}, "server said slow_down (HTTP 429); it asked to retry in 30 s"},
		{"validation",
			&tokens.ValidationError{Profile: "x", Fields: []*tokens.FieldError{{Field: tokens.FieldClientID, Problem: "is required"}, {Field: tokens.FieldTokenURL, Problem: "must be https"}}},
			"Client ID is required; Token URL must be https"},
		{"keyring", fmt.Errorf("store: load: %w: dbus: no such service", errKeyring),
			"the system keyring is not available: start and unlock a Secret Service (for example gnome-keyring or KWallet), then try again (store: load: keyring unavailable: dbus: no such service)"},
		{"unknown profile", fmt.Errorf("%w: x", errUnknownProfile), "this profile no longer exists (it may have been deleted)"},
		{"not found", fmt.Errorf("profile %q: %w", "x", tokens.ErrNotFound), "not found in the keyring"},
		{"timeout", wrapURL(context.DeadlineExceeded), "timed out waiting for the token endpoint"},
		{"unknown CA", wrapURL(x509.UnknownAuthorityError{}), "the server's TLS certificate is signed by an unknown authority; if it uses a private CA, add the CA bundle to the profile"},
		{"dns", wrapURL(&net.OpError{Op: "dial", Err: &net.DNSError{Name: "auth.example.invalid", Err: "no such host"}}), "could not find the server auth.example.invalid (DNS lookup failed)"},
		{"refused", wrapURL(&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}), "the token endpoint refused the connection (is the server running?)"},
		{"config", fmt.Errorf("%w: private key: unsupported key type", tokens.ErrConfig), "profile configuration: private key: unsupported key type"},
		{"unknown sentinel left nil is never matched", errors.New("tokens: something else"), "something else"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := describeError(tc.err, s); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
	if got := describeError(errKeyring, Sentinels{}); got != "keyring unavailable" {
		t.Errorf("nil sentinels must not match: %q", got)
	}
}

func TestWithPeriodAndSentence(t *testing.T) {
	if got := withPeriod("done"); got != "done." {
		t.Error(got)
	}
	if got := withPeriod("done."); got != "done." {
		t.Error(got)
	}
	if got := sentence("server said x"); got != "Server said x" {
		t.Error(got)
	}
}
