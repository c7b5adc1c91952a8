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

func TestSameOrigin(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"https://a.example/x", "https://a.example/y?q", true},
		{"https://a.example", "https://A.EXAMPLE:443/", true},
		{"http://127.0.0.1/", "http://127.0.0.1:80/x", true},
		{"HTTPS://a.example", "https://a.example", true},
		{"https://a.example", "http://a.example", false},
		{"https://a.example", "https://a.example:8443", false},
		{"https://a.example", "https://b.a.example", false},
		{"https://a.example", "https://a.example.", false},
		{"https://a.example", "https://evil@a.example", false},
		{"https://a.example", "/relative", false},
		{"https://a.example", "", false},
		{"http://[::1]:9/", "http://[0:0::1]:9/", false}, // spelled differently: not the same
	} {
		if got := SameOrigin(tc.a, tc.b); got != tc.same {
			t.Errorf("SameOrigin(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.same)
		}
		if got := SameOrigin(tc.b, tc.a); got != tc.same {
			t.Errorf("SameOrigin(%q, %q) = %v, want %v", tc.b, tc.a, got, tc.same)
		}
	}
}

// Metadata naming the right issuer but a token endpoint elsewhere (an
// open redirect or a writable page on the issuer could serve it) must not
// get the client secret.
func TestDiscoveredTokenEndpointStaysOnTheIssuersOrigin(t *testing.T) {
	a := newAuthServer(t)
	foreign := newTokenEndpoint(t, okToken)
	a.metadata("/.well-known/openid-configuration", foreign.URL+"/token")
	c := newTestClient(ClientOptions{})
	p := tokens.Profile{Name: "d", IssuerURL: a.URL, ClientID: "c", ClientSecret: "a-long-enough-secret"}
	_, err := c.Fetch(context.Background(), p)
	var oe *tokens.OriginError
	if !errors.As(err, &oe) || !errors.Is(err, tokens.ErrConfig) || tokens.Classify(err) != tokens.Permanent {
		t.Fatalf("err = %v, want a permanent OriginError", err)
	}
	if oe.What != "token_endpoint" || oe.Origin != foreign.URL || oe.Issuer != a.URL {
		t.Errorf("OriginError %+v", oe)
	}
	if n := len(foreign.Received()); n != 0 {
		t.Fatalf("the foreign endpoint got %d token requests", n)
	}
	// Allowed explicitly: used.
	p.EndpointOrigins = []string{foreign.URL}
	fetchOK(t, c, p)
	if n := len(foreign.Received()); n != 1 {
		t.Errorf("allowed origin: %d token requests, want 1", n)
	}
	// Another profile of the same issuer without the allowance does not
	// reuse what was discovered for the first.
	p.Name, p.EndpointOrigins = "other", nil
	if _, err := c.Fetch(context.Background(), p); !errors.As(err, &oe) {
		t.Errorf("same issuer, no allowance: err = %v, want an OriginError", err)
	}
}

func TestCheckEndpointOrigin(t *testing.T) {
	issuer := "https://login.example.com/tenant"
	for _, ok := range []string{"https://login.example.com/oauth/token", "https://LOGIN.example.com:443/t", "https://api.example.com/token"} {
		if err := CheckEndpointOrigin(issuer, "token_endpoint", ok, []string{"https://api.example.com"}); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"https://evil.example/token", "https://login.example.com:8443/token", "http://login.example.com/token", "https://api.example.com.evil.example/t", "::"} {
		if err := CheckEndpointOrigin(issuer, "jwks_uri", bad, []string{"https://api.example.com"}); !errors.Is(err, tokens.ErrConfig) || !strings.Contains(err.Error(), "jwks_uri") {
			t.Errorf("%s: err %v, want refused naming jwks_uri", bad, err)
		}
	}
}

// Discovery follows redirects only within the issuer's origin (and the
// origins the profile allows): an open redirect on the issuer cannot make
// it read a document from another server.
func TestDiscoveryRedirectsStayOnTheIssuersOrigin(t *testing.T) {
	a := newAuthServer(t)
	b := newAuthServer(t)
	// b serves a document that claims a's issuer and a's token endpoint.
	b.serveDoc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		tokentest.WriteJSON(w, 200, map[string]any{"issuer": a.URL, "token_endpoint": a.URL + "/token"})
	})
	a.serveDoc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, b.URL+"/.well-known/openid-configuration", http.StatusFound)
	})
	c := newTestClient(ClientOptions{})
	p := tokens.Profile{Name: "d", IssuerURL: a.URL, ClientID: "c", ClientSecret: "a-long-enough-secret"}
	_, err := c.Fetch(context.Background(), p)
	var oe *tokens.OriginError
	if !errors.As(err, &oe) || oe.What != "redirect" || oe.Origin != b.URL || tokens.Classify(err) != tokens.Permanent {
		t.Fatalf("err = %v, want a permanent OriginError for the redirect", err)
	}
	if n := len(b.paths()); n != 0 {
		t.Errorf("the redirect target was fetched (%d requests)", n)
	}
	if n := len(a.token.Received()); n != 0 {
		t.Errorf("%d token requests", n)
	}
	// Allowed: followed.
	p.EndpointOrigins = []string{b.URL}
	fetchOK(t, c, p)

	// A redirect within the issuer's origin is followed.
	a2 := newAuthServer(t)
	a2.metadata("/moved/.well-known/openid-configuration", a2.URL+"/token")
	a2.serveDoc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/moved/.well-known/openid-configuration", http.StatusMovedPermanently)
	})
	// The moved document states the issuer of its own path, so state the
	// configured one instead.
	a2.serveDoc("/moved/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		tokentest.WriteJSON(w, 200, map[string]any{"issuer": a2.URL, "token_endpoint": a2.URL + "/token"})
	})
	fetchOK(t, c, tokens.Profile{Name: "same", IssuerURL: a2.URL, ClientID: "c", ClientSecret: "a-long-enough-secret"})
}
