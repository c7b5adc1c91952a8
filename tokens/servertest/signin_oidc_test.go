package servertest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/ui/platform/browser"
)

// TestOpenIDConnectSignInAgainstFosite: with openid in the scopes, the
// sign-in sends a nonce, Fosite's ID token (RS256, its JWKS) passes every
// check, and who signed in is kept, decoded, beside the tokens, and still
// there after a refresh, whose own ID token is checked too; the raw ID
// token is kept nowhere.
func TestOpenIDConnectSignInAgainstFosite(t *testing.T) {
	u := signInWithFosite(t, "openid", "email")
	tok, err := u.token(time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if id := tok.ID; id == nil || id.Subject != userName || id.Email != userEmail || id.Issuer != u.srv.URL || id.Name != "Alice Liddell" {
		t.Fatalf("who signed in: %+v", tok.ID)
	}
	u.clock.skip(2 * time.Hour)
	tok2, err := u.token(time.Minute)
	if err != nil || tok2.AccessToken == tok.AccessToken || u.srv.refreshes.Load() != 1 {
		t.Fatalf("after expiry: %v, %v", tok2, err)
	}
	if tok2.ID == nil || tok2.ID.Subject != userName {
		t.Fatalf("the refresh lost who signed in: %+v", tok2.ID)
	}
	// Fosite's refresh answer carries an ID token of its own, which passed
	// the refresh's checks (OpenID Connect Core §12.2: same iss and sub,
	// the sign-in's nonce or none, the same auth_time).
	u.sent.mu.Lock()
	n := u.sent.refreshIDTokens
	u.sent.mu.Unlock()
	if n != 1 {
		t.Fatalf("%d refresh answers carried an ID token, want 1", n)
	}
	rt, err := u.store.(tokens.RefreshStore).LoadRefresh(context.Background(), u.p.Name)
	if err != nil || rt.ID == nil || rt.ID.Subject != userName {
		t.Fatalf("the refresh item's claims: %+v, %v", rt, err)
	}
	for _, raw := range []string{rt.Value, tok2.AccessToken} {
		if strings.Count(raw, ".") == 2 {
			t.Fatalf("a JWT is stored: %q", raw)
		}
	}
}

// TestAnIDTokenOfAnotherIssuerFailsTheSignIn: Fosite names another
// issuer in its ID tokens (a mix-up, or a misconfigured server): the
// sign-in fails with the issuer check, and nothing is returned to keep.
func TestAnIDTokenOfAnotherIssuerFailsTheSignIn(t *testing.T) {
	srv := newFositeUser(t, time.Hour)
	srv.cfg.IDTokenIssuer = "https://login.example.com"
	p := tokens.Profile{Name: "me", IssuerURL: srv.URL, ClientID: userClientID, Auth: tokens.AuthNone,
		Grant: tokens.GrantAuthorizationCode, Scopes: []string{"openid", "offline_access"}}
	script, pages := personBrowser(t, userPassword)
	opener := browser.Opener{Getenv: func(k string) string {
		if k == "BROWSER" {
			return script
		}
		return ""
	}}
	res, err := oauth.NewClient(oauth.ClientOptions{}).SignIn(context.Background(), p, oauth.SignInOptions{OpenBrowser: opener.Open, Timeout: 30 * time.Second})
	var ie *tokens.IDTokenError
	if !errors.As(err, &ie) || ie.Check != tokens.IDTokenIssuer || res != nil {
		t.Fatalf("SignIn = %v, %v; want the issuer check to fail", res, err)
	}
	// The browser (curl, in the background) writes its last page after
	// the callback answered: wait for it, boundedly, before its folder goes.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b, err := os.ReadFile(filepath.Join(pages, "done.html")); err == nil && strings.Contains(string(b), "close this tab") {
			break
		}
	}
}
