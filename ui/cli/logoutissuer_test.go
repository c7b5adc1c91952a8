package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// logout of a profile with a token URL only tells the server: the
// revocation endpoint is in the metadata of the issuer its sign-in named
// (issue #26 review: "both tokens were removed", nothing revoked; the
// test failed first).
func TestLogoutOfATokenURLProfileRevokesThroughTheSignInsIssuer(t *testing.T) {
	srv, _, revoked := revokingIssuer(t)
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

// `tokentray login` of a profile already signed in revokes the refresh
// token its new sign-in replaces (through the issuer the old sign-in
// named), after keeping the new one: none is left live at the server.
// The test failed first: nothing was revoked.
func TestLoginAgainRevokesTheReplacedRefreshToken(t *testing.T) {
	tokentest.CurlBrowser(t)
	srv, mux, revoked := revokingIssuer(t)
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {"the-code"}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		tokentest.WriteJSON(w, 200, map[string]any{"access_token": "access-new", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "refresh-new-0123456789"})
	})
	h := newHarness(t)
	p := h.signInProfile(srv.URL)
	tok := &tokens.Token{AccessToken: "opaque-access-old", TokenType: "Bearer", IssuedAt: h.now, ExpiresAt: h.now.Add(time.Hour),
		ID: &tokens.IDClaims{Issuer: srv.URL, Subject: "ada"}}
	if _, err := tokens.KeepSignIn(context.Background(), h.store, p, &tokens.TokenResult{Token: tok, RefreshToken: "refresh-old-0123456789"}); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := h.run("", "login", "me"); code != 0 {
		t.Fatalf("login: exit %d: %s", code, errs)
	}
	if rt, err := h.store.(tokens.RefreshStore).LoadRefresh(context.Background(), "me"); err != nil || rt.Value != "refresh-new-0123456789" {
		t.Fatalf("stored refresh token %v, %v", rt, err)
	}
	if strings.Join(revoked(), ",") != "refresh_token refresh-old-0123456789" {
		t.Fatalf("the revocation endpoint got %q, want the replaced refresh token", revoked())
	}
}

// revokingIssuer is an issuer whose metadata names its /token and its
// /revoke, which records each revocation ("HINT TOKEN"); revoked returns
// them. A test adds its other endpoints to mux.
func revokingIssuer(t *testing.T) (srv *httptest.Server, mux *http.ServeMux, revoked func() []string) {
	t.Helper()
	var mu sync.Mutex
	var got []string
	mux = http.NewServeMux()
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
	return srv, mux, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
}
