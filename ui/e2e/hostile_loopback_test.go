package e2e

// Plain http, proxies and discovery through the real binary: a client
// secret goes in clear only to a loopback address, never to a proxy, and
// discovery sends it only to the issuer's origin (or one the user allows).

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// recordingProxy stands for a proxy named in HTTP_PROXY and friends: it
// records whatever reaches it (requests and CONNECTs) and answers 502.
type recordingProxy struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string // request line, headers and body of each request
}

func newRecordingProxy(t *testing.T) *recordingProxy {
	p := &recordingProxy{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var b strings.Builder
		b.WriteString(r.Method + " " + r.RequestURI + "\n")
		r.Header.Write(&b)
		b.Write(body)
		p.mu.Lock()
		p.seen = append(p.seen, b.String())
		p.mu.Unlock()
		http.Error(w, "proxy", http.StatusBadGateway)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *recordingProxy) saw() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

// proxyEnv points every proxy variable Go or curl reads at p.
func proxyEnv(p *recordingProxy) []string {
	var env []string
	for _, k := range []string{"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"} {
		env = append(env, k+"="+p.URL)
	}
	return append(env, "NO_PROXY=", "no_proxy=")
}

func TestPlainHTTPOnlyToLoopbackNeverThroughAProxy(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	secret := "cs-" + randomHex(20)
	srv := newE2EServer(t, "e2e-client", secret)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	proxy := newRecordingProxy(t)
	u := newCLIUser(t)
	u.extra = proxyEnv(proxy)

	// *.localhost is a DNS name like any other: Go's resolver asks the
	// DNS server and its proxy logic sends it through the proxy, so it
	// does not count as loopback.
	for _, host := range []string{"auth.localhost", "localhost.", "127.0.0.1.nip.io"} {
		tokenURL := "http://" + host + ":" + port + "/oauth/token"
		name := "n" + randomHex(3)
		code, out, errs := u.run(secret, "add", name, "--token-url", tokenURL, "--client-id", "e2e-client")
		if code == 0 {
			// Accepted: see where the secret goes.
			u.run("", "token", name, "--timeout", "3s")
			t.Errorf("add --token-url %s accepted (%q)", tokenURL, out)
		} else if !strings.Contains(errs, "loopback") {
			t.Errorf("add --token-url %s: exit %d stderr %q; want plain http refused off loopback", tokenURL, code, errs)
		}
	}
	// Literal loopback addresses and localhost go direct, whatever the
	// proxy variables say.
	for i, base := range []string{srv.URL, "http://localhost:" + port, "http://LOCALHOST:" + port} {
		name := "loop" + string(rune('a'+i))
		u.mustRun(secret, "add", name, "--token-url", base+"/oauth/token", "--client-id", "e2e-client")
		if tok := strings.TrimSpace(u.mustRun("", "token", name)); !issuedBy(srv, tok) {
			t.Errorf("%s: token %q was not issued by the loopback server", base, tok)
		}
	}
	for _, s := range proxy.saw() {
		t.Errorf("the proxy saw a request:\n%s", s)
		if strings.Contains(s, secret) || strings.Contains(s, "Authorization: Basic") {
			t.Errorf("the proxy saw the client's credentials")
		}
	}
}

func TestDiscoveryKeepsToTheIssuersOrigin(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	secret := "cs-" + randomHex(20)
	foreign := newE2EServer(t, "e2e-client", secret) // another origin: same host, another port
	own := newE2EServer(t, "e2e-client", secret)
	metadata := func(issuer, tokenEndpoint string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]string{"issuer": issuer, "token_endpoint": tokenEndpoint})
		}
	}
	mux := http.NewServeMux()
	is := httptest.NewServer(mux)
	t.Cleanup(is.Close)
	// An issuer whose metadata names a token endpoint on another origin.
	mux.Handle("/foreign/.well-known/openid-configuration", metadata(is.URL+"/foreign", foreign.URL+"/oauth/token"))
	// An open redirect on the issuer to a document on another origin that
	// names this issuer and a token endpoint on the issuer's origin.
	elsewhere := httptest.NewServer(metadata(is.URL+"/redirect", is.URL+"/oauth/token"))
	mux.Handle("/oauth/token", own.Config.Handler)
	t.Cleanup(elsewhere.Close)
	mux.HandleFunc("/redirect/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/.well-known/openid-configuration", http.StatusFound)
	})

	u := newCLIUser(t)
	u.mustRun(secret, "add", "foreign", "--issuer", is.URL+"/foreign", "--client-id", "e2e-client")
	code, out, errs := u.run("", "token", "foreign")
	t.Logf("foreign token endpoint: %s", errs)
	foreignOrigin := foreign.URL
	if code == 0 || out != "" || !strings.Contains(errs, foreignOrigin) || !strings.Contains(errs, "--allow-endpoint-origin") {
		t.Errorf("token endpoint on another origin: exit %d stdout %q stderr %q; want it refused, naming the origin and the option", code, out, errs)
	}
	if n := foreign.Requests(); n != 0 {
		t.Fatalf("the foreign token endpoint got %d requests (with the client secret)", n)
	}
	// The user allows that origin explicitly: then it is used.
	u.mustRun("", "edit", "foreign", "--allow-endpoint-origin", foreignOrigin)
	if tok := strings.TrimSpace(u.mustRun("", "token", "foreign")); !issuedBy(foreign, tok) {
		t.Errorf("allowed origin: token %q not issued by it", tok)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(u.mustRun("", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(list[0]["endpoint_origins"]); string(got) != `["`+foreignOrigin+`"]` {
		t.Errorf("list --json endpoint_origins = %s", got)
	}
	// Not an origin: refused by name.
	for _, bad := range []string{"https://other.example/path", "https://a@other.example", "http://other.example", "other.example"} {
		if code, _, errs := u.run("", "edit", "foreign", "--allow-endpoint-origin", bad); code == 0 || !strings.Contains(errs, "endpoint origins") {
			t.Errorf("--allow-endpoint-origin %q: exit %d stderr %q; want it refused", bad, code, errs)
		}
	}

	// Discovery does not follow a redirect to another origin.
	u.mustRun(secret, "add", "redirected", "--issuer", is.URL+"/redirect", "--client-id", "e2e-client")
	code, out, errs = u.run("", "token", "redirected")
	t.Logf("redirect: %s", errs)
	if code == 0 || out != "" || !strings.Contains(errs, "redirect") || !strings.Contains(errs, elsewhere.URL) {
		t.Errorf("redirect to another origin: exit %d stdout %q stderr %q; want it refused", code, out, errs)
	}
	if n := own.Requests(); n != 0 {
		t.Errorf("a token request after a refused redirect (%d)", n)
	}
}
