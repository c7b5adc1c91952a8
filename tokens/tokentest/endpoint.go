package tokentest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Request is what an Endpoint received.
type Request struct {
	Method string
	Path   string
	Host   string
	Header http.Header
	Body   []byte
	Form   url.Values     // form-encoded bodies
	JSON   map[string]any // JSON bodies
	PeerCN string         // TLS client certificate subject CN, if any
}

// Client is the client the request authenticated as: HTTP Basic, or else
// client_id and client_secret in the form body (client_secret_post).
func (r Request) Client() (id, secret string, ok bool) {
	probe := http.Request{Header: r.Header}
	if id, secret, ok = probe.BasicAuth(); ok {
		return id, secret, true
	}
	id = r.Form.Get("client_id")
	return id, r.Form.Get("client_secret"), id != ""
}

// Option configures an Endpoint at creation.
type Option func(*Endpoint)

// RequireClient makes the endpoint answer 401 invalid_client ("Client
// authentication failed") unless the request authenticates as id with
// secret (Basic or client_secret_post) and asks for client_credentials.
// SetSecret changes the secret later.
func RequireClient(id, secret string) Option {
	return func(e *Endpoint) { e.clientID, e.secret = id, secret }
}

// Respond replaces the token answer: every request (after recording and
// counting) is answered by fn.
func Respond(fn func(w http.ResponseWriter, r Request)) Option {
	return func(e *Endpoint) { e.respond = fn }
}

// Tokens makes the endpoint issue fn(n, r) as the n-th access token (n
// counts from 1) instead of "tok-N-RANDOM".
func Tokens(fn func(n int, r Request) string) Option {
	return func(e *Endpoint) { e.tokenFn = fn }
}

// EchoScope adds the requested scope to each token answer.
func EchoScope() Option { return func(e *Endpoint) { e.echoScope = true } }

// FormAnswers answers form-encoded, as GitHub's endpoint does, instead of
// JSON.
func FormAnswers() Option { return func(e *Endpoint) { e.form = true } }

// Lenient accepts any method and body; by default a request that is not a
// POST of a form or JSON body fails the test.
func Lenient() Option { return func(e *Endpoint) { e.lenient = true } }

// Endpoint is a loopback OAuth2 token endpoint (an httptest.Server) that
// records, counts and answers token requests; by default it issues a fresh
// Bearer token living an hour to any client. Its methods are safe for
// concurrent use, also while requests are under way.
type Endpoint struct {
	*httptest.Server
	t testing.TB

	// Fixed at creation.
	clientID  string
	respond   func(http.ResponseWriter, Request)
	tokenFn   func(int, Request) string
	echoScope bool
	form      bool
	lenient   bool

	requests atomic.Int32
	entered  chan struct{}

	mu        sync.Mutex // guards what follows
	secret    string
	lifetime  int
	token     string
	tokenType string
	failure   *failure
	gate      chan struct{}
	received  []Request
	issued    []string
}

type failure struct {
	status int
	body   map[string]any
}

// NewEndpoint starts an Endpoint on loopback, closed when the test ends.
func NewEndpoint(t testing.TB, opts ...Option) *Endpoint {
	t.Helper()
	e := NewUnstartedEndpoint(t, opts...)
	e.Start()
	return e
}

// NewUnstartedEndpoint is an Endpoint whose server is not started yet, for
// a test to set its TLS configuration first (then StartTLS); closed when the
// test ends.
func NewUnstartedEndpoint(t testing.TB, opts ...Option) *Endpoint {
	t.Helper()
	e := &Endpoint{t: t, lifetime: 3600, tokenType: "Bearer", entered: make(chan struct{}, 256)}
	for _, o := range opts {
		o(e)
	}
	e.Server = httptest.NewUnstartedServer(e.Handler())
	t.Cleanup(e.Close)
	return e
}

// Handler is the endpoint's handler, to mount elsewhere (a mux serving
// discovery documents too); it records and counts into e.
func (e *Endpoint) Handler() http.Handler {
	return http.HandlerFunc(e.serve)
}

// Requests is how many requests reached the endpoint.
func (e *Endpoint) Requests() int { return int(e.requests.Load()) }

// Received is every request the endpoint recorded, oldest first.
func (e *Endpoint) Received() []Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Request(nil), e.received...)
}

// Last is the latest request; the test fails when there was none.
func (e *Endpoint) Last(t testing.TB) Request {
	t.Helper()
	r := e.Received()
	if len(r) == 0 {
		t.Fatal("token endpoint saw no request")
	}
	return r[len(r)-1]
}

// Issued is every access token the endpoint issued, oldest first.
func (e *Endpoint) Issued() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.issued...)
}

// SetLifetime sets the expires_in (in seconds) of the tokens issued from
// now on.
func (e *Endpoint) SetLifetime(seconds int) { e.mu.Lock(); e.lifetime = seconds; e.mu.Unlock() }

