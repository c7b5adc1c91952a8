package oauth

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/tokentray/tokentray/tokens"
)

// revocationServer serves metadata naming tokenURL as its token endpoint
// and revoke (its own /revoke when "") as its revocation endpoint, and
// records what reaches its /revoke.
type revocationServer struct {
	*httptest.Server
	mu      sync.Mutex
	tokens  []string // the token of each revocation request
	hints   []string
	tokenEP string
	revoke  string
}

func newRevocationServer(t *testing.T) *revocationServer {
	s := &revocationServer{}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		doc := map[string]any{"issuer": s.URL, "token_endpoint": s.tokenEP, "revocation_endpoint": s.revoke}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(doc)
	})
	mux.HandleFunc("/revoke", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		s.mu.Lock()
		s.tokens = append(s.tokens, r.Form.Get("token"))
		s.hints = append(s.hints, r.Form.Get("token_type_hint"))
		s.mu.Unlock()
		w.WriteHeader(200)
	})
	s.Server = httptest.NewServer(mux)
	s.tokenEP, s.revoke = s.URL+"/token", s.URL+"/revoke"
	t.Cleanup(s.Close)
	return s
}

func (s *revocationServer) revoked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.tokens...)
}

// signedInWith keeps a sign-in of p with refresh token rt in a memory
// store: id, when set, is who signed in; access is the access token.
func signedInWith(t *testing.T, p tokens.Profile, rt, access string, id *tokens.IDClaims) tokens.Store {
	t.Helper()
	st := tokens.NewMemoryStore()
	ctx := context.Background()
	if err := st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	res := &tokens.TokenResult{RefreshToken: rt, Token: &tokens.Token{AccessToken: access, TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour), ID: id}}
	if _, err := tokens.KeepSignIn(ctx, st, p, res); err != nil {
		t.Fatal(err)
	}
	return st
}

func jwtIssuedBy(t *testing.T, iss string) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": iss, "sub": "ada", "exp": time.Now().Add(time.Hour).Unix()}).SignedString([]byte("k"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Logout of a profile with only a token URL tells its server: the
// revocation endpoint is found from the issuer the sign-in named (the
// checked ID token's iss, or the access token's), as `tokentray revoke`
// finds it for the access token (issue #26 review: nothing was revoked,
// ErrNoEndpoint; the test failed first).
func TestSignOutFindsTheRevocationEndpointFromTheSignInsIssuer(t *testing.T) {
	const refresh = "refresh-token-to-revoke-0123456789"
	for _, c := range []struct {
		name   string
		id     bool
		access func(iss string) string
	}{
		{"the ID token's iss", true, func(string) string { return "opaque-access-token" }},
		{"the access token's iss", false, func(iss string) string { return jwtIssuedBy(t, iss) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := newRevocationServer(t)
			p := tokens.Profile{Name: "me", TokenURL: srv.URL + "/token", ClientID: "cli", Auth: tokens.AuthNone,
				Grant: tokens.GrantAuthorizationCode, AuthorizationURL: srv.URL + "/authorize"}
			var id *tokens.IDClaims
			if c.id {
				id = &tokens.IDClaims{Issuer: srv.URL, Subject: "ada"}
			}
			st := signedInWith(t, p, refresh, c.access(srv.URL), id)
			revoked, err := tokens.SignOut(context.Background(), st, p, newTestClient(ClientOptions{}).RevokeRefresh)
			if err != nil || !revoked {
				t.Fatalf("SignOut: revoked %v, %v; want revoked", revoked, err)
			}
			if got := srv.revoked(); len(got) != 1 || got[0] != refresh || srv.hints[0] != "refresh_token" {
				t.Fatalf("the revocation endpoint got %q (hints %q)", got, srv.hints)
			}
		})
	}
}

// Hostile: an issuer on another origin than the token URL's (a sign-in's
// iss, or the access token's, naming a server the person never chose)
// whose metadata names the profile's token endpoint and a revocation
// endpoint of its own gets nothing: a refresh token goes only to the
// origins the profile trusts. (Seen failing against the rule Revoke
// applies to an access token, which accepts the issuer's own origin.)
func TestARefreshTokenNeverGoesToAnotherIssuersOrigin(t *testing.T) {
	const refresh = "refresh-token-to-revoke-0123456789"
	trusted, hostile := newRevocationServer(t), newRevocationServer(t)
	hostile.tokenEP = trusted.URL + "/token" // names the profile's token endpoint
	p := tokens.Profile{Name: "me", TokenURL: trusted.URL + "/token", ClientID: "cli", Auth: tokens.AuthNone,
		Grant: tokens.GrantAuthorizationCode, AuthorizationURL: trusted.URL + "/authorize"}
	for name, st := range map[string]tokens.Store{
		"the ID token's iss":     signedInWith(t, p, refresh, "opaque-access-token", &tokens.IDClaims{Issuer: hostile.URL, Subject: "ada"}),
		"the access token's iss": signedInWith(t, p, refresh, jwtIssuedBy(t, hostile.URL), nil),
	} {
		revoked, err := tokens.SignOut(context.Background(), st, p, newTestClient(ClientOptions{}).RevokeRefresh)
		if err != nil || revoked {
			t.Errorf("%s: SignOut: revoked %v, %v; want signed out, not revoked", name, revoked, err)
		}
	}
	// A JWT refresh token's own iss is no better.
	jwtRefresh := jwtIssuedBy(t, hostile.URL)
	if err := newTestClient(ClientOptions{}).RevokeRefresh(context.Background(), p, jwtRefresh); err == nil {
		t.Errorf("a JWT refresh token naming the hostile issuer was revoked there")
	}
	if got := hostile.revoked(); len(got) != 0 {
		t.Fatalf("the hostile issuer's revocation endpoint got %d refresh tokens", len(got))
	}
	// Its metadata may name the trusted server's endpoint: that one the
	// person chose.
	hostile.mu.Lock()
	hostile.revoke = trusted.URL + "/revoke"
	hostile.mu.Unlock()
	ctx := tokens.WithSignInIssuer(context.Background(), hostile.URL)
	if err := newTestClient(ClientOptions{}).RevokeRefresh(ctx, p, refresh); err != nil || len(trusted.revoked()) != 1 {
		t.Fatalf("revocation at the trusted origin: %v, %q", err, trusted.revoked())
	}
}
