package demo

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"github.com/tokentray/tokentray/tokens"
)

// maxBody bounds token request bodies.
const maxBody = 64 << 10

// request is a parsed token request: body parameters and how the client
// presented its credentials.
type request struct {
	params       map[string]string
	basicID      string
	basicSecret  string
	hasBasic     bool
	hasBodyCreds bool
}

// handleToken is one client's token endpoint (RFC 6749 §4.4.2, §5).
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	c, ok := s.byName[r.PathValue("name")]
	if !ok {
		writeError(w, http.StatusNotFound, "invalid_request", "no such token endpoint")
		return
	}
	s.requests.Add(1)
	if n := c.requests.Add(1); c.flaky && n%2 == 0 {
		w.Header().Set("Retry-After", "2")
		writeError(w, http.StatusServiceUnavailable, "temporarily_unavailable",
			"demo: this endpoint fails every other request")
		return
	}
	req, status, code, desc := parseRequest(r, c.profile.Body)
	if code != "" {
		writeError(w, status, code, desc)
		return
	}
	if status, code, desc := c.authenticate(req); code != "" {
		if status == http.StatusUnauthorized && req.hasBasic {
			w.Header().Set("WWW-Authenticate", `Basic realm="tokentray-demo"`)
		}
		writeError(w, status, code, desc)
		return
	}
	switch gt := req.params["grant_type"]; {
	case c.profile.Grant.SignsIn():
		s.userGrant(w, c, req)
		return
	case gt == tokens.GrantTypeClientCredentials:
	case gt == "":
		writeError(w, http.StatusBadRequest, "invalid_request", "grant_type is missing")
		return
	default:
		writeError(w, http.StatusBadRequest, "unsupported_grant_type", "only client_credentials is supported")
		return
	}
	scope, ok := grantScope(req.params["scope"], c.profile.Scopes)
	if !ok {
		writeError(w, http.StatusBadRequest, "invalid_scope", "requested scope exceeds the scope granted to this client")
		return
	}
	for _, k := range []string{"audience", "resource"} {
		if v := req.params[k]; v != "" && v != Audience {
			writeError(w, http.StatusBadRequest, "invalid_target", fmt.Sprintf("%s must be %q", k, Audience))
			return
		}
	}
	access, err := s.issue(c.profile.ClientID, c.profile.ClientID, scope)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "server_error", "could not sign the token")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": access,
		"token_type":   "Bearer",
		"expires_in":   int64(s.lifetime.Seconds()),
		"scope":        scope,
	})
}

// parseRequest reads the body in the encoding the endpoint expects and the
// Basic credentials, if any. A non-empty code reports a malformed request.
func parseRequest(r *http.Request, enc tokens.BodyEncoding) (req request, status int, code, desc string) {
	r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	req.params = map[string]string{}
	switch enc {
	case tokens.BodyJSON:
		if mt != "application/json" {
			return req, http.StatusBadRequest, "invalid_request", "this endpoint requires Content-Type: application/json"
		}
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return req, http.StatusBadRequest, "invalid_request", "the body is not a JSON object"
		}
		for k, v := range body {
			s, ok := v.(string)
			if !ok {
				return req, http.StatusBadRequest, "invalid_request", fmt.Sprintf("parameter %q must be a string", k)
			}
			req.params[k] = s
		}
	default:
		if mt != "application/x-www-form-urlencoded" {
			return req, http.StatusBadRequest, "invalid_request", "this endpoint requires Content-Type: application/x-www-form-urlencoded"
		}
		if err := r.ParseForm(); err != nil {
			return req, http.StatusBadRequest, "invalid_request", "the form body cannot be parsed"
		}
		for k, vs := range r.PostForm {
			if len(vs) != 1 {
				return req, http.StatusBadRequest, "invalid_request", fmt.Sprintf("parameter %q is repeated", k)
			}
			req.params[k] = vs[0]
		}
	}
	if id, secret, ok := r.BasicAuth(); ok {
		// RFC 6749 §2.3.1: both parts are form-urlencoded before encoding.
		var err1, err2 error
		req.basicID, err1 = url.QueryUnescape(id)
		req.basicSecret, err2 = url.QueryUnescape(secret)
		if err1 != nil || err2 != nil {
			return req, http.StatusBadRequest, "invalid_request", "malformed Basic credentials"
		}
		req.hasBasic = true
	}
	_, hasSecret := req.params["client_secret"]
	req.hasBodyCreds = hasSecret
	return req, 0, "", ""
}

