package servertest

// An authorization server for the sign-in tests: Ory Fosite's
// authorization code grant with PKCE (S256 enforced), refresh token
// rotation with reuse detection, revocation, and OpenID Connect (an ID
// token signed with an RSA key published at /jwks, for the scope openid),
// behind a login page and a consent page a scripted browser goes through
// as a person would.

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/handler/openid"
	"github.com/ory/fosite/storage"
	fositejwt "github.com/ory/fosite/token/jwt"
)

const (
	userClientID = "tokentray-cli"
	userName     = "alice"
	userPassword = "wonderland-0123"
	userEmail    = "alice@example.com"
	idTokenKID   = "fosite-1"
)

// fositeUser is the server and what the tests count of it.
type fositeUser struct {
	*httptest.Server
	store     *storage.MemoryStore
	cfg       *fosite.Config
	idKey     *rsa.PrivateKey // signs the ID tokens
	refreshes atomic.Int32    // refresh_token grants answered with a token
	refused   atomic.Int32    // token requests refused
	logins    atomic.Int32    // logins with the right password

	mu      sync.Mutex
	tickets map[string]string // login ticket → the authorization request's query
}

// newFositeUser starts the server; access tokens live accessLife.
func newFositeUser(t *testing.T, accessLife time.Duration) *fositeUser {
	t.Helper()
	st := storage.NewMemoryStore()
	st.Clients[userClientID] = &fosite.DefaultClient{ID: userClientID, Public: true,
		RedirectURIs:  []string{"http://127.0.0.1/callback"},
		ResponseTypes: []string{"code"}, GrantTypes: []string{"authorization_code", "refresh_token"},
		Scopes: []string{"offline_access", "api.read", "openid", "email"}}
	cfg := &fosite.Config{GlobalSecret: []byte("a global secret of thirty-two by"), AccessTokenLifespan: accessLife,
		RefreshTokenLifespan: 24 * time.Hour, AuthorizeCodeLifespan: time.Minute, EnforcePKCE: true,
		IDTokenLifespan: 24 * time.Hour} // the tests skip their client's clock hours ahead of Fosite's
	idKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	strategy := &compose.CommonStrategy{CoreStrategy: compose.NewOAuth2HMACStrategy(cfg),
		OpenIDConnectTokenStrategy: compose.NewOpenIDConnectStrategy(func(context.Context) (any, error) { return idKey, nil }, cfg)}
	provider := compose.Compose(cfg, st, strategy,
		compose.OAuth2AuthorizeExplicitFactory, compose.OAuth2PKCEFactory, compose.OAuth2RefreshTokenGrantFactory,
		compose.OAuth2TokenRevocationFactory, compose.OpenIDConnectExplicitFactory, compose.OpenIDConnectRefreshFactory)
	f := &fositeUser{store: st, cfg: cfg, idKey: idKey, tickets: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/oauth-authorization-server", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": f.URL, "token_endpoint": f.URL + "/token",
			"authorization_endpoint": f.URL + "/authorize", "revocation_endpoint": f.URL + "/revoke",
			"code_challenge_methods_supported": []string{"S256"}, "jwks_uri": f.URL + "/jwks"})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		b64 := base64.RawURLEncoding.EncodeToString
		w.Header().Set("Content-Type", "application/jwk-set+json")
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{"kty": "RSA", "kid": idTokenKID, "use": "sig", "alg": "RS256",
			"n": b64(idKey.N.Bytes()), "e": b64([]byte{1, 0, 1})}}})
	})
	// The login page: a ticket stands for the authorization request.
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		if _, err := provider.NewAuthorizeRequest(r.Context(), r); err != nil {
			provider.WriteAuthorizeError(r.Context(), w, fosite.NewAuthorizeRequest(), err)
			return
		}
		f.mu.Lock()
		ticket := fmt.Sprintf("t%d", len(f.tickets)+1)
		f.tickets[ticket] = r.URL.RawQuery
		f.mu.Unlock()
		page(w, "Sign in", `<form method="post" action="/login"><input type="hidden" name="ticket" value="`+ticket+`">`+
			`<input name="username"><input type="password" name="password"><button>Sign in</button></form>`)
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		if r.PostFormValue("username") != userName || r.PostFormValue("password") != userPassword {
			page(w, "Wrong password", "Try again.")
			return
		}
		f.logins.Add(1)
		page(w, "Allow access?", `<form method="post" action="/consent"><input type="hidden" name="ticket" value="`+
			html.EscapeString(r.PostFormValue("ticket"))+`"><button name="consent" value="allow">Allow</button></form>`)
	})
	mux.HandleFunc("POST /consent", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		query, ok := f.tickets[r.PostFormValue("ticket")]
		delete(f.tickets, r.PostFormValue("ticket"))
		f.mu.Unlock()
		if !ok || r.PostFormValue("consent") != "allow" {
			http.Error(w, "no such sign-in", http.StatusBadRequest)
			return
		}
		orig := r.Clone(r.Context())
		orig.Method, orig.Body, orig.ContentLength, orig.Form, orig.PostForm = http.MethodGet, http.NoBody, 0, nil, nil
		orig.Header = http.Header{}
		orig.URL = &url.URL{Path: "/authorize", RawQuery: query}
		ar, err := provider.NewAuthorizeRequest(r.Context(), orig)
		if err != nil {
			provider.WriteAuthorizeError(r.Context(), w, ar, err)
			return
		}
		for _, s := range ar.GetRequestedScopes() {
			ar.GrantScope(s)
		}
		resp, err := provider.NewAuthorizeResponse(r.Context(), ar, f.session())
		if err != nil {
			provider.WriteAuthorizeError(r.Context(), w, ar, err)
			return
		}
		provider.WriteAuthorizeResponse(r.Context(), w, ar, resp)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ar, err := provider.NewAccessRequest(ctx, r, openid.NewDefaultSession())
		if err != nil {
			f.refused.Add(1)
			provider.WriteAccessError(ctx, w, ar, err)
			return
		}
		resp, err := provider.NewAccessResponse(ctx, ar)
		if err != nil {
			f.refused.Add(1)
			provider.WriteAccessError(ctx, w, ar, err)
			return
		}
		if ar.GetGrantTypes().ExactOne("refresh_token") {
			f.refreshes.Add(1)
		}
		provider.WriteAccessResponse(ctx, w, ar, resp)
	})
	mux.HandleFunc("POST /revoke", func(w http.ResponseWriter, r *http.Request) {
		provider.WriteRevocationResponse(r.Context(), w, provider.NewRevocationRequest(r.Context(), r))
	})
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	cfg.IDTokenIssuer = f.URL
	return f
}

// session is the signed-in person's: the OpenID Connect claims of the ID
// token Fosite issues for the scope openid (it adds iss, aud, nonce, exp).
func (f *fositeUser) session() *openid.DefaultSession {
	return &openid.DefaultSession{Subject: userName, Username: userName,
		Claims: &fositejwt.IDTokenClaims{Subject: userName, AuthTime: time.Now().UTC(), RequestedAt: time.Now().UTC(),
			Extra: map[string]any{"email": userEmail, "name": "Alice Liddell"}},
		Headers: &fositejwt.Headers{Extra: map[string]any{"kid": idTokenKID}}}
}

func page(w http.ResponseWriter, title, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!doctype html><title>%s</title><h1>%s</h1>%s", title, title, body)
}
