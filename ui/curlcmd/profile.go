package curlcmd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// Describer describes a profile's token request as the HTTP client would
// send it, discovering the token endpoint from the issuer when the profile
// names no token URL: oauth.Client. Implementations must be safe for
// concurrent use; a call may reach the network.
type Describer interface {
	DescribeRequest(ctx context.Context, p tokens.Profile) (tokens.RequestShape, error)
}

// ErrNoDiscovery is returned by ForProfile when no Describer is set up.
var ErrNoDiscovery = errors.New("curlcmd: the token request cannot be described: no HTTP client is set up")

// ForProfile returns the curl command of p's token request, described by d
// within timeout. For a profile with an issuer instead of a token URL the
// endpoint is discovered (the HTTP client's cache first), so the call may
// reach the network: run it off the UI goroutine. A nil d gives
// ErrNoDiscovery; a value that would put a control character into the
// command is an error wrapping ErrUnprintable.
func ForProfile(ctx context.Context, d Describer, p tokens.Profile, timeout time.Duration) (string, error) {
	if d == nil {
		return "", ErrNoDiscovery
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	s, err := d.DescribeRequest(ctx, p)
	if err != nil {
		return "", fmt.Errorf("curlcmd: discovering the token endpoint: %w", err)
	}
	return Command(p.Name, s)
}
