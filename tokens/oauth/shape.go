package oauth

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// RequestShape is a profile's token request without its credentials: what
// another tool needs to make the same request (the "Copy as curl"
// command). Fields hold the profile's own values, unsanitised: a renderer
// must quote them for its target.
type RequestShape struct {
	// URL is the token endpoint.
	URL string
	// Header lists the request headers in the order sent (by name),
	// Content-Type included, Authorization and credential-like headers
	// (SecretHeaders) left out. Host, when set, overrides the Host header.
	Header []tokens.HeaderField
	Host   string
	// SecretHeaders names the extra headers whose values are credentials
	// (named like Authorization, a key, token, secret, password or cookie).
	SecretHeaders []string
	// Params are the body parameters in order (by name) without client
	// authentication and without SecretParams.
	Params []tokens.HeaderField
	// SecretParams names the extra body parameters whose values are
	// credentials (named as for SecretHeaders).
	SecretParams []string
	// Body is the body encoding: form or JSON.
	Body tokens.BodyEncoding
	// Auth is the client authentication, and ClientID the client's ID: a
	// renderer adds client_id, client_secret, client_assertion and
	// client_assertion_type, or the Basic credential, as Auth says
	// (RFC 6749 §2.3.1, RFC 7523 §2.2, RFC 8705 §2).
	Auth     tokens.AuthMethod
	ClientID string
	// Alg and KeyID are the private_key_jwt signing algorithm and key ID.
	Alg, KeyID string
	// CustomCA says the profile trusts a CA bundle of its own.
	CustomCA bool
	// Refresh says the request is a sign-in grant's refresh (RFC 6749
	// §6): Params carry grant_type=refresh_token, and a renderer adds the
	// refresh_token parameter read from the environment (it is a secret
	// Tokentray never shows).
	Refresh bool
}

// Shape describes p's token request to endpoint (see TokenEndpoint). It is
// built by the same code as the request Fetch sends.
func Shape(p tokens.Profile, endpoint string) RequestShape {
	p = p.Normalized()
	body, h, host := requestParts(p)
	if p.Grant.SignsIn() {
		// The request Tokentray makes for a signed-in profile: a refresh.
		grantParts(tokens.TokenRequest{Profile: p, RefreshToken: "-"}, body)
		body.Del("refresh_token")
	}
	_, contentType, _ := encodeBody(p.Body, nil)
	h.Set("Content-Type", contentType)
	s := RequestShape{URL: endpoint, Host: host, Body: p.Body, Auth: p.Auth, ClientID: p.ClientID,
		Alg: p.Alg, KeyID: p.KeyID, CustomCA: p.CABundlePEM != "", Refresh: p.Grant.SignsIn()}
	for _, k := range slices.Sorted(maps.Keys(h)) {
		if tokens.LooksSecret(k) {
			s.SecretHeaders = append(s.SecretHeaders, k)
			continue
		}
		s.Header = append(s.Header, tokens.HeaderField{Name: k, Value: h.Get(k)})
	}
	for _, k := range slices.Sorted(maps.Keys(body)) {
		if _, extra := p.Params[k]; extra && tokens.LooksSecret(k) && !isStandardParam(k) {
			s.SecretParams = append(s.SecretParams, k)
			continue
		}
		s.Params = append(s.Params, tokens.HeaderField{Name: k, Value: body.Get(k)})
	}
	return s
}

func isStandardParam(k string) bool {
	switch strings.ToLower(k) {
	case "grant_type", "scope", "audience", "resource":
		return true
	}
	return false
}

// TokenEndpoint returns p's token endpoint: its TokenURL, or the one
// discovered from its issuer (cached as for Fetch). Errors are those of
// discovery.
func (c *Client) TokenEndpoint(ctx context.Context, p tokens.Profile) (string, error) {
	p = p.Normalized()
	if p.TokenURL != "" {
		return p.TokenURL, nil
	}
	hc, err := c.httpClient(p)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	return c.tokenEndpoint(ctx, hc, p.IssuerURL, p.EndpointOrigins)
}
