package demo

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/golang-jwt/jwt/v5"

	"github.com/tokentray/tokentray/tokens"
)

// Each demo client is its own issuer (URL()+"/clients/NAME"), with OpenID
// Connect discovery metadata naming its token endpoint, the shared JWKS and
// its RFC 7662 introspection and RFC 7009 revocation endpoints, so the
// window's Verify, Introspect and Revoke work in demo mode.

// revokedSet holds the jti of every revoked token.
type revokedSet struct {
	mu  sync.Mutex
	jti map[string]bool
}

func (r *revokedSet) add(jti string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.jti == nil {
		r.jti = map[string]bool{}
	}
	r.jti[jti] = true
}

func (r *revokedSet) has(jti string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.jti[jti]
}

// issuer is the issuer of the named client's tokens.
func (s *Server) issuer(name string) string { return s.url + "/clients/" + name }

func (s *Server) handleMetadata(w http.ResponseWriter, r *http.Request) {
	c, ok := s.byName[r.PathValue("name")]
	if !ok {
		writeError(w, http.StatusNotFound, "invalid_request", "no such issuer")
		return
	}
	iss := s.issuer(c.profile.ClientID)
	md := map[string]any{
		"issuer":                 iss,
		"token_endpoint":         c.profile.TokenURL,
		"jwks_uri":               iss + "/.well-known/jwks.json",
		"introspection_endpoint": iss + "/introspect",
		"revocation_endpoint":    iss + "/revoke",
		"grant_types_supported":  []string{"client_credentials"},
	}
	if c.profile.Grant.SignsIn() {
		signInMetadata(md, c.profile)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(md)
}

// inspectClient authenticates an introspection or revocation request
// (always form-encoded) and returns its client and token.
func (s *Server) inspectClient(w http.ResponseWriter, r *http.Request) (*client, string, bool) {
	c, ok := s.byName[r.PathValue("name")]
	if !ok {
		writeError(w, http.StatusNotFound, "invalid_request", "no such endpoint")
		return nil, "", false
	}
	req, status, code, desc := parseRequest(r, tokens.BodyForm)
	if code == "" {
		status, code, desc = c.authenticate(req)
	}
	if code != "" {
		writeError(w, status, code, desc)
		return nil, "", false
	}
	if req.params["token"] == "" {
		writeError(w, http.StatusBadRequest, "invalid_request", "token is missing")
		return nil, "", false
	}
	return c, req.params["token"], true
}

// claimsOf returns the claims of a token this server issued to c, checked
// (signature, expiry, issuer), or nil.
func (s *Server) claimsOf(c *client, raw string) jwt.MapClaims {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return &s.key.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(s.now), jwt.WithIssuer(s.issuer(c.profile.ClientID)))
	if err != nil {
		return nil
	}
	return claims
}

// handleIntrospect answers RFC 7662 §2.2: active with the token's claims,
// or {"active": false} for a revoked, expired or foreign token.
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	c, raw, ok := s.inspectClient(w, r)
	if !ok {
		return
	}
	answer := map[string]any{"active": false}
	if claims := s.claimsOf(c, raw); claims != nil {
		if jti, _ := claims["jti"].(string); !s.revoked.has(jti) {
			answer = map[string]any{"active": true, "token_type": "Bearer"}
			for k, v := range claims {
				answer[k] = v
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(answer)
}

// handleRevoke revokes a token (RFC 7009 §2.2: 200 for any token, known or not).
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	c, raw, ok := s.inspectClient(w, r)
	if !ok {
		return
	}
	if claims := s.claimsOf(c, raw); claims != nil {
		if jti, _ := claims["jti"].(string); jti != "" {
			s.revoked.add(jti)
		}
	}
	s.signins.forgetRefresh(c.profile.ClientID, raw)
	w.WriteHeader(http.StatusOK)
}
