package cli

import (
	"context"
	"fmt"
	"testing"

	"github.com/tokentray/tokentray/tokens/tokentest"
)

// newToolServer is a loopback token endpoint for "tool-client" whose tokens
// pass through every tool output: SetToken chooses the token and its type
// (hostile ones too).
func newToolServer(t *testing.T) *tokentest.Endpoint {
	return tokentest.NewEndpoint(t, tokentest.RequireClient("tool-client", secret),
		tokentest.Tokens(func(n int, _ tokentest.Request) string { return fmt.Sprintf("tok-%d.abc_DEF~x", n) }))
}

// addToolProfile stores profile name against srv.
func addToolProfile(t *testing.T, h *harness, name string, srv *tokentest.Endpoint) {
	t.Helper()
	h.mustRun(secret+"\n", "add", name, "--token-url", srv.URL+"/token", "--client-id", "tool-client")
}

// cachedToken is the token the store holds for name.
func cachedToken(t *testing.T, h *harness, name string) string {
	t.Helper()
	tok, err := h.store.LoadToken(context.Background(), name)
	if err != nil {
		t.Fatalf("no cached token for %s: %v", name, err)
	}
	return tok.AccessToken
}
