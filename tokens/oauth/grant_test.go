package oauth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

const testRefresh = "refresh-token-value-0123456789"

func publicProfile(url string) tokens.Profile {
	return tokens.Profile{Name: "me", TokenURL: url, ClientID: "cli", Auth: tokens.AuthNone,
		Grant: tokens.GrantAuthorizationCode, AuthorizationURL: "https://auth.example.com/authorize",
		Scopes: []string{"openid", "api"}}
}

func TestGrantRefreshesAsAPublicClient(t *testing.T) {
	ep := newTokenEndpoint(t, func(w http.ResponseWriter, _ recorded) {
		tokentest.WriteJSON(w, 200, map[string]any{"access_token": "opaque-token-value", "token_type": "Bearer",
			"expires_in": 3600, "refresh_token": "next-refresh-token-9876543210", "id_token": "a.b.c", "refresh_expires_in": 7200})
	})
	var logged []tokens.LogEntry
	ctx := tokens.WithLogRecorder(context.Background(), func(x tokens.LogEntry) { logged = append(logged, x) })
	p := publicProfile(ep.URL)
	p.Scopes = []string{"api"} // no openid: an ID token nobody asked for is not checked (idtokenrefresh_test.go checks)
	res, err := newTestClient(ClientOptions{}).Grant(ctx, tokens.TokenRequest{Profile: p, RefreshToken: testRefresh})
	if err != nil {
		t.Fatal(err)
	}
	got := ep.Last(t)
	if got.Form.Get("grant_type") != "refresh_token" || got.Form.Get("refresh_token") != testRefresh || got.Form.Get("client_id") != "cli" {
		t.Errorf("sent %v", got.Form)
	}
	if got.Form.Has("scope") || got.Header.Get("Authorization") != "" || got.Form.Has("client_secret") {
		t.Errorf("a public client's refresh sent scope or a credential: %v %v", got.Form, got.Header)
	}
	if res.RefreshToken != "next-refresh-token-9876543210" {
		t.Errorf("refresh token %q", res.RefreshToken)
	}
	for _, k := range []string{"refresh_token", "id_token"} {
		if _, ok := res.Token.Extra[k]; ok {
			t.Errorf("Token.Extra keeps %s: it would be cached beside the access token and shown", k)
		}
	}
	if res.Token.Extra["refresh_expires_in"] == nil {
		t.Error("the other fields of the answer were dropped")
	}
	if len(res.LogEntries) != 1 || len(logged) != 1 {
		t.Fatalf("exchanges: result %d, recorder %d; want 1 and 1", len(res.LogEntries), len(logged))
	}
	x := res.LogEntries[0]
	for _, s := range []string{x.RequestBody, x.ResponseBody} {
		if strings.Contains(s, testRefresh) || strings.Contains(s, "next-refresh-token-9876543210") {
			t.Errorf("the request log shows a refresh token: %s", s)
		}
	}
}

func TestGrantRedeemsACodeWithItsVerifier(t *testing.T) {
	ep := newTokenEndpoint(t, okToken)
	r := tokens.TokenRequest{Profile: publicProfile(ep.URL), Code: "the-code-0123456789", CodeVerifier: "verifier-0123456789-0123456789-0123456789ab",
		RedirectURI: "http://127.0.0.1:4711/callback"}
	var logged []tokens.LogEntry
	ctx := tokens.WithLogRecorder(context.Background(), func(x tokens.LogEntry) { logged = append(logged, x) })
	if _, err := newTestClient(ClientOptions{}).Grant(ctx, r); err != nil {
		t.Fatal(err)
	}
	f := ep.Last(t).Form
	if f.Get("grant_type") != "authorization_code" || f.Get("code") != r.Code || f.Get("code_verifier") != r.CodeVerifier || f.Get("redirect_uri") != r.RedirectURI {
		t.Errorf("sent %v", f)
	}
	for _, s := range []string{r.Code, r.CodeVerifier} {
		if strings.Contains(logged[0].RequestBody, s) {
			t.Errorf("the request log shows %s: %s", s, logged[0].RequestBody)
		}
	}
}

func TestGrantRefusesARequestThatDoesNotFitTheGrant(t *testing.T) {
	ep := newTokenEndpoint(t, okToken)
	c := newTestClient(ClientOptions{})
	_, err := c.Grant(context.Background(), tokens.TokenRequest{Profile: publicProfile(ep.URL)})
	if !errors.Is(err, tokens.ErrSignInNeeded) {
		t.Errorf("a sign-in profile asked for a client credentials token: %v", err)
	}
	// Fetch is the client credentials request: a user profile gets none.
	if _, err := c.Fetch(context.Background(), publicProfile(ep.URL)); !errors.Is(err, tokens.ErrSignInNeeded) {
		t.Errorf("Fetch of a sign-in profile: %v", err)
	}
	if ep.Requests() != 0 {
		t.Errorf("%d requests sent", ep.Requests())
	}
}
