// Package demo is the embedded token server behind `tokentray --demo`: a
// loopback OAuth 2.0 authorization server that issues short-lived JWT access
// tokens through the client credentials grant (RFC 6749 §4.4), and the
// in-memory profiles that use it. It lets a new user (and the end-to-end
// tests) see the whole app working without any account anywhere.
//
// The built-in profiles show the interesting cases:
//
//   - "demo-healthy": client_secret_basic, form body; always answers.
//   - "demo-json": client_secret_post with a JSON body; its endpoint insists
//     on Content-Type: application/json.
//   - "demo-flaky": client_secret_basic; its endpoint fails every other
//     request (the 2nd, 4th, …) with HTTP 503 temporarily_unavailable, so the
//     retry path and "keep the last good token" are visible.
//   - "demo-device" and "demo-signin": a person signs in, with the device
//     grant or in the browser (see signin.go); the demo user approves at once,
//     and the answer carries an OpenID Connect ID token (see idtoken.go).
//
// Client secrets are random per server and live only in memory; nothing is
// written anywhere. The package never imports a UI toolkit.
package demo

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// The built-in profile names.
const (
	ProfileHealthy = "demo-healthy"
	ProfileJSON    = "demo-json"
	ProfileFlaky   = "demo-flaky"
)

// BuiltinProfiles is how many profiles a server has without WithExtraProfiles.
const BuiltinProfiles = 5

// DefaultTokenLifetime is the lifetime of issued tokens unless
// WithTokenLifetime says otherwise: short, so the countdown and the
// background refresh are visible within a couple of minutes.
const DefaultTokenLifetime = 2 * time.Minute

// Audience is the "aud" claim of every issued token; a profile may also
// request it explicitly with the audience or resource parameter.
const Audience = "tokentray-demo-api"

// Option configures Start.
type Option func(*config)

type config struct {
	lifetime time.Duration
	extra    int
	now      func() time.Time
}

// WithTokenLifetime sets the lifetime of issued tokens (at least one second).
func WithTokenLifetime(d time.Duration) Option { return func(c *config) { c.lifetime = d } }

// WithExtraProfiles adds n healthy profiles named demo-extra-01, demo-extra-02, …
// (client_secret_basic, form body), e.g. for footprint measurements.
func WithExtraProfiles(n int) Option { return func(c *config) { c.extra = n } }

// WithClock sets the clock used for the iat and exp claims (default time.Now).
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// Server is a running demo token server on 127.0.0.1. Its methods are safe
// for concurrent use.
type Server struct {
	url       string
	key       *rsa.PrivateKey
	keyID     string
	lifetime  time.Duration
	now       func() time.Time
	clients   []*client // in profile order
	byName    map[string]*client
	http      *http.Server
	requests  atomic.Int64
	closeOnce sync.Once
	closeErr  error
	served    chan struct{}
	revoked   revokedSet
	signins   signins
}

// client is one registered OAuth client and its token endpoint.
type client struct {
	profile  tokens.Profile // normalized; holds the secret
	flaky    bool
	requests atomic.Int64 // requests to this client's endpoint
}

