package servertest

// Tests against github.com/go-oauth2/oauth2/v4, an OAuth 2.0 server library
// Tokentray did not write, served over loopback.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-oauth2/oauth2/v4"
	"github.com/go-oauth2/oauth2/v4/generates"
	"github.com/go-oauth2/oauth2/v4/manage"
	"github.com/go-oauth2/oauth2/v4/models"
	"github.com/go-oauth2/oauth2/v4/server"
	"github.com/go-oauth2/oauth2/v4/store"
	"github.com/golang-jwt/jwt/v5"
	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

const (
	goOAuth2ClientID = "tokentray-cli"
	goOAuth2Secret   = "go-oauth2 secret/with+specials"
	goOAuth2Lifetime = 30 * time.Minute
)

// goOAuth2Server runs a go-oauth2 authorization server issuing HS512 JWT
// access tokens, with a protected /api that validates them.
func goOAuth2Server(t *testing.T, configure func(srv *server.Server)) *httptest.Server {
	t.Helper()
	manager := manage.NewDefaultManager()
	manager.MustTokenStorage(store.NewMemoryTokenStore())
	clients := store.NewClientStore()
	if err := clients.Set(goOAuth2ClientID, &models.Client{ID: goOAuth2ClientID, Secret: goOAuth2Secret, Domain: "http://localhost"}); err != nil {
		t.Fatal(err)
	}
	manager.MapClientStorage(clients)
	manager.MapAccessGenerate(generates.NewJWTAccessGenerate("k1", []byte("go-oauth2-signing-key-0123456789"), jwt.SigningMethodHS512))
	manager.SetClientTokenCfg(&manage.Config{AccessTokenExp: goOAuth2Lifetime})

	srv := server.NewDefaultServer(manager)
	srv.SetAllowedGrantType(oauth2.ClientCredentials)
	srv.SetClientScopeHandler(func(tgr *oauth2.TokenGenerateRequest) (bool, error) {
		return tgr.Scope == "" || tgr.Scope == "read write", nil
	})
	srv.SetExtensionFieldsHandler(func(oauth2.TokenInfo) map[string]any { return map[string]any{"tenant": "acme"} })
	if configure != nil {
		configure(srv)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		_ = srv.HandleTokenRequest(w, r)
	})
	mux.HandleFunc("/api", func(w http.ResponseWriter, r *http.Request) {
		ti, err := srv.ValidationBearerToken(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte(ti.GetClientID()))
	})
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	return hs
}

// callAPI uses tok at the server's protected resource and returns the
// client ID the server resolved from it.
func callAPI(t *testing.T, hs *httptest.Server, tok *tokens.Token) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, hs.URL+"/api", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("server refused the token: HTTP %d %s", resp.StatusCode, body)
	}
	return string(body)
}

func goOAuth2Profile(hs *httptest.Server, auth tokens.AuthMethod) tokens.Profile {
	return tokens.Profile{Name: "go-oauth2", TokenURL: hs.URL + "/oauth/token", ClientID: goOAuth2ClientID,
		ClientSecret: goOAuth2Secret, Auth: auth, Scopes: []string{"read", "write"}}
}

func TestGoOAuth2ClientCredentials(t *testing.T) {
	for _, tc := range []struct {
		auth    tokens.AuthMethod
		handler server.ClientInfoHandler
	}{
		{tokens.AuthClientSecretBasic, basicFormDecoded},
		{tokens.AuthClientSecretPost, server.ClientFormHandler},
	} {
		t.Run(string(tc.auth), func(t *testing.T) {
			hs := goOAuth2Server(t, func(srv *server.Server) { srv.SetClientInfoHandler(tc.handler) })
			before := time.Now()
			tok := fetchOK(t, oauth.NewClient(oauth.ClientOptions{}), goOAuth2Profile(hs, tc.auth))
			if tok.TokenType != "Bearer" || tok.Scope != "read write" || tok.Extra["tenant"] != "acme" {
				t.Errorf("token = %+v", tok)
			}
			if tok.ExpirySource != tokens.ExpiryFromExpiresIn || tok.Lifetime() != goOAuth2Lifetime || tok.IssuedAt.Before(before) {
				t.Errorf("expiry: %s lifetime %v issued %v", tok.ExpirySource, tok.Lifetime(), tok.IssuedAt)
			}
			// expires_in and the JWT exp agree, so there is no conflict.
			if tok.ExpiryConflict != nil {
				t.Errorf("unexpected expiry conflict %+v", tok.ExpiryConflict)
			}
			info, err := tokens.DecodeJWT(tok.AccessToken)
			if err != nil {
				t.Fatalf("DecodeJWT: %v", err)
			}
			if info.Header["alg"] != "HS512" || info.Header["kid"] != "k1" {
				t.Errorf("header = %v", info.Header)
			}
			if aud, _ := json.Marshal(info.Claims["aud"]); string(aud) != `["tokentray-cli"]` {
				t.Errorf("aud = %s", aud)
			}
			if got := callAPI(t, hs, tok); got != goOAuth2ClientID {
				t.Errorf("server resolved client %q", got)
			}
		})
	}
}