// authenticate checks the client's credentials and that they came the way
// the client is registered to send them.
func (c *client) authenticate(req request) (status int, code, desc string) {
	if req.hasBasic && req.hasBodyCreds {
		return http.StatusBadRequest, "invalid_request", "use exactly one client authentication method"
	}
	var id, secret string
	switch c.profile.Auth {
	case tokens.AuthClientSecretBasic:
		if !req.hasBasic {
			return http.StatusUnauthorized, "invalid_client", "this client must authenticate with client_secret_basic"
		}
		id, secret = req.basicID, req.basicSecret
		if bodyID, ok := req.params["client_id"]; ok && bodyID != id {
			return http.StatusBadRequest, "invalid_request", "client_id in the body differs from the Basic credentials"
		}
	case tokens.AuthClientSecretPost:
		if !req.hasBodyCreds {
			return http.StatusUnauthorized, "invalid_client", "this client must authenticate with client_secret_post"
		}
		id, secret = req.params["client_id"], req.params["client_secret"]
	case tokens.AuthNone:
		// A public client (RFC 6749 §2.1) names itself and proves nothing:
		// PKCE or the device code binds the grant to it.
		if req.hasBasic || req.hasBodyCreds {
			return http.StatusUnauthorized, "invalid_client", "this public client has no secret"
		}
		if subtle.ConstantTimeCompare([]byte(req.params["client_id"]), []byte(c.profile.ClientID)) != 1 {
			return http.StatusUnauthorized, "invalid_client", "client_id is missing or unknown"
		}
		return 0, "", ""
	}
	idOK := subtle.ConstantTimeCompare([]byte(id), []byte(c.profile.ClientID)) == 1
	secretOK := subtle.ConstantTimeCompare([]byte(secret), []byte(c.profile.ClientSecret)) == 1
	if !idOK || !secretOK {
		return http.StatusUnauthorized, "invalid_client", "client authentication failed"
	}
	return 0, "", ""
}

// grantScope returns the scope to grant: the requested one when it is a
// subset of allowed, all of allowed when none was requested.
func grantScope(requested string, allowed []string) (string, bool) {
	want := strings.Fields(requested)
	if len(want) == 0 {
		return strings.Join(allowed, " "), true
	}
	for _, s := range want {
		if !slices.Contains(allowed, s) {
			return "", false
		}
	}
	return strings.Join(want, " "), true
}

// issue signs an RFC 9068-style JWT access token for subject sub (the
// client itself, or the demo user of a sign-in).
func (s *Server) issue(sub, clientID, scope string) (string, error) {
	now := s.now()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss":       s.issuer(clientID),
		"sub":       sub,
		"client_id": clientID,
		"aud":       Audience,
		"scope":     scope,
		"iat":       now.Unix(),
		"exp":       now.Add(s.lifetime).Unix(),
		"jti":       randomString(16),
	})
	tok.Header["typ"] = "at+jwt"
	tok.Header["kid"] = s.keyID
	return tok.SignedString(s.key)
}

// handleJWKS publishes the verification key (RFC 7517).
func (s *Server) handleJWKS(w http.ResponseWriter, _ *http.Request) {
	pub := s.key.PublicKey
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{
		"kty": "RSA",
		"use": "sig",
		"alg": "RS256",
		"kid": s.keyID,
		"n":   base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e":   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

// writeError writes an RFC 6749 §5.2 error response.
func writeError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}
