package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// A refresh whose answer carries an ID token that fails its check (here
// not even a JWT) needs a sign-in, at once: token exits 8 and says
// tokentray login, rather than a temporary failure to run again (issue
// #26 review: exit 1, "temporary"; the test failed first).
func TestARefreshRefusedForItsIDTokenExitsSignInNeeded(t *testing.T) {
	var mu sync.Mutex
	refreshes := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.URL.Path != "/token" || r.Form.Get("grant_type") != "refresh_token" || r.Form.Get("refresh_token") != "refresh-token-0123456789" {
			tokentest.WriteJSON(w, 400, map[string]any{"error": "invalid_grant"})
			return
		}
		mu.Lock()
		refreshes++
		mu.Unlock()
		tokentest.WriteJSON(w, 200, map[string]any{"access_token": "access-2", "token_type": "Bearer", "expires_in": 3600, "id_token": "not-a-jwt"})
	}))
	defer srv.Close()
	h := newHarness(t)
	p := h.signInProfile(srv.URL, "--scope", "openid")
	tok := &tokens.Token{AccessToken: "access-1", TokenType: "Bearer", IssuedAt: h.now, ExpiresAt: h.now.Add(time.Hour),
		ID: &tokens.IDClaims{Issuer: srv.URL, Subject: "ada"}}
	if _, err := tokens.KeepSignIn(context.Background(), h.store, p, &tokens.TokenResult{Token: tok, RefreshToken: "refresh-token-0123456789"}); err != nil {
		t.Fatal(err)
	}
	h.now = h.now.Add(2 * time.Hour)
	code, out, errs := h.run("", "token", "me")
	if code != ExitSignIn || out != "" || !strings.Contains(errs, "tokentray login me") || !strings.Contains(errs, "ID token") ||
		strings.Contains(errs, "temporary") || strings.Contains(errs, "refresh-token-0123456789") {
		t.Fatalf("token: exit %d, stdout %q, stderr %q; want exit %d naming the ID token and tokentray login me", code, out, errs, ExitSignIn)
	}
	mu.Lock()
	defer mu.Unlock()
	if refreshes != 1 {
		t.Errorf("%d refreshes, want 1", refreshes)
	}
}