// basicFormDecoded is go-oauth2's ClientBasicHandler plus the RFC 6749
// §2.3.1 form-decoding of the Basic credentials that it leaves out.
func basicFormDecoded(r *http.Request) (string, string, error) {
	id, secret, err := server.ClientBasicHandler(r)
	if err != nil {
		return "", "", err
	}
	return formUnescape(id), formUnescape(secret), nil
}

func formUnescape(s string) string {
	out, err := url.QueryUnescape(s)
	if err != nil {
		return s
	}
	return out
}

func TestGoOAuth2ExpiryFromJWTWhenExpiresInIsMissing(t *testing.T) {
	// The server omits expires_in: the client reuses the JWT's exp.
	hs := goOAuth2Server(t, func(srv *server.Server) {
		srv.SetClientInfoHandler(basicFormDecoded)
		srv.SetResponseTokenHandler(func(w http.ResponseWriter, data map[string]any, _ http.Header, status ...int) error {
			delete(data, "expires_in")
			code := 200
			if len(status) > 0 && status[0] > 0 {
				code = status[0]
			}
			tokentest.WriteJSON(w, code, data)
			return nil
		})
	})
	tok := fetchOK(t, oauth.NewClient(oauth.ClientOptions{}), goOAuth2Profile(hs, tokens.AuthClientSecretBasic))
	info, err := tokens.DecodeJWT(tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	exp, ok := info.ExpiresAt()
	if !ok || tok.ExpirySource != tokens.ExpiryFromJWT || !tok.ExpiresAt.Equal(exp) {
		t.Fatalf("expiry %v from %s, want the JWT exp %v", tok.ExpiresAt, tok.ExpirySource, exp)
	}
	if d := tok.Lifetime() - goOAuth2Lifetime; d > time.Second || d < -2*time.Second {
		t.Errorf("lifetime %v, want about %v", tok.Lifetime(), goOAuth2Lifetime)
	}
	callAPI(t, hs, tok)
}

func TestGoOAuth2Refusals(t *testing.T) {
	hs := goOAuth2Server(t, func(srv *server.Server) { srv.SetClientInfoHandler(basicFormDecoded) })
	c := oauth.NewClient(oauth.ClientOptions{})

	p := goOAuth2Profile(hs, tokens.AuthClientSecretBasic)
	p.ClientSecret = "wrong secret value"
	_, err := c.Fetch(context.Background(), p)
	var se *tokens.ServerError
	if !errors.As(err, &se) || se.Status != 401 || se.Code != "invalid_client" || tokens.Classify(err) != tokens.Permanent {
		t.Errorf("wrong secret: err = %v, want 401 invalid_client (permanent)", err)
	}
	if err != nil && strings.Contains(err.Error(), p.ClientSecret) {
		t.Error("error contains the secret")
	}

	p = goOAuth2Profile(hs, tokens.AuthClientSecretBasic)
	p.Scopes = []string{"admin"}
	_, err = c.Fetch(context.Background(), p)
	if !errors.As(err, &se) || se.Code != "invalid_scope" || tokens.Classify(err) != tokens.Permanent {
		t.Errorf("bad scope: err = %v, want invalid_scope (permanent)", err)
	}
}
