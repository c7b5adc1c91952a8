package oauth

import (
	"context"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

const inspectSecret = "introspection client secret 0123456789"

func activeAnswer(w http.ResponseWriter, rec recorded) {
	tokentest.WriteJSON(w, 200, map[string]any{"active": true, "scope": "api.read", "client_id": "c", "sub": "svc", "exp": testNow.Unix() + 600, "aud": []string{"api", "x"}})
}

// Introspection and revocation authenticate as the token request does,
// with every method, and send token and token_type_hint.
func TestInspectClientAuthEveryMethod(t *testing.T) {
	rsaKey := testRSAKey(t)
	ca, _ := newTestCA(t, "client CA")
	ecKey := testECKey(t, elliptic.P256())
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)
	mtls := tokentest.NewUnstartedEndpoint(t, tokentest.Respond(activeAnswer))
	mtls.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	quietTLS(mtls.Server)
	mtls.StartTLS()
	t.Cleanup(mtls.Close)

	plain := newTokenEndpoint(t, activeAnswer)
	cases := []struct {
		auth  tokens.AuthMethod
		e     *tokenEndpoint
		check func(t *testing.T, rec recorded, tokenURL string)
	}{
		{tokens.AuthClientSecretBasic, plain, func(t *testing.T, rec recorded, _ string) {
			want := "Basic " + base64.StdEncoding.EncodeToString([]byte("c:"+url.QueryEscape(inspectSecret)))
			if rec.Header.Get("Authorization") != want || rec.Form.Has("client_secret") {
				t.Errorf("Authorization %q, form %v", rec.Header.Get("Authorization"), rec.Form)
			}
		}},
		{tokens.AuthClientSecretPost, plain, func(t *testing.T, rec recorded, _ string) {
			if rec.Form.Get("client_id") != "c" || rec.Form.Get("client_secret") != inspectSecret || rec.Header.Get("Authorization") != "" {
				t.Errorf("form %v", rec.Form)
			}
		}},
		{tokens.AuthClientSecretJWT, plain, func(t *testing.T, rec recorded, tokenURL string) {
			verifyAssertion(t, rec.Form, tokenURL, "c", "HS256", []byte(inspectSecret))
		}},
		{tokens.AuthPrivateKeyJWT, plain, func(t *testing.T, rec recorded, tokenURL string) {
			verifyAssertion(t, rec.Form, tokenURL, "c", "RS256", &rsaKey.PublicKey)
		}},
		{tokens.AuthTLSClient, mtls, func(t *testing.T, rec recorded, _ string) {
			if rec.PeerCN != "tokentray-client" || rec.Form.Get("client_id") != "c" || rec.Header.Get("Authorization") != "" {
				t.Errorf("peer %q, form %v", rec.PeerCN, rec.Form)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(string(tc.auth), func(t *testing.T) {
			p := tokens.Profile{Name: "i", TokenURL: tc.e.URL + "/token", ClientID: "c", Auth: tc.auth,
				IntrospectionURL: tc.e.URL + "/introspect", RevocationURL: tc.e.URL + "/revoke"}
			switch tc.auth {
			case tokens.AuthPrivateKeyJWT:
				p.PrivateKeyPEM = pkcs8PEM(t, rsaKey)
			case tokens.AuthTLSClient:
				p.ClientCertPEM, p.ClientKeyPEM = ca.issueClient(t, "tokentray-client", ecKey), sec1PEM(t, ecKey)
				p.CABundlePEM = pemBlock("CERTIFICATE", tc.e.Certificate().Raw)
			default:
				p.ClientSecret = inspectSecret
			}
			c := newTestClient(ClientOptions{})
			tok := &tokens.Token{AccessToken: "the-access-token"}
			in, err := c.Introspect(context.Background(), p, tok)
			if err != nil {
				t.Fatalf("Introspect: %v", err)
			}
			if !in.Active || in.Scope != "api.read" || in.Subject != "svc" || in.ExpiresAt.Unix() != testNow.Unix()+600 || strings.Join(in.Audience, ",") != "api,x" {
				t.Errorf("introspection = %+v", in)
			}
			if err := c.Revoke(context.Background(), p, tok); err != nil {
				t.Fatalf("Revoke: %v", err)
			}
			reqs := tc.e.Received()
			for i, path := range []string{"/introspect", "/revoke"} {
				rec := reqs[len(reqs)-2+i]
				if rec.Form.Get("token") != "the-access-token" || rec.Form.Get("token_type_hint") != "access_token" {
					t.Errorf("%s: form %v", path, rec.Form)
				}
				tc.check(t, rec, p.TokenURL)
			}
		})
	}
}

// What a hostile or broken endpoint answers never carries a secret or the
// token into what is shown, is capped, and unusable answers are errors.
func TestIntrospectHostileAnswers(t *testing.T) {
	const token = "the-access-token-value-0123456789"
	p := func(e *tokenEndpoint) tokens.Profile {
		return tokens.Profile{Name: "i", TokenURL: e.URL + "/token", ClientID: "c", ClientSecret: inspectSecret, Auth: tokens.AuthClientSecretPost, IntrospectionURL: e.URL + "/introspect"}
	}
	introspect := func(e *tokenEndpoint) (*tokens.Introspection, error) {
		return newTestClient(ClientOptions{}).Introspect(context.Background(), p(e), &tokens.Token{AccessToken: token})
	}

	echo := newTokenEndpoint(t, func(w http.ResponseWriter, rec recorded) {
		tokentest.WriteJSON(w, 200, map[string]any{"active": true, "sub": "echo " + rec.Form.Get("client_secret"), "token": rec.Form.Get("token"),
			"note": "line\u202eone\x1b[31m", "zz_big": strings.Repeat("x", 40<<10)})
	})
	in, err := introspect(echo)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{in.Raw, in.Subject} {
		if strings.Contains(s, inspectSecret) || strings.Contains(s, token) || strings.ContainsAny(s, "\u202e\x1b") {
			t.Errorf("shown text carries a secret, the token or a control character: %.300q", s)
		}
	}
	if !in.Truncated || len(in.Raw) > tokens.MaxIntrospectionShown || !strings.Contains(in.Raw, `"active": true`) {
		t.Errorf("raw: truncated %v, %d bytes, %.200q", in.Truncated, len(in.Raw), in.Raw)
	}

	for name, tc := range map[string]struct {
		respond func(w http.ResponseWriter, rec recorded)
		check   func(*tokens.EndpointError) bool
	}{
		"refusal": {func(w http.ResponseWriter, rec recorded) {
			tokentest.WriteJSON(w, 401, map[string]string{"error": "invalid_client", "error_description": "bad " + rec.Form.Get("client_secret")})
		}, func(e *tokens.EndpointError) bool {
			return e.Status == 401 && e.Code == "invalid_client" && !strings.Contains(e.Description, inspectSecret)
		}},
		"html": {func(w http.ResponseWriter, rec recorded) {
			w.WriteHeader(200)
			_, _ = w.Write([]byte("<html>login</html>"))
		}, func(e *tokens.EndpointError) bool { return e.Status == 200 && e.Problem == tokens.ProblemInvalidJSON }},
		"no active": {func(w http.ResponseWriter, rec recorded) {
			tokentest.WriteJSON(w, 200, map[string]any{"active": "true"})
		}, func(e *tokens.EndpointError) bool { return e.Problem == tokens.ProblemNoActive }},
		"redirect": {func(w http.ResponseWriter, rec recorded) {
			w.Header().Set("Location", "http://127.0.0.1:1/elsewhere")
			w.WriteHeader(http.StatusTemporaryRedirect)
		}, func(e *tokens.EndpointError) bool { return e.Status == http.StatusTemporaryRedirect }},
	} {
		t.Run(name, func(t *testing.T) {
			e := newTokenEndpoint(t, tc.respond)
			_, err := introspect(e)
			var ee *tokens.EndpointError
			if !errors.As(err, &ee) || ee.Op != tokens.OpIntrospect || !tc.check(ee) {
				t.Errorf("err = %#v", err)
			}
			if n := len(e.Received()); n != 1 {
				t.Errorf("%d requests, want 1 (no redirect followed)", n)
			}
		})
	}
}

// With no endpoint set and none in metadata, nothing is sent.
func TestInspectNoEndpoint(t *testing.T) {
	e := newTokenEndpoint(t, activeAnswer)
	p := tokens.Profile{Name: "i", TokenURL: e.URL + "/token", ClientID: "c", ClientSecret: inspectSecret}
	c := newTestClient(ClientOptions{})
	tok := &tokens.Token{AccessToken: "opaque"}
	if _, err := c.Introspect(context.Background(), p, tok); !errors.Is(err, tokens.ErrNoEndpoint) {
		t.Errorf("Introspect = %v, want ErrNoEndpoint", err)
	}
	if err := c.Revoke(context.Background(), p, tok); !errors.Is(err, tokens.ErrNoEndpoint) {
		t.Errorf("Revoke = %v, want ErrNoEndpoint", err)
	}
	if n := len(e.Received()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestRevokeRefused(t *testing.T) {
	e := newTokenEndpoint(t, func(w http.ResponseWriter, rec recorded) {
		tokentest.WriteJSON(w, 503, map[string]string{"error": "temporarily_unavailable"})
	})
	p := tokens.Profile{Name: "i", TokenURL: e.URL + "/token", ClientID: "c", ClientSecret: inspectSecret, RevocationURL: e.URL + "/revoke"}
	err := newTestClient(ClientOptions{}).Revoke(context.Background(), p, &tokens.Token{AccessToken: "opaque"})
	var ee *tokens.EndpointError
	if !errors.As(err, &ee) || ee.Op != tokens.OpRevoke || ee.Status != 503 || ee.Code != "temporarily_unavailable" {
		t.Errorf("err = %v", err)
	}
}

// Discovered endpoints: a usable one is used, an unusable one is left out
// (nothing is sent to it).
func TestInspectDiscoveredEndpoints(t *testing.T) {
	rec := newTokenEndpoint(t, activeAnswer)
	is := newTestIssuer(t)
	is.extra = map[string]any{"introspection_endpoint": rec.URL + "/introspect", "revocation_endpoint": "ftp://127.0.0.1/revoke"}
	p := tokens.Profile{Name: "i", IssuerURL: is.URL, ClientID: "c", ClientSecret: inspectSecret}
	c := newTestClient(ClientOptions{})
	tok := &tokens.Token{AccessToken: "opaque"}
	// The introspection endpoint is on another port: another origin, not
	// used unless the profile allows it.
	if _, err := c.Introspect(context.Background(), p, tok); !errors.Is(err, tokens.ErrNoEndpoint) {
		t.Errorf("Introspect at another origin = %v, want ErrNoEndpoint", err)
	}
	p.EndpointOrigins = []string{rec.URL}
	if in, err := c.Introspect(context.Background(), p, tok); err != nil || !in.Active || in.Endpoint != rec.URL+"/introspect" {
		t.Errorf("Introspect = %+v, %v", in, err)
	}
	if err := c.Revoke(context.Background(), p, tok); !errors.Is(err, tokens.ErrNoEndpoint) {
		t.Errorf("Revoke with an unusable discovered endpoint = %v, want ErrNoEndpoint", err)
	}
	// The profile's own URL wins over the metadata.
	p.RevocationURL = rec.URL + "/revoke"
	if err := c.Revoke(context.Background(), p, tok); err != nil {
		t.Errorf("Revoke at the profile's URL: %v", err)
	}
	if n := len(rec.Received()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}