// Start listens on 127.0.0.1 (a free port), generates a fresh RSA signing key
// and serves until ctx is done or Close is called. It fails on invalid
// options or when it cannot listen.
func Start(ctx context.Context, opts ...Option) (*Server, error) {
	c := config{lifetime: DefaultTokenLifetime, now: time.Now}
	for _, o := range opts {
		o(&c)
	}
	if c.lifetime < time.Second {
		return nil, fmt.Errorf("demo: token lifetime %v is shorter than one second", c.lifetime)
	}
	if c.extra < 0 || c.extra > 999 {
		return nil, fmt.Errorf("demo: extra profiles must be between 0 and 999, got %d", c.extra)
	}
	if c.now == nil {
		return nil, errors.New("demo: clock must not be nil")
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("demo: generate signing key: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: listen: %w", err)
	}
	s := &Server{
		url:      "http://" + ln.Addr().String(),
		key:      key,
		keyID:    randomString(8),
		lifetime: c.lifetime,
		now:      c.now,
		byName:   make(map[string]*client),
		served:   make(chan struct{}),
	}
	s.addClient(ProfileHealthy, tokens.AuthClientSecretBasic, tokens.BodyForm, false, []string{"demo.read", "demo.write"}, "")
	s.addClient(ProfileJSON, tokens.AuthClientSecretPost, tokens.BodyJSON, false, []string{"demo.read"}, Audience)
	s.addClient(ProfileFlaky, tokens.AuthClientSecretBasic, tokens.BodyForm, true, []string{"demo.read"}, "")
	s.addSignInClients()
	for i := 1; i <= c.extra; i++ {
		s.addClient(fmt.Sprintf("demo-extra-%02d", i), tokens.AuthClientSecretBasic, tokens.BodyForm, false, []string{"demo.read"}, "")
	}

	mux := http.NewServeMux()
	mux.HandleFunc("POST /clients/{name}/token", s.handleToken)
	mux.HandleFunc("/clients/{name}/token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "invalid_request", "the token endpoint accepts POST only")
	})
	mux.HandleFunc("POST /clients/{name}/device_authorization", s.handleDeviceAuthorization)
	mux.HandleFunc("GET /clients/{name}/device", s.handleDevicePage)
	mux.HandleFunc("GET /clients/{name}/authorize", s.handleAuthorize)
	mux.HandleFunc("GET /.well-known/jwks.json", s.handleJWKS)
	mux.HandleFunc("GET /clients/{name}/.well-known/openid-configuration", s.handleMetadata)
	mux.HandleFunc("GET /clients/{name}/.well-known/jwks.json", s.handleJWKS)
	mux.HandleFunc("POST /clients/{name}/introspect", s.handleIntrospect)
	mux.HandleFunc("POST /clients/{name}/revoke", s.handleRevoke)
	mux.HandleFunc("POST /clients/{name}/sessions/end", s.handleEndSessions)
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		defer close(s.served)
		_ = s.http.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	go func() {
		select {
		case <-ctx.Done():
			_ = s.Close()
		case <-s.served:
		}
	}()
	return s, nil
}

func (s *Server) addClient(name string, auth tokens.AuthMethod, body tokens.BodyEncoding, flaky bool, scopes []string, audience string) {
	p := tokens.Profile{
		Name:         name,
		TokenURL:     s.url + "/clients/" + name + "/token",
		ClientID:     name,
		ClientSecret: randomString(32),
		Auth:         auth,
		Body:         body,
		Scopes:       scopes,
		Audience:     audience,
	}.Normalized()
	c := &client{profile: p, flaky: flaky}
	s.clients = append(s.clients, c)
	s.byName[name] = c
}

// URL is the server's base URL, http://127.0.0.1:PORT. Each client is an
// issuer of its own, URL()+"/clients/NAME" (the "iss" of its tokens), with
// discovery metadata under it; the signing key is published at
// URL()+"/.well-known/jwks.json" and under each issuer, at
// ISSUER+"/.well-known/jwks.json".
func (s *Server) URL() string { return s.url }

// Profiles returns fresh copies of the demo profiles, secrets included, in a
// fixed order (healthy, json, flaky, device, signin, extras). Each profile's ClientID equals
// its Name.
func (s *Server) Profiles() []tokens.Profile {
	ps := make([]tokens.Profile, len(s.clients))
	for i, c := range s.clients {
		p := c.profile
		p.Scopes = append([]string(nil), p.Scopes...)
		ps[i] = p
	}
	return ps
}

// Requests returns how many token requests (POSTs to a client's token
// endpoint) arrived so far, refused and failed ones included.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// PublicKey returns the key that verifies issued tokens.
func (s *Server) PublicKey() *rsa.PublicKey { return &s.key.PublicKey }

// Close stops the server and closes open connections. It is idempotent and
// returns the first close error.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.closeErr = s.http.Close()
		<-s.served
	})
	if s.closeErr != nil {
		return fmt.Errorf("demo: close: %w", s.closeErr)
	}
	return nil
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}
