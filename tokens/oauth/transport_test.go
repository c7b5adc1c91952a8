package oauth

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

func TestFetchRefusesPlainHTTPOffLoopback(t *testing.T) {
	var dialed atomic.Bool
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, n, a string) (net.Conn, error) {
		dialed.Store(true)
		return nil, errors.New("no network in tests")
	}}}
	c := newTestClient(ClientOptions{HTTPClient: hc})
	_, err := c.Fetch(context.Background(), tokens.Profile{Name: "p", TokenURL: "http://auth.example.com/token", ClientID: "c", ClientSecret: "s"})
	var ve *tokens.ValidationError
	if !errors.As(err, &ve) || ve.Field(tokens.FieldTokenURL) == nil {
		t.Fatalf("err = %v, want a ValidationError on token_url", err)
	}
	if !errors.Is(err, tokens.ErrInsecureURL) && !strings.Contains(err.Error(), tokens.ErrInsecureURL.Error()) {
		t.Errorf("err = %v, want it to say plain http is refused", err)
	}
	if tokens.Classify(err) != tokens.Permanent {
		t.Error("refused URL should be permanent")
	}
	if dialed.Load() {
		t.Error("client dialed a refused URL")
	}
}

func TestFetchDoesNotFollowRedirects(t *testing.T) {
	other := newTokenEndpoint(t, okToken)
	e := newTokenEndpoint(t, func(w http.ResponseWriter, _ recorded) {
		w.Header().Set("Location", other.URL+"/token")
		w.WriteHeader(http.StatusTemporaryRedirect)
		fmt.Fprint(w, "<a href=\"/token\">Temporary Redirect</a>.")
	})
	_, err := newTestClient(ClientOptions{}).Fetch(context.Background(),
		tokens.Profile{Name: "p", TokenURL: e.URL, ClientID: "c", ClientSecret: "a-long-enough-secret", Auth: tokens.AuthClientSecretPost})
	var se *tokens.ServerError
	if !errors.As(err, &se) || se.Status != http.StatusTemporaryRedirect {
		t.Fatalf("err = %v, want ServerError 307", err)
	}
	if !strings.Contains(se.Detail, other.URL) || se.Problem != tokens.ProblemRedirect || !strings.Contains(se.Error(), other.URL) {
		t.Errorf("redirect %+v should name the redirect target", se)
	}
	if n := len(other.Received()); n != 0 {
		t.Errorf("credentials were re-sent to the redirect target (%d requests)", n)
	}
}

func TestCABundleAddsTrustWithoutDisablingVerification(t *testing.T) {
	e := tokentest.NewUnstartedEndpoint(t, tokentest.Respond(okToken))
	quietTLS(e.Server)
	quietTLS(e.Server)
	e.StartTLS()
	t.Cleanup(e.Close)
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: e.Certificate().Raw}))
	p := tokens.Profile{Name: "tls", TokenURL: e.URL, ClientID: "c", ClientSecret: "s"}
	c := newTestClient(ClientOptions{})

	// Without the bundle the test server's certificate is not trusted.
	if _, err := c.Fetch(context.Background(), p); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("untrusted server: err = %v, want a certificate verification error", err)
	}
	p.CABundlePEM = caPEM
	if tok := fetchOK(t, c, p); tok.AccessToken != "opaque-token-value" {
		t.Errorf("token = %q", tok.AccessToken)
	}

	// A bundle of an unrelated CA does not help: verification stays on.
	unrelated, _ := newTestCA(t, "unrelated CA")
	p.CABundlePEM = unrelated.certPEM
	if _, err := c.Fetch(context.Background(), p); err == nil {
		t.Error("fetch succeeded with an unrelated CA bundle")
	}

	p.CABundlePEM = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"
	_, err := c.Fetch(context.Background(), p)
	if !errors.Is(err, tokens.ErrConfig) || tokens.Classify(err) != tokens.Permanent || !strings.Contains(err.Error(), tokens.FieldCABundle) {
		t.Errorf("bad bundle: err = %v, want ErrConfig naming %s", err, tokens.FieldCABundle)
	}
}

func TestTransportsAreReusedAndBounded(t *testing.T) {
	var newConns atomic.Int32
	e := tokentest.NewUnstartedEndpoint(t, tokentest.Respond(okToken))
	e.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			newConns.Add(1)
		}
	}
	quietTLS(e.Server)
	e.StartTLS()
	t.Cleanup(e.Close)
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: e.Certificate().Raw}))
	c := newTestClient(ClientOptions{})
	p := tokens.Profile{Name: "a", TokenURL: e.URL, ClientID: "c", ClientSecret: "s", CABundlePEM: caPEM}
	for range 3 {
		fetchOK(t, c, p)
	}
	p.Name, p.ClientID = "b", "other" // same TLS setup, other profile
	fetchOK(t, c, p)
	if n := newConns.Load(); n != 1 {
		t.Errorf("%d TLS connections for 4 fetches with one TLS setup, want 1", n)
	}

	// Many distinct TLS setups: the cache stays bounded.
	for i := range maxTransports + 4 {
		extra, _ := newTestCA(t, fmt.Sprintf("extra CA %d", i))
		p.CABundlePEM = caPEM + extra.certPEM
		fetchOK(t, c, p)
	}
	c.mu.Lock()
	n, m := len(c.transports), len(c.lru)
	c.mu.Unlock()
	if n != maxTransports || m != maxTransports {
		t.Errorf("cache holds %d transports (%d in LRU), want %d", n, m, maxTransports)
	}
	c.CloseIdleConnections()
}
