package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// authServer is a test authorization server with metadata documents.
type authServer struct {
	*httptest.Server
	mu    sync.Mutex
	hits  []string // request paths in order
	docs  map[string]func(w http.ResponseWriter, r *http.Request)
	token *tokenEndpoint
	t     *testing.T
}

func newAuthServer(t *testing.T) *authServer {
	t.Helper()
	a := &authServer{docs: map[string]func(http.ResponseWriter, *http.Request){}, token: tokentest.NewUnstartedEndpoint(t, tokentest.Respond(okToken)), t: t}
	tokenHandler := a.token.Handler()
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.hits = append(a.hits, r.URL.Path)
		doc := a.docs[r.URL.Path]
		a.mu.Unlock()
		switch {
		case doc != nil:
			doc(w, r)
		case strings.HasSuffix(r.URL.Path, "/token"):
			tokenHandler.ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(a.Close)
	return a
}

func (a *authServer) serveDoc(path string, doc func(w http.ResponseWriter, r *http.Request)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.docs[path] = doc
}

// metadata serves a document for the issuer path implies (RFC 8414 §3.3).
func (a *authServer) metadata(path, tokenEndpoint string) {
	issuer := a.URL + strings.TrimSuffix(strings.TrimPrefix(path, "/.well-known/oauth-authorization-server"), "/.well-known/openid-configuration")
	a.serveDoc(path, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.Header.Get("Accept") != "application/json" {
			a.t.Errorf("metadata requested with %s, Accept %q", r.Method, r.Header.Get("Accept"))
		}
		tokentest.WriteJSON(w, 200, map[string]any{"issuer": issuer, "token_endpoint": tokenEndpoint, "grant_types_supported": []string{"client_credentials"}})
	})
}

func (a *authServer) paths() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.hits...)
}

func (a *authServer) count(path string) int {
	n := 0
	for _, p := range a.paths() {
		if p == path {
			n++
		}
	}
	return n
}

func TestDiscoveryOpenIDConfiguration(t *testing.T) {
	a := newAuthServer(t)
	const doc = "/realms/dev/.well-known/openid-configuration"
	endpoint := a.URL + "/realms/dev/protocol/openid-connect/token"
	a.metadata(doc, endpoint)
	now := testNow
	c := newTestClient(ClientOptions{Now: func() time.Time { return now }})
	p := tokens.Profile{Name: "oidc", IssuerURL: a.URL + "/realms/dev/", ClientID: "c", ClientSecret: strings.Repeat("s", 32), Auth: tokens.AuthClientSecretJWT}

	fetchOK(t, c, p)
	// The assertion's audience is the discovered token endpoint.
	verifyAssertion(t, a.token.Last(t).Form, endpoint, "c", "HS256", []byte(p.ClientSecret))
	fetchOK(t, c, p)
	if n := a.count(doc); n != 1 {
		t.Errorf("metadata fetched %d times for 2 token requests, want 1 (cached)", n)
	}
	if n := len(a.token.Received()); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	now = now.Add(DiscoveryTTL + time.Second)
	fetchOK(t, c, p)
	if n := a.count(doc); n != 2 {
		t.Errorf("metadata fetched %d times after the TTL, want 2", n)
	}
}

func TestDiscoveryFallsBackToRFC8414(t *testing.T) {
	a := newAuthServer(t)
	a.metadata("/.well-known/oauth-authorization-server/tenant1", a.URL+"/tenant1/oauth2/token")
	c := newTestClient(ClientOptions{})
	fetchOK(t, c, tokens.Profile{Name: "as", IssuerURL: a.URL + "/tenant1", ClientID: "c", ClientSecret: "s"})
	want := []string{"/tenant1/.well-known/openid-configuration", "/.well-known/oauth-authorization-server/tenant1", "/tenant1/oauth2/token"}
	if got := a.paths(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("requests %v, want %v", got, want)
	}
}

func TestDiscoveryIssuerGivenAsMetadataURL(t *testing.T) {
	a := newAuthServer(t)
	a.metadata("/.well-known/openid-configuration", a.URL+"/token")
	fetchOK(t, newTestClient(ClientOptions{}), tokens.Profile{Name: "x", IssuerURL: a.URL + "/.well-known/openid-configuration", ClientID: "c", ClientSecret: "s"})
	if n := len(a.token.Received()); n != 1 {
		t.Errorf("%d token requests", n)
	}
}

