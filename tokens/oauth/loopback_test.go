package oauth

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// A caller's transport may name a proxy for everything (http.ProxyURL
// does not spare loopback, unlike the environment's): a plain-http token
// request, which carries the secret in clear, must still go straight to
// the loopback server.
func TestPlainHTTPTokenRequestNeverGoesThroughAProxy(t *testing.T) {
	var proxied atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied.Add(1)
		http.Error(w, "proxy", http.StatusBadGateway)
	}))
	t.Cleanup(proxy.Close)
	proxyURL, _ := url.Parse(proxy.URL)
	e := newTokenEndpoint(t, okToken)
	_, port, _ := net.SplitHostPort(e.Listener.Addr().String())
	hc := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL)}}
	c := newTestClient(ClientOptions{HTTPClient: hc})
	for _, base := range []string{e.URL, "http://localhost:" + port, "http://LOCALHOST:" + port} {
		p := tokens.Profile{Name: "p", TokenURL: base + "/token", ClientID: "c", ClientSecret: "a-long-enough-secret"}
		if tok := fetchOK(t, c, p); tok.AccessToken != "opaque-token-value" {
			t.Errorf("%s: token %q", base, tok.AccessToken)
		}
	}
	if n := proxied.Load(); n != 0 {
		t.Errorf("the proxy got %d plain-http token requests", n)
	}

	// https to a loopback host does not take the proxy either.
	te := tokentest.NewUnstartedEndpoint(t, tokentest.Respond(okToken))
	quietTLS(te.Server)
	te.StartTLS()
	t.Cleanup(te.Close)
	tr := te.Client().Transport.(*http.Transport).Clone()
	tr.Proxy = http.ProxyURL(proxyURL)
	c = newTestClient(ClientOptions{HTTPClient: &http.Client{Transport: tr}})
	fetchOK(t, c, tokens.Profile{Name: "tls", TokenURL: te.URL + "/token", ClientID: "c", ClientSecret: "a-long-enough-secret"})
	if n := proxied.Load(); n != 0 {
		t.Errorf("the proxy got %d requests for an https loopback endpoint", n)
	}
}

// fakeResolver answers every lookup with addrs.
func fakeResolver(addrs ...string) func(context.Context, string) ([]netip.Addr, error) {
	return func(context.Context, string) ([]netip.Addr, error) {
		var out []netip.Addr
		for _, a := range addrs {
			out = append(out, netip.MustParseAddr(a))
		}
		return out, nil
	}
}

func TestLoopbackDialerDialsOnlyLoopbackAddresses(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	var dialed []string
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialed = append(dialed, addr)
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}

	// localhost resolving to a loopback address: dialed by address.
	d := loopbackDialer{lookup: fakeResolver("127.0.0.1"), dial: dial}
	c, err := d.DialContext(context.Background(), "tcp", "localhost:"+port)
	if err != nil {
		t.Fatalf("localhost → 127.0.0.1: %v", err)
	}
	c.Close()
	if len(dialed) != 1 || dialed[0] != "127.0.0.1:"+port {
		t.Errorf("dialed %v, want the resolved loopback address", dialed)
	}

	// localhost resolving elsewhere (a planted hosts file or DNS answer),
	// even among loopback ones: nothing is dialed.
	dialed = nil
	for _, addrs := range [][]string{{"192.0.2.1"}, {"127.0.0.1", "192.0.2.1"}, {"fe80::1%eth0"}, {}} {
		d := loopbackDialer{lookup: fakeResolver(addrs...), dial: dial}
		_, err := d.DialContext(context.Background(), "tcp", "localhost:"+port)
		if err == nil || !errors.Is(err, tokens.ErrInsecureURL) || !errors.Is(err, tokens.ErrConfig) || !strings.Contains(err.Error(), "localhost") {
			t.Errorf("localhost → %v: err %v, want a clear refusal", addrs, err)
		}
	}
	// Addresses and names that are not loopback are never resolved.
	for _, addr := range []string{"192.0.2.1:80", "[fe80::1%eth0]:80", "auth.localhost:80", "evil.example:80"} {
		d := loopbackDialer{lookup: func(context.Context, string) ([]netip.Addr, error) {
			t.Errorf("%s was resolved", addr)
			return nil, errors.New("no")
		}, dial: dial}
		if _, err := d.DialContext(context.Background(), "tcp", addr); !errors.Is(err, tokens.ErrInsecureURL) {
			t.Errorf("%s: err %v, want refused", addr, err)
		}
	}
	if len(dialed) != 0 {
		t.Errorf("dialed %v, want nothing", dialed)
	}
}
