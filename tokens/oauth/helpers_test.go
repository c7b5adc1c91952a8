package oauth

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// testNow is the simulated time of most client tests.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

// recorded is what a test token endpoint saw.
type recorded struct {
	Header http.Header
	Body   []byte
	Form   url.Values     // form-encoded bodies
	JSON   map[string]any // JSON bodies
	Host   string
	PeerCN string // TLS client certificate subject CN, if any
}

// tokenEndpoint is an httptest server that records token requests and
// answers with respond.
type tokenEndpoint struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

func (e *tokenEndpoint) requests() []recorded {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]recorded(nil), e.reqs...)
}

func (e *tokenEndpoint) last(t *testing.T) recorded {
	t.Helper()
	r := e.requests()
	if len(r) == 0 {
		t.Fatal("token endpoint saw no request")
	}
	return r[len(r)-1]
}

func recordRequest(t *testing.T, r *http.Request) recorded {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Errorf("server: reading body: %v", err)
	}
	rec := recorded{Header: r.Header.Clone(), Body: body, Host: r.Host}
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		rec.PeerCN = r.TLS.PeerCertificates[0].Subject.CommonName
	}
	if r.Method != http.MethodPost {
		t.Errorf("server: method %s, want POST", r.Method)
	}
	switch ct := r.Header.Get("Content-Type"); ct {
	case "application/x-www-form-urlencoded":
		if rec.Form, err = url.ParseQuery(string(body)); err != nil {
			t.Errorf("server: bad form body: %v", err)
		}
	case "application/json":
		if err := json.Unmarshal(body, &rec.JSON); err != nil {
			t.Errorf("server: bad JSON body: %v", err)
		}
	default:
		t.Errorf("server: unexpected Content-Type %q", ct)
	}
	return rec
}

func newTokenEndpoint(t *testing.T, respond func(w http.ResponseWriter, rec recorded)) *tokenEndpoint {
	t.Helper()
	e := &tokenEndpoint{}
	e.Server = httptest.NewServer(e.handler(t, respond))
	t.Cleanup(e.Close)
	return e
}

func (e *tokenEndpoint) handler(t *testing.T, respond func(w http.ResponseWriter, rec recorded)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := recordRequest(t, r)
		e.mu.Lock()
		e.reqs = append(e.reqs, rec)
		e.mu.Unlock()
		respond(w, rec)
	})
}

// quietTLS drops the server's log of the handshake failures tests provoke.
func quietTLS(s *httptest.Server) { s.Config.ErrorLog = log.New(io.Discard, "", 0) }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func okToken(w http.ResponseWriter, _ recorded) {
	writeJSON(w, 200, map[string]any{"access_token": "opaque-token-value", "token_type": "Bearer", "expires_in": 3600})
}

func newTestClient(o ClientOptions) *Client {
	if o.Now == nil {
		o.Now = fixedClock
	}
	c := NewClient(o)
	return c
}

func fetchOK(t *testing.T, c *Client, p tokens.Profile) *tokens.Token {
	t.Helper()
	tok, err := c.Fetch(context.Background(), p)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	return tok
}
