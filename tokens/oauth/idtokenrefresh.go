package oauth

import (
	"context"
	"errors"

	"github.com/tokentray/tokentray/tokens"
)

// A refresh answer may carry an ID token too (OpenID Connect Core §12.1).
// It must then be the signed-in person's (§12.2): checked as a sign-in's
// (signature by the issuer's JWKS, iss, aud, exp), and beside that iss and
// sub equal to the sign-in's, iat present, nonce absent or the sign-in's
// (never a new one: no authorization request was made), auth_time equal
// when both have one. One that fails makes the refresh fail: an answer
// that names someone else, or that the issuer did not sign, is not this
// sign-in's, and neither is its access token or its refresh token (see
// tokens/refreshflow.go for what is kept then).

// refreshIDToken checks raw, the ID token of r's refresh answer ("" for
// none), against r.ID, who signed in, and returns the claims to keep from
// then on: nil when there is nothing to check (no ID token, or one nobody
// asked for: the profile has no openid scope and its sign-in kept none),
// for the caller to keep r.ID. Errors: a *tokens.IDTokenError with Refresh
// set.
func (c *Client) refreshIDToken(ctx context.Context, r tokens.TokenRequest, raw string) (*tokens.IDClaims, error) {
	orig := r.ID
	if raw == "" || (orig == nil && !wantsIDToken(r.Profile)) {
		return nil, nil
	}
	id, err := c.checkRefreshIDToken(ctx, r.Profile, orig, raw)
	if err != nil {
		var ie *tokens.IDTokenError
		if errors.As(err, &ie) {
			ie.Refresh = true
		}
		return nil, err
	}
	return id, nil
}

func (c *Client) checkRefreshIDToken(ctx context.Context, p tokens.Profile, orig *tokens.IDClaims, raw string) (*tokens.IDClaims, error) {
	fail := func(check tokens.IDTokenCheck, err error) (*tokens.IDClaims, error) {
		return nil, &tokens.IDTokenError{Check: check, Err: err}
	}
	info, err := tokens.DecodeJWT(raw)
	if err != nil {
		return fail(tokens.IDTokenMalformed, nil) // its text is the token's: not kept
	}
	// The nonce: none, or the sign-in's. verifyIDToken compares in
	// constant time with what it is given. A browser sign-in kept without
	// its nonce was kept by an older Tokentray (a browser sign-in with
	// openid always sends one, and now keeps it): its nonce is unknown,
	// not absent, so it cannot be compared; iss, sub, aud and the
	// signature still bind the token to the person. A device sign-in
	// sends none, so it gets none back.
	nonce := ""
	if got, has := info.Claims["nonce"]; has {
		switch {
		case orig != nil && orig.Nonce != "":
			nonce = orig.Nonce
		case orig != nil && p.Normalized().Grant == tokens.GrantAuthorizationCode:
			nonce, _ = got.(string)
		default:
			return fail(tokens.IDTokenNonce, errors.New("the sign-in sent no nonce"))
		}
	}
	if info, err = c.verifyIDToken(ctx, p, raw, nonce); err != nil {
		return nil, err
	}
	if _, ok := info.NumericDate("iat"); !ok {
		return fail(tokens.IDTokenMalformed, errors.New("no iat"))
	}
	id := idClaims(info)
	if orig == nil {
		return id, nil // a sign-in that kept no ID token: this is the first
	}
	// Exact comparisons of what the token says, not of the printable forms
	// kept: two subjects that print alike are two people.
	iss, _ := info.Claims["iss"].(string)
	sub, _ := info.Claims["sub"].(string)
	switch {
	case iss != orig.Issuer:
		return fail(tokens.IDTokenIssuer, errors.New("not the sign-in's issuer"))
	case sub != orig.Subject:
		return fail(tokens.IDTokenSubject, nil)
	case !id.AuthTime.IsZero() && !orig.AuthTime.IsZero() && !id.AuthTime.Equal(orig.AuthTime):
		return fail(tokens.IDTokenAuthTime, nil)
	}
	if id.AuthTime.IsZero() {
		id.AuthTime = orig.AuthTime
	}
	id.Nonce = orig.Nonce
	return id, nil
}

// warmIDTokenKeys fetches, before r's refresh request, the metadata and
// the JWKS its answer's ID token would be checked with, when the profile
// expects one: the server rotates the refresh token as it answers, and an
// answer whose ID token cannot be checked keeps nothing, so keys fetched
// only afterwards would make a JWKS outage at that moment end the
// sign-in. Best effort: a failure here stops nothing (many servers send no
// ID token on refresh); the check after the answer fetches again.
func (c *Client) warmIDTokenKeys(ctx context.Context, r tokens.TokenRequest) {
	if r.ID == nil && !wantsIDToken(r.Profile) {
		return
	}
	ctx, cancel, p, hc, err := c.begin(ctx, r.Profile)
	if err != nil {
		return
	}
	defer cancel()
	issuer, origins := p.IssuerURL, p.EndpointOrigins
	if issuer == "" && r.ID != nil {
		issuer, origins = r.ID.Issuer, tokenURLOrigin(p) // as verifyIDToken finds it
	}
	if issuer == "" {
		return
	}
	if meta, err := c.metadata(ctx, hc, anchorsOf(p), issuer, origins); err == nil && meta.JWKSURI != "" {
		_, _, _ = c.keySetFor(ctx, hc, anchorsOf(p), meta.JWKSURI, "")
	}
}