func TestDiscoveryFailures(t *testing.T) {
	cases := []struct {
		name  string
		setup func(a *authServer)
		want  string
		class tokens.ErrorClass
		cfg   bool
	}{
		{"no metadata", func(*authServer) {}, "HTTP 404", tokens.Permanent, true},
		{"not json", func(a *authServer) {
			a.serveDoc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("<html>hi</html>")) })
		}, "not a JSON metadata document", tokens.Permanent, true},
		{"no token_endpoint", func(a *authServer) {
			a.serveDoc("/.well-known/oauth-authorization-server", func(w http.ResponseWriter, _ *http.Request) {
				tokentest.WriteJSON(w, 200, map[string]string{"issuer": a.URL})
			})
		}, "document has no token_endpoint", tokens.Permanent, true},
		{"plain http token endpoint", func(a *authServer) {
			a.metadata("/.well-known/openid-configuration", "http://auth.example.com/token")
		}, "plain http is only allowed on loopback", tokens.Permanent, true},
		{"server error", func(a *authServer) {
			a.serveDoc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(503) })
		}, "HTTP 503", tokens.Transient, false},
		{"redirect to plain http", func(a *authServer) {
			a.serveDoc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "http://auth.example.com/.well-known/openid-configuration", http.StatusFound)
			})
		}, "redirect to http://auth.example.com", tokens.Permanent, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newAuthServer(t)
			tc.setup(a)
			_, err := newTestClient(ClientOptions{}).Fetch(context.Background(),
				tokens.Profile{Name: "d", IssuerURL: a.URL, ClientID: "c", ClientSecret: "s"})
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "tokens: ") {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
			if errors.Is(err, tokens.ErrConfig) != tc.cfg || tokens.Classify(err) != tc.class {
				t.Errorf("ErrConfig %v class %v, want %v %v", errors.Is(err, tokens.ErrConfig), tokens.Classify(err), tc.cfg, tc.class)
			}
			if n := len(a.token.Received()); n != 0 {
				t.Errorf("%d token requests after failed discovery", n)
			}
		})
	}
}

func TestDiscoveryNetworkErrorIsTransient(t *testing.T) {
	a := newAuthServer(t)
	a.Close()
	_, err := newTestClient(ClientOptions{}).Fetch(context.Background(), tokens.Profile{Name: "d", IssuerURL: a.URL, ClientID: "c", ClientSecret: "s"})
	if err == nil || errors.Is(err, tokens.ErrConfig) || tokens.Classify(err) != tokens.Transient {
		t.Errorf("err = %v, want a transient network error", err)
	}
}

func TestDiscoveryForgetsEndpointThatStopsAnswering(t *testing.T) {
	a := newAuthServer(t)
	const doc = "/.well-known/openid-configuration"
	a.metadata(doc, a.URL+"/old/token")
	c := newTestClient(ClientOptions{})
	p := tokens.Profile{Name: "d", IssuerURL: a.URL, ClientID: "c", ClientSecret: "s"}
	fetchOK(t, c, p)
	a.metadata(doc, a.URL+"/new/token")
	a.serveDoc("/old/token", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	if _, err := c.Fetch(context.Background(), p); err == nil {
		t.Fatal("fetch from a vanished endpoint succeeded")
	}
	fetchOK(t, c, p)
	if n := a.count("/new/token"); n != 1 || a.count(doc) != 2 {
		t.Errorf("new endpoint used %d times, metadata fetched %d times; want 1 and 2", n, a.count(doc))
	}
}

func TestDiscoveryConcurrentFetches(t *testing.T) {
	a := newAuthServer(t)
	a.metadata("/.well-known/openid-configuration", a.URL+"/token")
	c := newTestClient(ClientOptions{})
	p := tokens.Profile{Name: "d", IssuerURL: a.URL, ClientID: "c", ClientSecret: "s"}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := c.Fetch(context.Background(), p)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := len(a.token.Received()); n != 8 {
		t.Errorf("%d token requests, want 8", n)
	}
}

func TestDiscoveryURLs(t *testing.T) {
	cases := map[string][]string{
		"https://as.example.com":                                          {"https://as.example.com/.well-known/openid-configuration", "https://as.example.com/.well-known/oauth-authorization-server"},
		"https://as.example.com/":                                         {"https://as.example.com/.well-known/openid-configuration", "https://as.example.com/.well-known/oauth-authorization-server"},
		"https://as.example.com/t/x/?q=1#f":                               {"https://as.example.com/t/x/.well-known/openid-configuration", "https://as.example.com/.well-known/oauth-authorization-server/t/x"},
		"https://as.example.com/.well-known/oauth-authorization-server/t": {"https://as.example.com/.well-known/oauth-authorization-server/t"},
	}
	for issuer, want := range cases {
		got, err := discoveryURLs(issuer)
		if err != nil || strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("discoveryURLs(%q) = %v, %v; want %v", issuer, got, err, want)
		}
	}
}

func TestDiscoveryRefusesAnotherIssuer(t *testing.T) {
	for name, issuer := range map[string]any{"other issuer": "https://evil.example", "no issuer": nil, "issuer not a string": 42} {
		t.Run(name, func(t *testing.T) {
			a := newAuthServer(t)
			a.serveDoc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
				tokentest.WriteJSON(w, 200, map[string]any{"issuer": issuer, "token_endpoint": a.URL + "/token"})
			})
			_, err := newTestClient(ClientOptions{}).Fetch(context.Background(), tokens.Profile{Name: "x", IssuerURL: a.URL, ClientID: "c", ClientSecret: "s"})
			var ime *tokens.IssuerMismatchError
			if !errors.As(err, &ime) || !errors.Is(err, tokens.ErrConfig) || tokens.Classify(err) != tokens.Permanent || ime.Configured != a.URL {
				t.Fatalf("err = %v", err)
			}
			if n := len(a.token.Received()); n != 0 {
				t.Errorf("%d token requests to an endpoint from untrusted metadata", n)
			}
		})
	}
	// A configured issuer with a trailing slash still matches.
	a := newAuthServer(t)
	a.metadata("/.well-known/openid-configuration", a.URL+"/token")
	fetchOK(t, newTestClient(ClientOptions{}), tokens.Profile{Name: "x", IssuerURL: a.URL + "/", ClientID: "c", ClientSecret: "s"})
}
