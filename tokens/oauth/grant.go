package oauth

import (
	"context"
	"errors"
	"net/url"
	"sync"

	"github.com/tokentray/tokentray/tokens"
)

// The grants beside client credentials: the same token request (endpoint,
// client authentication, extra parameters and headers, body encoding,
// redaction, request log), with another grant_type and what it redeems.

// Grant makes the token request r (see tokens.TokenRequest) and returns
// the access token, the refresh token the server sent (kept out of
// Token.Extra, as is an OpenID Connect id_token: neither may be shown or
// cached beside the access token) and the exchanges made. Errors are
// Fetch's, and for a refresh whose answer carries an ID token that is not
// the signed-in person's (r.ID) a *tokens.IDTokenError with Refresh set;
// a good one's claims are the result's Token.ID (nil without one: the
// caller keeps r.ID). A request that does not fit its profile's grant wraps
// tokens.ErrConfig (and tokens.ErrSignInNeeded for a sign-in profile with
// nothing to redeem). Safe for concurrent use.
func (c *Client) Grant(ctx context.Context, r tokens.TokenRequest) (*tokens.TokenResult, error) {
	var mu sync.Mutex
	var log []tokens.LogEntry
	ctx = tokens.WithLogRecorder(ctx, recordBoth(ctx, func(x tokens.LogEntry) {
		mu.Lock()
		defer mu.Unlock()
		log = append(log, x)
	}))
	if r.RefreshToken != "" {
		c.warmIDTokenKeys(ctx, r)
	}
	tok, secret, err := c.fetch(ctx, r)
	if err == nil && r.RefreshToken != "" {
		// A refresh's ID token is checked here, against who signed in
		// (r.ID), and never returned.
		tok.ID, err = c.refreshIDToken(ctx, r, secret.idToken)
		secret.idToken = ""
	}
	mu.Lock()
	defer mu.Unlock()
	if err != nil {
		return nil, err
	}
	return &tokens.TokenResult{Token: tok, RefreshToken: secret.refresh, IDToken: secret.idToken, LogEntries: log}, nil
}

// recordBoth returns a recorder that hands each exchange to keep and to
// the recorder of ctx, if any.
func recordBoth(ctx context.Context, keep func(tokens.LogEntry)) func(tokens.LogEntry) {
	return func(x tokens.LogEntry) {
		keep(x)
		tokens.RecordLogEntry(ctx, x)
	}
}

// grantParts sets the grant_type of r in body, and what r redeems
// (RFC 6749 §4.1.3, §6; RFC 8628 §3.4). A code or refresh request asks
// for no scope: the grant already carries what the person consented to,
// and asking again for a scope that was not granted is refused.
func grantParts(r tokens.TokenRequest, body url.Values) {
	body.Set("grant_type", r.GrantType())
	switch {
	case r.RefreshToken != "":
		body.Del("scope")
		body.Set("refresh_token", r.RefreshToken)
	case r.Code != "":
		body.Del("scope")
		body.Set("code", r.Code)
		body.Set("redirect_uri", r.RedirectURI)
		body.Set("code_verifier", r.CodeVerifier)
	case r.DeviceCode != "":
		body.Del("scope")
		body.Set("device_code", r.DeviceCode)
	}
}

// grantSecrets lists the secrets r redeems, for the request's redactor.
func grantSecrets(r tokens.TokenRequest) []string {
	return []string{r.RefreshToken, r.Code, r.CodeVerifier, r.DeviceCode}
}

// errNotOAuth says whether err is an answer that is not an OAuth error
// (so the discovered endpoint may have moved).
func errNotOAuth(err error) bool {
	var se *tokens.ServerError
	return !errors.As(err, &se) || se.Code == ""
}
