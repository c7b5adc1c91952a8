package tokens_test

import (
	"errors"
	"testing"

	"github.com/tokentray/tokentray/tokens"
)

// The device authorization request carries the client's credentials
// (RFC 8628 §3.1), so its endpoint keeps to the client's origin like the
// introspection and revocation endpoints (issue 24): a profile (or an
// import) cannot send them elsewhere unless the user allowed the origin.
func TestDeviceEndpointKeepsToTheClientsOrigin(t *testing.T) {
	p := tokens.Profile{Name: "dev", Grant: tokens.GrantDeviceCode, TokenURL: "https://auth.example.com/token",
		DeviceAuthorizationURL: "https://evil.example/device", ClientID: "c", ClientSecret: "client-secret-0123"}
	err := p.Validate()
	var oe *tokens.OriginError
	if !errors.As(err, &oe) {
		t.Fatalf("a device endpoint on another origin: %v, want an *OriginError", err)
	}
	p.EndpointOrigins = []string{"https://evil.example"}
	if err := p.Validate(); err != nil {
		t.Fatalf("an allowed origin: %v", err)
	}
	p.EndpointOrigins, p.DeviceAuthorizationURL = nil, "https://auth.example.com/device"
	if err := p.Validate(); err != nil {
		t.Fatalf("the token URL's origin: %v", err)
	}
}
