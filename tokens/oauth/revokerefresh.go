package oauth

import (
	"context"
	"net/http"

	"github.com/tokentray/tokentray/tokens"
)

// RevokeRefresh asks the profile's revocation endpoint (RFC 7009) to
// revoke refresh, a refresh token, with token_type_hint=refresh_token and
// the profile's client authentication: signing out. Servers revoke the
// access tokens issued with it too (RFC 7009 §2.1, SHOULD). The refresh
// token is redacted from every error. Errors as Revoke
// (tokens.ErrNoEndpoint when there is no revocation endpoint).
//
// The endpoint is the profile's (RevocationURL, or its issuer's
// metadata); for a profile with a token URL only, the one in the metadata
// of the issuer the sign-in named (tokens.SignInIssuer of ctx, else the
// refresh token's own iss when it is a JWT), as Revoke finds an access
// token's, with one rule more: a refresh token outlives its access
// tokens, so the discovered endpoint must be on the token URL's origin or
// one of Profile.EndpointOrigins, the servers the person chose. Never the
// issuer's own origin alone.
func (c *Client) RevokeRefresh(ctx context.Context, p tokens.Profile, refresh string) error {
	r, err := c.inspectRequest(ctx, p, &tokens.Token{AccessToken: refresh}, tokens.OpRevoke, "refresh_token")
	if err != nil {
		return err
	}
	if r.status < 200 || r.status > 299 {
		return r.endpointError(tokens.OpRevoke)
	}
	return nil
}

// refreshRevocationEndpoint is the revocation endpoint for the refresh
// token t of p, a profile with a token URL only (see RevokeRefresh): from
// the metadata of the issuer the sign-in named, when it names p's token
// endpoint and a revocation endpoint on p's token URL origin or
// EndpointOrigins; else "".
func (c *Client) refreshRevocationEndpoint(ctx context.Context, hc *http.Client, p tokens.Profile, t *tokens.Token) string {
	iss := tokens.SignInIssuer(ctx)
	if tokens.CheckEndpointURL(iss) != nil {
		iss = jwtIssuer(t)
	}
	if iss == "" || p.TokenURL == "" {
		return ""
	}
	m, err := c.metadata(ctx, hc, anchorsOf(p), iss, tokenURLOrigin(p))
	if err != nil || m.TokenEndpoint != p.TokenURL || m.RevocationEndpoint == "" {
		return ""
	}
	o, ok := originOf(m.RevocationEndpoint)
	if !ok || !originAllowed(o, append(tokenURLOrigin(p), p.EndpointOrigins...)) {
		return "" // the issuer's own server: not one the person chose
	}
	return m.RevocationEndpoint
}
