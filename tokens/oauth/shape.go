package oauth

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// RequestShape is tokens.RequestShape, the description Shape builds.
type RequestShape = tokens.RequestShape

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

// DescribeRequest returns the shape of p's token request (Shape) to its
// token endpoint, discovered from its issuer when p has no token URL (see
// TokenEndpoint): what "Copy as curl" prints. It implements
// curlcmd.Describer. Safe for concurrent use.
func (c *Client) DescribeRequest(ctx context.Context, p tokens.Profile) (tokens.RequestShape, error) {
	endpoint, err := c.TokenEndpoint(ctx, p)
	if err != nil {
		return tokens.RequestShape{}, err
	}
	return Shape(p, endpoint), nil
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
	return c.tokenEndpoint(ctx, hc, anchorsOf(p), p.IssuerURL, p.EndpointOrigins)
}
