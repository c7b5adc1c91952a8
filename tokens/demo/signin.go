package demo

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// The demo's sign-in profiles are public clients (no secret) of a demo
// user who approves every sign-in at once:
//
//   - "demo-device": the device grant (RFC 8628). The token endpoint
//     answers authorization_pending DevicePendingPolls times, then issues
//     an access token and a refresh token.
//   - "demo-signin": the authorization code grant with PKCE (RFC 7636,
//     S256 only). Its /authorize sends the browser straight back to the
//     loopback redirect URI with a code and the state.
//
// Refresh tokens rotate (RFC 9700 §4.14.2): each refresh answers a new one
// and the old one no longer works. Both clients ask for "openid": their
// sign-ins answer an ID token of the demo user too (see idtoken.go).

// The sign-in profile names.
const (
	ProfileDevice = "demo-device"
	ProfileSignIn = "demo-signin"
)

// DemoUser is the "sub" of tokens issued to a person who signed in.
const DemoUser = "demo-user"

// DevicePendingPolls is how many polls of a device code are answered
// authorization_pending before its tokens are issued.
const DevicePendingPolls = 2

// DeviceInterval is the polling interval the device authorization answers
// (RFC 8628 §3.2), short so the demo sign-in takes a few seconds.
const DeviceInterval = time.Second

// SessionLifetime is how long a refresh token lives (refresh_expires_in).
const SessionLifetime = 8 * time.Hour

// codeLifetime bounds device codes and authorization codes.
const codeLifetime = 5 * time.Minute

// signins is the server's sign-in state: pending device codes, unredeemed
// authorization codes and live refresh tokens. Its methods are safe for
// concurrent use.
type signins struct {
	mu      sync.Mutex
	devices map[string]*deviceCode
	codes   map[string]*authCode
	refresh map[string]*session
}

type deviceCode struct {
	client  string
	scope   string
	polls   int
	expires time.Time
}

type authCode struct {
	client      string
	scope       string
	challenge   string
	redirectURI string
	nonce       string    // the authorization request's, for its ID token
	authTime    time.Time // when the demo user approved
	expires     time.Time
}

type session struct {
	client  string
	scope   string
	expires time.Time
}

// addSignInClients registers the device and authorization code clients.
func (s *Server) addSignInClients() {
	s.signins = signins{devices: map[string]*deviceCode{}, codes: map[string]*authCode{}, refresh: map[string]*session{}}
	for _, g := range []struct {
		name  string
		grant tokens.Grant
	}{{ProfileDevice, tokens.GrantDeviceCode}, {ProfileSignIn, tokens.GrantAuthorizationCode}} {
		p := tokens.Profile{
			Name:     g.name,
			TokenURL: s.issuer(g.name) + "/token",
			ClientID: g.name,
			Auth:     tokens.AuthNone,
			Scopes:   []string{"openid", "demo.read", "offline_access"},
			Grant:    g.grant,
		}
		if g.grant == tokens.GrantDeviceCode {
			p.DeviceAuthorizationURL = s.issuer(g.name) + "/device_authorization"
		} else {
			p.AuthorizationURL = s.issuer(g.name) + "/authorize"
		}
		c := &client{profile: p.Normalized()}
		s.clients = append(s.clients, c)
		s.byName[g.name] = c
	}
}

// handleDeviceAuthorization starts a device sign-in (RFC 8628 §3.1, §3.2).
func (s *Server) handleDeviceAuthorization(w http.ResponseWriter, r *http.Request) {
	c, ok := s.byName[r.PathValue("name")]
	if !ok || c.profile.Grant != tokens.GrantDeviceCode {
		writeError(w, http.StatusNotFound, "invalid_request", "no device authorization endpoint here")
		return
	}
	req, status, code, desc := parseRequest(r, tokens.BodyForm)
	if code == "" {
		status, code, desc = c.authenticate(req)
	}
	if code != "" {
		writeError(w, status, code, desc)
		return
	}
	scope, ok := grantScope(req.params["scope"], c.profile.Scopes)
	if !ok {
		writeError(w, http.StatusBadRequest, "invalid_scope", "requested scope exceeds the scope granted to this client")
		return
	}
	dc, user := randomString(32), userCode()
	s.signins.mu.Lock()
	s.signins.devices[dc] = &deviceCode{client: c.profile.ClientID, scope: scope, expires: s.now().Add(codeLifetime)}
	s.signins.mu.Unlock()
	verify := s.issuer(c.profile.ClientID) + "/device"
	writeJSON(w, map[string]any{
		"device_code":               dc,
		"user_code":                 user,
		"verification_uri":          verify,
		"verification_uri_complete": verify + "?user_code=" + url.QueryEscape(user),
		"expires_in":                int64(codeLifetime.Seconds()),
		"interval":                  int64(DeviceInterval.Seconds()),
	})
}

// handleDevicePage is the verification page a person would open; the demo
// user approves every code by itself, so it only says so.
func (s *Server) handleDevicePage(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = fmt.Fprintln(w, "Tokentray demo: the demo user approves every sign-in by itself. You can close this tab.")
}