// SetSecret sets the client secret RequireClient accepts from now on.
func (e *Endpoint) SetSecret(secret string) { e.mu.Lock(); e.secret = secret; e.mu.Unlock() }

// SetToken makes the endpoint issue token (any value, hostile ones too)
// with tokenType from now on; "" for token means a fresh one each time.
func (e *Endpoint) SetToken(token, tokenType string) {
	e.mu.Lock()
	e.token, e.tokenType = token, tokenType
	e.mu.Unlock()
}

// Fail makes every answer from now on an OAuth error (RFC 6749 §5.2) with
// status; Fail(0, "", "") goes back to issuing tokens.
func (e *Endpoint) Fail(status int, code, description string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if status == 0 {
		e.failure = nil
		return
	}
	body := map[string]any{"error": code}
	if description != "" {
		body["error_description"] = description
	}
	e.failure = &failure{status: status, body: body}
}

// Hold makes requests wait, from now on, until release is called (once);
// WaitEntered tells when one arrived.
func (e *Endpoint) Hold() (release func()) {
	g := make(chan struct{})
	e.mu.Lock()
	e.gate = g
	e.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			e.mu.Lock()
			e.gate = nil
			e.mu.Unlock()
			close(g)
		})
	}
}

// WaitEntered waits for a request held by Hold to reach the endpoint (up
// to 30 s, then the test fails). Each held request is reported once.
func (e *Endpoint) WaitEntered(t testing.TB) {
	t.Helper()
	select {
	case <-e.entered:
	case <-time.After(30 * time.Second):
		t.Fatal("no token request reached the server")
	}
}

func (e *Endpoint) serve(w http.ResponseWriter, r *http.Request) {
	n := int(e.requests.Add(1))
	rec := e.record(r)
	e.mu.Lock()
	e.received = append(e.received, rec)
	gate := e.gate
	e.mu.Unlock()
	if gate != nil {
		select {
		case e.entered <- struct{}{}:
		default:
		}
		<-gate
	}
	if e.respond != nil {
		e.respond(w, rec)
		return
	}
	e.answer(w, n, rec)
}

func (e *Endpoint) record(r *http.Request) Request {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		e.t.Errorf("token endpoint: reading body: %v", err)
	}
	rec := Request{Method: r.Method, Path: r.URL.Path, Host: r.Host, Header: r.Header.Clone(), Body: body}
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		rec.PeerCN = r.TLS.PeerCertificates[0].Subject.CommonName
	}
	if r.Method != http.MethodPost && !e.lenient {
		e.t.Errorf("token endpoint: method %s, want POST", r.Method)
	}
	switch ct := r.Header.Get("Content-Type"); ct {
	case "application/x-www-form-urlencoded":
		if rec.Form, err = url.ParseQuery(string(body)); err != nil && !e.lenient {
			e.t.Errorf("token endpoint: bad form body: %v", err)
		}
	case "application/json":
		if err := json.Unmarshal(body, &rec.JSON); err != nil && !e.lenient {
			e.t.Errorf("token endpoint: bad JSON body: %v", err)
		}
	default:
		if !e.lenient {
			e.t.Errorf("token endpoint: unexpected Content-Type %q", ct)
		}
	}
	return rec
}

// answer issues a token, or the configured failure.
func (e *Endpoint) answer(w http.ResponseWriter, n int, r Request) {
	e.mu.Lock()
	secret, lifetime, token, tokenType, fail := e.secret, e.lifetime, e.token, e.tokenType, e.failure
	e.mu.Unlock()
	if fail != nil {
		WriteJSON(w, fail.status, fail.body)
		return
	}
	if e.clientID != "" {
		id, sec, ok := r.Client()
		if !ok || id != e.clientID || sec != secret || r.Form.Get("grant_type") != "client_credentials" {
			WriteJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client", "error_description": "Client authentication failed"})
			return
		}
	}
	switch {
	case token != "":
	case e.tokenFn != nil:
		token = e.tokenFn(n, r)
	default:
		token = "tok-" + strconv.Itoa(n) + "-" + randomHex(8)
	}
	e.mu.Lock()
	e.issued = append(e.issued, token)
	e.mu.Unlock()
	answer := map[string]any{"access_token": token, "token_type": tokenType, "expires_in": lifetime}
	if e.echoScope {
		answer["scope"] = r.Form.Get("scope")
	}
	if e.form {
		v := url.Values{}
		for k, a := range answer {
			switch a := a.(type) {
			case int:
				v.Set(k, strconv.Itoa(a))
			case string:
				v.Set(k, a)
			}
		}
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
		io.WriteString(w, v.Encode())
		return
	}
	WriteJSON(w, http.StatusOK, answer)
}

// WriteJSON answers v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
