package demo

import (
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/tokentray/tokentray/tokens"
)

// The demo is an OpenID Provider for its sign-in clients, so the app can
// show who signed in: with "openid" in the granted scope, the token answer
// of the authorization code grant and of the device grant carries an
// id_token (OpenID Connect Core §3.1.3.3) naming the demo user, signed
// RS256 with the key its JWKS publishes. Its iss is the client's issuer,
// whose metadata names the client's token endpoint and the JWKS; its aud
// is the client ID; a code's ID token carries back the nonce of that
// code's authorization request, a device sign-in's none (RFC 8628 has no
// authorization request). Refresh answers carry no ID token (§12.2 allows
// it): the client keeps the sign-in's.

// IDTokenLifetime is how long an ID token is valid (its exp after iat).
const IDTokenLifetime = time.Hour

// The demo user's profile claims (OpenID Connect Core §5.1).
const (
	DemoUserName     = "Demo User"
	DemoUserUsername = "demo"
	DemoUserEmail    = "demo@example.com"
)

// maxNonce bounds the nonce /authorize keeps with a code until it is
// redeemed: longer ones are refused, not kept.
const maxNonce = 255

// grantsOpenID reports whether scope (space-separated) has "openid".
func grantsOpenID(scope string) bool { return slices.Contains(strings.Fields(scope), "openid") }

// idToken signs the ID token of clientID's sign-in of the demo user, who
// authenticated at authTime; nonce "" puts none in it.
func (s *Server) idToken(clientID, nonce string, authTime time.Time) (string, error) {
	now := s.now()
	claims := jwt.MapClaims{
		"iss":                s.issuer(clientID),
		"sub":                DemoUser,
		"aud":                clientID,
		"iat":                now.Unix(),
		"exp":                now.Add(IDTokenLifetime).Unix(),
		"auth_time":          authTime.Unix(),
		"name":               DemoUserName,
		"preferred_username": DemoUserUsername,
		"email":              DemoUserEmail,
		"email_verified":     true,
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = s.keyID
	return tok.SignedString(s.key)
}

// signInMetadata adds to md, the discovery metadata of sign-in profile p's
// issuer, what it offers beyond the client credentials clients' (RFC 8414
// §2, OpenID Connect Discovery §3).
func signInMetadata(md map[string]any, p tokens.Profile) {
	if p.Grant == tokens.GrantDeviceCode {
		md["device_authorization_endpoint"] = p.DeviceAuthorizationURL
		md["grant_types_supported"] = []string{tokens.GrantTypeDeviceCode, tokens.GrantTypeRefreshToken}
	} else {
		md["authorization_endpoint"] = p.AuthorizationURL
		md["grant_types_supported"] = []string{tokens.GrantTypeAuthorizationCode, tokens.GrantTypeRefreshToken}
		md["code_challenge_methods_supported"] = []string{"S256"}
	}
	md["response_types_supported"] = []string{"code"}
	md["subject_types_supported"] = []string{"public"}
	md["id_token_signing_alg_values_supported"] = []string{"RS256"}
	md["scopes_supported"] = p.Scopes
	md["token_endpoint_auth_methods_supported"] = []string{"none"}
	md["claims_supported"] = []string{"iss", "sub", "aud", "iat", "exp", "auth_time", "nonce", "name", "preferred_username", "email", "email_verified"}
}
