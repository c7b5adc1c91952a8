package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/demo"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// logout of a profile with a token URL only tells the server: the
// revocation endpoint is in the metadata of the issuer its sign-in named
// (issue #26 review: "both tokens were removed", nothing revoked; the
// test failed first).
func TestLogoutOfATokenURLProfileRevokesThroughTheSignInsIssuer(t *testing.T) {
	srv, revoked := revokingIssuer(t)
	h := newHarness(t)
	p := h.signInProfile(srv.URL, "--scope", "openid")
	tok := &tokens.Token{AccessToken: "opaque-access-token", TokenType: "Bearer", IssuedAt: h.now, ExpiresAt: h.now.Add(time.Hour),
		ID: &tokens.IDClaims{Issuer: srv.URL, Subject: "ada"}}
	if _, err := tokens.KeepSignIn(context.Background(), h.store, p, &tokens.TokenResult{Token: tok, RefreshToken: "refresh-token-0123456789"}); err != nil {
		t.Fatal(err)
	}
	if out := h.mustRun("", "logout", "me"); !strings.Contains(out, "the refresh token was revoked") {
		t.Errorf("logout: %q", out)
	}
	if strings.Join(revoked(), ",") != "refresh_token refresh-token-0123456789" {
		t.Fatalf("the revocation endpoint got %q", revoked())
	}
}

// `tokentray login` of a profile already signed in, by another person
// than its stored sign-in names, revokes the refresh token the new
// sign-in replaces, after keeping the new one; the same person signing in
// again revokes nothing (some servers end a client's whole grant for a
// user with any one token, the new sign-in's too). Against the demo's
// OpenID Provider, whose ID tokens are checked for real: the replaced
// refresh token then no longer refreshes. (Failed first: it still did.)
func TestLoginAsAnotherPersonRevokesTheReplacedRefreshToken(t *testing.T) {
	tokentest.CurlBrowser(t)
	ctx := context.Background()
	s, err := demo.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var p tokens.Profile
	for _, q := range s.Profiles() {
		if q.Name == demo.ProfileSignIn {
			p = q
		}
	}
	h := newHarness(t)
	if err := h.store.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	rs := h.store.(tokens.RefreshStore)
	live := func(refresh string) bool {
		_, err := oauth.NewClient(oauth.ClientOptions{}).Grant(ctx, tokens.TokenRequest{Profile: p, RefreshToken: refresh})
		return err == nil
	}
	login := func() *tokens.RefreshToken {
		t.Helper()
		if code, _, errs := h.run("", "login", p.Name); code != 0 {
			t.Fatalf("login: exit %d: %s", code, errs)
		}
		rt, err := rs.LoadRefresh(ctx, p.Name)
		if err != nil || rt.ID == nil || rt.ID.Subject != demo.DemoUser {
			t.Fatalf("stored sign-in %+v, %v", rt, err)
		}
		return rt
	}
	first := login()
	second := login() // the same person again: the first is left alone
	if second.Value == first.Value || !live(first.Value) {
		t.Fatalf("the same person's earlier refresh token was revoked")
	}
	// The stored sign-in now names someone else: the next login replaces
	// another person's, and revokes it.
	other := *second
	other.ID = &tokens.IDClaims{Issuer: second.ID.Issuer, Subject: "someone-else"}
	if err := rs.SaveRefresh(ctx, p.Name, &other); err != nil {
		t.Fatal(err)
	}
	third := login()
	if third.Value == second.Value || live(second.Value) {
		t.Fatalf("another person's replaced refresh token still refreshes")
	}
}

// revokingIssuer is an issuer whose metadata names its /token and its
// /revoke, which records each revocation ("HINT TOKEN"); revoked returns
// them.
func revokingIssuer(t *testing.T) (srv *httptest.Server, revoked func() []string) {
	t.Helper()
	var mu sync.Mutex
	var got []string
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": srv.URL, "token_endpoint": srv.URL + "/token", "revocation_endpoint": srv.URL + "/revoke"})
	})
	mux.HandleFunc("/revoke", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		got = append(got, r.Form.Get("token_type_hint")+" "+r.Form.Get("token"))
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
}
