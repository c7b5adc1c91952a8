package servertest

import (
	"context"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
)

// testNow is the simulated time of the tests that need a fixed clock.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

// fetchOK fetches p with c, failing the test on an error.
func fetchOK(t *testing.T, c *oauth.Client, p tokens.Profile) *tokens.Token {
	t.Helper()
	tok, err := c.Fetch(context.Background(), p)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	return tok
}
