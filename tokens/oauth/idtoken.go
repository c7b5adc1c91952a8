package oauth

import (
	"context"
	"crypto/subtle"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/tokentray/tokentray/tokens"
)

// The OpenID Connect ID token of a sign-in (OpenID Connect Core §3.1.3.7):
// with "openid" in the scopes the authorization request carries a fresh
// nonce, and the token answer's id_token must be signed by a key of the
// issuer's JWKS (the machinery of Verify: an algorithm the key allows,
// never "none" or HMAC), name the issuer, hold the client ID in aud, carry
// that nonce back and not be expired. Only its few claims for display are
// kept (tokens.IDClaims); the token itself is dropped.

// wantsIDToken reports whether p's sign-in asks for an ID token.
func wantsIDToken(p tokens.Profile) bool { return slices.Contains(p.Scopes, "openid") }

// checkIDToken checks raw, the id_token of p's sign-in whose authorization
// request sent nonce, and returns the claims to keep. Errors: a
// *tokens.IDTokenError naming the failed check.
func (c *Client) checkIDToken(ctx context.Context, p tokens.Profile, raw, nonce string) (*tokens.IDClaims, error) {
	info, err := c.verifyIDToken(ctx, p, raw, nonce)
	if err != nil {
		return nil, err
	}
	id := idClaims(info)
	id.Nonce = nonce
	return id, nil
}

// verifyIDToken makes the checks of checkIDToken and returns the
// token's decoded form.
func (c *Client) verifyIDToken(ctx context.Context, p tokens.Profile, raw, nonce string) (*tokens.JWTInfo, error) {
	fail := func(check tokens.IDTokenCheck, err error) (*tokens.JWTInfo, error) {
		return nil, &tokens.IDTokenError{Check: check, Err: err}
	}
	if raw == "" {
		return fail(tokens.IDTokenMissing, nil)
	}
	info, err := tokens.DecodeJWT(raw)
	if err != nil {
		return fail(tokens.IDTokenMalformed, nil) // its text is the token's: not kept
	}
	alg, kid := headerString(info.Header, "alg"), headerString(info.Header, "kid")
	if alg == "" || strings.EqualFold(alg, "none") {
		return fail(tokens.IDTokenSignature, errors.New(`alg "none": not signed`))
	}
	ctx, cancel, p, hc, err := c.begin(ctx, p)
	if err != nil {
		return nil, err
	}
	defer cancel()

	// The issuer: the profile's, or, without one, the token's own iss if
	// its metadata names the profile's token URL (as Verify does).
	iss, _ := info.Claims["iss"].(string)
	var meta Metadata
	if p.IssuerURL != "" {
		meta, err = c.metadata(ctx, hc, anchorsOf(p), p.IssuerURL, p.EndpointOrigins)
	} else if tokens.CheckEndpointURL(iss) != nil {
		return fail(tokens.IDTokenIssuer, errors.New("iss is not an https URL"))
	} else if meta, err = c.metadata(ctx, hc, anchorsOf(p), iss, tokenURLOrigin(p)); err == nil && meta.TokenEndpoint != p.TokenURL {
		return fail(tokens.IDTokenIssuer, errors.New("the issuer's metadata names another token endpoint"))
	}
	switch {
	case err != nil:
		return nil, &tokens.IDTokenError{Check: tokens.IDTokenIssuer, Err: err, Unchecked: outage(err)}
	case iss != meta.Issuer:
		return fail(tokens.IDTokenIssuer, nil) // exact match: OpenID Connect Core §3.1.3.7 step 2
	case meta.JWKSURI == "":
		return fail(tokens.IDTokenSignature, errors.New("the issuer publishes no jwks_uri"))
	}
	ks, found, err := c.keySetFor(ctx, hc, anchorsOf(p), meta.JWKSURI, kid)
	switch {
	case err != nil:
		return nil, &tokens.IDTokenError{Check: tokens.IDTokenSignature, Err: err, Unchecked: outage(err)}
	case !found:
		return fail(tokens.IDTokenSignature, errors.New("no key of the issuer has its kid"))
	}
	allowed := allowedAlgs(ctx, ks, kid)
	if !slices.Contains(allowed, alg) {
		return fail(tokens.IDTokenSignature, errors.New("its alg is not one the issuer's key allows"))
	}
	parser := jwt.NewParser(jwt.WithValidMethods(allowed), jwt.WithoutClaimsValidation())
	if _, err := parser.Parse(raw, ks.kf.KeyfuncCtx(ctx)); err != nil {
		return fail(tokens.IDTokenSignature, errors.New("the signature does not verify"))
	}

	// aud holds the client ID; with several audiences azp must be it
	// (OpenID Connect Core §3.1.3.7 steps 3-5).
	aud := audiences(info.Claims["aud"])
	if !slices.Contains(aud, p.ClientID) {
		return fail(tokens.IDTokenAudience, nil)
	}
	if azp, ok := info.Claims["azp"].(string); (len(aud) > 1 || ok) && azp != p.ClientID {
		return fail(tokens.IDTokenAudience, errors.New("azp is not the client ID"))
	}
	got, _ := info.Claims["nonce"].(string)
	if subtle.ConstantTimeCompare([]byte(got), []byte(nonce)) != 1 {
		return fail(tokens.IDTokenNonce, nil)
	}
	exp, ok := info.NumericDate("exp")
	if !ok || !c.now().Before(exp.Add(tokens.VerifySkew)) {
		return fail(tokens.IDTokenExpired, nil)
	}
	sub, _ := info.Claims["sub"].(string)
	if sub == "" {
		return fail(tokens.IDTokenMalformed, errors.New("no sub"))
	}
	return info, nil
}

// audiences reads aud: a string or an array of strings.
func audiences(v any) []string {
	switch a := v.(type) {
	case string:
		return []string{a}
	case []any:
		var out []string
		for _, x := range a {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// idClaims are the claims of a checked ID token kept for display.
func idClaims(info *tokens.JWTInfo) *tokens.IDClaims {
	str := func(k string) string {
		s, _ := info.Claims[k].(string)
		return tokens.Printable(s, tokens.MaxIDClaimLen)
	}
	id := &tokens.IDClaims{Issuer: str("iss"), Subject: str("sub"), Name: str("name"), PreferredUsername: str("preferred_username"), Email: str("email")}
	if at, ok := info.NumericDate("auth_time"); ok {
		id.AuthTime = at.UTC().Truncate(time.Second)
	}
	return id
}

// outage reports whether err, met fetching the issuer's metadata or keys
// to check an ID token, is an outage (a network error, a timeout, a 5xx or
// 429: transient) rather than an answer that is wrong (another issuer's
// metadata, a key set that is none).
func outage(err error) bool {
	return tokens.Classify(err) == tokens.Transient && !errors.As(err, new(*tokens.IssuerMismatchError)) && !errors.Is(err, errJWKSUnusable)
}
