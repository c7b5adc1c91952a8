package tokentest

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// CountingFetcher is a tokens.Fetcher that issues "at-CLIENTID-N" Bearer
// tokens living an hour by the real clock, each request taking Delay (or
// until its context ends). Safe for concurrent use; set Delay before the
// first Fetch.
type CountingFetcher struct {
	Delay    time.Duration
	requests atomic.Int32
}

// Fetch counts the request and issues a token.
func (c *CountingFetcher) Fetch(ctx context.Context, p tokens.Profile) (*tokens.Token, error) {
	n := c.requests.Add(1)
	select {
	case <-time.After(c.Delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	now := time.Now()
	return &tokens.Token{AccessToken: fmt.Sprintf("at-%s-%d", p.ClientID, n), TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}, nil
}

// Requests is how many times Fetch was called.
func (c *CountingFetcher) Requests() int { return int(c.requests.Load()) }
