package servertest

// Introspection and revocation against github.com/ory/fosite, an OAuth 2.0
// server library Tokentray did not write (go-oauth2 has neither endpoint),
// served over loopback.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/storage"
	"golang.org/x/crypto/bcrypt"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
)

const (
	fositeClientID = "tokentray"
	fositeSecret   = "fosite secret/with+specials"
)

// newFositeServer serves fosite's client credentials grant, introspection
// and revocation, with opaque (HMAC) access tokens, and RFC 8414 metadata
// naming them.
func newFositeServer(t *testing.T) *httptest.Server {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(fositeSecret), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	st := storage.NewMemoryStore()
	st.Clients[fositeClientID] = &fosite.DefaultClient{ID: fositeClientID, Secret: hash,
		GrantTypes: []string{"client_credentials"}, Scopes: []string{"api.read"}}
	cfg := &fosite.Config{GlobalSecret: []byte("a global secret of thirty-two by"), AccessTokenLifespan: time.Hour}
	provider := compose.Compose(cfg, st, &compose.CommonStrategy{CoreStrategy: compose.NewOAuth2HMACStrategy(cfg)},
		compose.OAuth2ClientCredentialsGrantFactory, compose.OAuth2TokenIntrospectionFactory, compose.OAuth2TokenRevocationFactory)

	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/.well-known/oauth-authorization-server", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": srv.URL, "token_endpoint": srv.URL + "/token",
			"introspection_endpoint": srv.URL + "/introspect", "revocation_endpoint": srv.URL + "/revoke"})
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ar, err := provider.NewAccessRequest(ctx, r, &fosite.DefaultSession{})
		if err != nil {
			provider.WriteAccessError(ctx, w, ar, err)
			return
		}
		for _, s := range ar.GetRequestedScopes() {
			ar.GrantScope(s)
		}
		resp, err := provider.NewAccessResponse(ctx, ar)
		if err != nil {
			provider.WriteAccessError(ctx, w, ar, err)
			return
		}
		provider.WriteAccessResponse(ctx, w, ar, resp)
	})
	mux.HandleFunc("/introspect", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ir, err := provider.NewIntrospectionRequest(ctx, r, &fosite.DefaultSession{})
		if err != nil {
			provider.WriteIntrospectionError(ctx, w, err)
			return
		}
		provider.WriteIntrospectionResponse(ctx, w, ir)
	})
	mux.HandleFunc("/revoke", func(w http.ResponseWriter, r *http.Request) {
		provider.WriteRevocationResponse(r.Context(), w, provider.NewRevocationRequest(r.Context(), r))
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// Fetch, introspect (active), revoke, introspect again (inactive), with
// the endpoints discovered from the issuer's RFC 8414 metadata.
func TestFositeIntrospectRevokeRoundTrip(t *testing.T) {
	srv := newFositeServer(t)
	ctx := context.Background()
	c := oauth.NewClient(oauth.ClientOptions{})
	p := tokens.Profile{Name: "fosite", IssuerURL: srv.URL, ClientID: fositeClientID, ClientSecret: fositeSecret, Scopes: []string{"api.read"}}
	tok, err := c.Fetch(ctx, p)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	in, err := c.Introspect(ctx, p, tok)
	if err != nil {
		t.Fatalf("Introspect: %v", err)
	}
	if !in.Active || in.ClientID != fositeClientID || in.Scope != "api.read" || in.ExpiresAt.IsZero() || in.Endpoint != srv.URL+"/introspect" {
		t.Errorf("introspection of a fresh token = %+v", in)
	}
	if v := c.Verify(ctx, p, tok); v.Verdict() != tokens.VerdictUnchecked {
		t.Errorf("an opaque token verified as %s", v.Verdict())
	}
	if err := c.Revoke(ctx, p, tok); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	in, err = c.Introspect(ctx, p, tok)
	if err != nil {
		t.Fatalf("Introspect after revoking: %v", err)
	}
	if in.Active {
		t.Errorf("introspection after revoking says active: %+v", in)
	}

	// Wrong credentials: fosite refuses, and the error says so.
	bad := p
	bad.ClientSecret = "not the secret at all"
	var ee *tokens.EndpointError
	if err := c.Revoke(ctx, bad, tok); !errors.As(err, &ee) || ee.Op != tokens.OpRevoke || ee.Status != http.StatusUnauthorized || ee.Code != "invalid_client" {
		t.Errorf("Revoke with a wrong secret = %v, want an invalid_client EndpointError", err)
	}
	if _, err := c.Introspect(ctx, bad, tok); !errors.As(err, &ee) || ee.Op != tokens.OpIntrospect || ee.Status/100 != 4 {
		t.Errorf("Introspect with a wrong secret = %v, want a 4xx EndpointError", err)
	}
}
