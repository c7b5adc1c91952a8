package oauth

import (
	"context"

	"github.com/tokentray/tokentray/tokens"
)

// RevokeRefresh asks the profile's revocation endpoint (RFC 7009) to
// revoke refresh, a refresh token, with token_type_hint=refresh_token and
// the profile's client authentication: signing out. Servers revoke the
// access tokens issued with it too (RFC 7009 §2.1, SHOULD). The refresh
// token is redacted from every error. Errors as Revoke
// (tokens.ErrNoEndpoint when there is no revocation endpoint).
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
