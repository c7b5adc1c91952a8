package oauth

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// testNow is the simulated time of most client tests.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

// recorded is what a test token endpoint saw.
type recorded = tokentest.Request

// tokenEndpoint records token requests and answers each with a test's
// responder.
type tokenEndpoint = tokentest.Endpoint

func newTokenEndpoint(t *testing.T, respond func(w http.ResponseWriter, rec recorded)) *tokenEndpoint {
	t.Helper()
	return tokentest.NewEndpoint(t, tokentest.Respond(respond))
}

// quietTLS drops the server's log of the handshake failures tests provoke.
func quietTLS(s *httptest.Server) { s.Config.ErrorLog = log.New(io.Discard, "", 0) }

func okToken(w http.ResponseWriter, _ recorded) {
	tokentest.WriteJSON(w, 200, map[string]any{"access_token": "opaque-token-value", "token_type": "Bearer", "expires_in": 3600})
}

func newTestClient(o ClientOptions) *Client {
	if o.Now == nil {
		o.Now = fixedClock
	}
	c := NewClient(o)
	return c
}

func fetchOK(t *testing.T, c *Client, p tokens.Profile) *tokens.Token {
	t.Helper()
	tok, err := c.Fetch(context.Background(), p)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	return tok
}
