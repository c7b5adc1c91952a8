package curlcmd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
)

// endpointResolver finds a profile's token endpoint, discovering it from
// the issuer when needed: oauth.Client.
type endpointResolver interface {
	TokenEndpoint(ctx context.Context, p tokens.Profile) (string, error)
}

// ErrNoDiscovery is returned by ForProfile for an issuer profile when f
// cannot discover endpoints.
var ErrNoDiscovery = errors.New("curlcmd: the token endpoint must be discovered from the issuer, and no HTTP client is set up to do it")

// ForProfile returns the curl command of p's token request. For a profile
// with an issuer instead of a token URL, the endpoint is discovered
// through f (an oauth.Client; its cache first) within timeout, so the call
// may reach the network: run it off the UI goroutine. A value that would
// put a control character into the command is an error wrapping
// ErrUnprintable.
func ForProfile(ctx context.Context, f tokens.Fetcher, p tokens.Profile, timeout time.Duration) (string, error) {
	endpoint := p.Normalized().TokenURL
	if endpoint == "" {
		r, ok := f.(endpointResolver)
		if !ok {
			return "", ErrNoDiscovery
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		var err error
		if endpoint, err = r.TokenEndpoint(ctx, p); err != nil {
			return "", fmt.Errorf("curlcmd: discovering the token endpoint: %w", err)
		}
	}
	return Command(p.Name, oauth.Shape(p, endpoint))
}