// handleAuthorize approves an authorization request at once (RFC 6749
// §4.1.1, RFC 7636 §4.3) and redirects back with the code and state. It
// redirects only to a loopback http://…/callback, so it is no open redirect.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	c, ok := s.byName[r.PathValue("name")]
	if !ok || c.profile.Grant != tokens.GrantAuthorizationCode {
		http.Error(w, "no authorization endpoint here", http.StatusNotFound)
		return
	}
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Scheme != "http" || !tokens.IsLoopbackHost(redirect.Hostname()) || redirect.Path != "/callback" || redirect.RawQuery != "" {
		http.Error(w, "redirect_uri must be http://127.0.0.1:PORT/callback", http.StatusBadRequest)
		return
	}
	back := url.Values{}
	if st := q.Get("state"); st != "" {
		back.Set("state", st)
	}
	scope, scopeOK := grantScope(q.Get("scope"), c.profile.Scopes)
	switch {
	case q.Get("client_id") != c.profile.ClientID:
		back.Set("error", "unauthorized_client")
	case q.Get("response_type") != "code":
		back.Set("error", "unsupported_response_type")
	case q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43:
		back.Set("error", "invalid_request")
		back.Set("error_description", "PKCE with S256 is required")
	case !scopeOK:
		back.Set("error", "invalid_scope")
	case len(q.Get("nonce")) > maxNonce:
		back.Set("error", "invalid_request")
		back.Set("error_description", "the nonce is too long")
	default:
		code := randomString(32)
		s.signins.mu.Lock()
		s.signins.codes[code] = &authCode{client: c.profile.ClientID, scope: scope, challenge: q.Get("code_challenge"),
			redirectURI: redirect.String(), nonce: q.Get("nonce"), authTime: s.now(), expires: s.now().Add(codeLifetime)}
		s.signins.mu.Unlock()
		back.Set("code", code)
	}
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// userGrant answers a sign-in client's token request: the device code,
// the authorization code with its PKCE verifier, or a refresh token.
func (s *Server) userGrant(w http.ResponseWriter, c *client, req request) {
	id := c.profile.ClientID
	now := s.now()
	var scope, nonce string
	var authTime time.Time // set by a sign-in, zero for a refresh
	s.signins.mu.Lock()
	switch gt := req.params["grant_type"]; {
	case gt == tokens.GrantTypeDeviceCode && c.profile.Grant == tokens.GrantDeviceCode:
		d := s.signins.devices[req.params["device_code"]]
		switch {
		case d == nil || d.client != id:
			s.signins.mu.Unlock()
			writeError(w, http.StatusBadRequest, "invalid_grant", "unknown device code")
			return
		case now.After(d.expires):
			delete(s.signins.devices, req.params["device_code"])
			s.signins.mu.Unlock()
			writeError(w, http.StatusBadRequest, "expired_token", "the device code expired")
			return
		case d.polls < DevicePendingPolls:
			d.polls++
			s.signins.mu.Unlock()
			writeError(w, http.StatusBadRequest, "authorization_pending", "the demo user has not approved yet")
			return
		}
		delete(s.signins.devices, req.params["device_code"])
		scope, authTime = d.scope, now
	case gt == tokens.GrantTypeAuthorizationCode && c.profile.Grant == tokens.GrantAuthorizationCode:
		a := s.signins.codes[req.params["code"]]
		delete(s.signins.codes, req.params["code"]) // one try: a code is never redeemed twice
		if a == nil || a.client != id || now.After(a.expires) || a.redirectURI != req.params["redirect_uri"] || !pkceMatches(req.params["code_verifier"], a.challenge) {
			s.signins.mu.Unlock()
			writeError(w, http.StatusBadRequest, "invalid_grant", "the code is unknown, used, expired, or its redirect_uri or code_verifier does not match")
			return
		}
		scope, nonce, authTime = a.scope, a.nonce, a.authTime
	case gt == tokens.GrantTypeRefreshToken:
		old := s.signins.refresh[req.params["refresh_token"]]
		delete(s.signins.refresh, req.params["refresh_token"]) // rotation: the old one is spent
		if old == nil || old.client != id || now.After(old.expires) {
			s.signins.mu.Unlock()
			writeError(w, http.StatusBadRequest, "invalid_grant", "the refresh token is unknown, spent or expired")
			return
		}
		scope = old.scope
	default:
		s.signins.mu.Unlock()
		writeError(w, http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("this client uses the %s grant and refresh tokens", c.profile.Grant))
		return
	}
	refresh := randomString(32)
	s.signins.refresh[refresh] = &session{client: id, scope: scope, expires: now.Add(SessionLifetime)}
	s.signins.mu.Unlock()
	access, err := s.issue(DemoUser, id, scope)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "server_error", "could not sign the token")
		return
	}
	answer := map[string]any{
		"access_token":       access,
		"token_type":         "Bearer",
		"expires_in":         int64(s.lifetime.Seconds()),
		"refresh_token":      refresh,
		"refresh_expires_in": int64(SessionLifetime.Seconds()),
		"scope":              scope,
	}
	if !authTime.IsZero() && grantsOpenID(scope) {
		if answer["id_token"], err = s.idToken(id, nonce, authTime); err != nil {
			writeError(w, http.StatusInternalServerError, "server_error", "could not sign the ID token")
			return
		}
	}
	writeJSON(w, answer)
}

// forgetRefresh revokes raw if it is a live refresh token of client id.
func (s *signins) forgetRefresh(id, raw string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.refresh[raw]; r != nil && r.client == id {
		delete(s.refresh, raw)
	}
}

// pkceMatches reports whether verifier hashes to challenge (RFC 7636 §4.6, S256).
func pkceMatches(verifier, challenge string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	return subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) == 1
}

// userCode is a user code such as "WDJB-MJHT": eight letters without vowels
// that could spell words or look like digits (RFC 8628 §6.1).
func userCode() string {
	const alphabet = "BCDFGHJKLMNPQRSTVWXZ" // 20 letters
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)] // a slight bias is harmless in a demo
	}
	return string(b[:4]) + "-" + string(b[4:])
}

// writeJSON writes a successful, uncacheable JSON token answer.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	_ = json.NewEncoder(w).Encode(v)
}
