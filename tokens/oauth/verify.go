package oauth

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
	"github.com/tokentray/tokentray/tokens"
)

// Verify implements tokens.Inspector for JWT access tokens: the signature
// against the issuer's JWKS (found by discovery from the profile's issuer,
// or from the token's "iss" when it is an https or loopback URL), exp, nbf
// and iat with tokens.VerifySkew, iss against the issuer, and aud against
// the profile's audience or resource. Nothing here trusts the token's
// header for the key type: the algorithm must be the key's ("alg" of the
// JWK, or one its type allows) and never "none" or HMAC.
func (c *Client) Verify(ctx context.Context, p tokens.Profile, t *tokens.Token) *tokens.Verification {
	now := c.now()
	v := &tokens.Verification{Skew: tokens.VerifySkew, At: now}
	if t == nil {
		v.Checks = []tokens.Check{{Kind: tokens.CheckSignature, Finding: tokens.FindingNotJWT}}
		return v
	}
	info, err := tokens.DecodeJWT(t.AccessToken)
	if err != nil {
		v.Checks = []tokens.Check{{Kind: tokens.CheckSignature, Finding: tokens.FindingNotJWT, Err: err}}
		return v
	}
	p = p.Normalized()
	v.Alg = headerString(info.Header, "alg")
	v.KeyID = headerString(info.Header, "kid")
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	meta, issCheck := c.verifyIssuer(ctx, p, info, t)
	if meta.Issuer != "" {
		v.Issuer, v.JWKSURI = meta.Issuer, meta.JWKSURI
	}
	v.Checks = append(v.Checks, c.checkSignature(ctx, p, t.AccessToken, v, meta, issCheck))
	v.Checks = append(v.Checks, timeChecks(info, now)...)
	v.Checks = append(v.Checks, issCheck, audienceCheck(p, info))
	return v
}

func headerString(h map[string]any, k string) string {
	s, _ := h[k].(string)
	return tokens.Printable(s, 200)
}

// verifyIssuer finds the issuer's metadata and checks "iss": against the
// profile's issuer when it has one; else the token's iss is discovered and
// its metadata must name the profile's token endpoint. A zero Metadata
// comes with a check that could not be made.
func (c *Client) verifyIssuer(ctx context.Context, p tokens.Profile, info *tokens.JWTInfo, t *tokens.Token) (Metadata, tokens.Check) {
	check := tokens.Check{Kind: tokens.CheckIssuer}
	raw, present := info.Claims["iss"]
	iss, _ := raw.(string)
	check.Got = tokens.Printable(iss, 300)
	hc, err := c.httpClient(p)
	if err != nil {
		check.Finding, check.Err = tokens.FindingDiscovery, err
		return Metadata{}, check
	}
	if p.IssuerURL != "" {
		meta, err := c.metadata(ctx, hc, anchorsOf(p), p.IssuerURL, p.EndpointOrigins)
		if err != nil {
			check.Finding, check.Err = tokens.FindingDiscovery, err
			return Metadata{}, check
		}
		check.Want = meta.Issuer
		if present && (iss == meta.Issuer || strings.TrimSuffix(iss, "/") == strings.TrimSuffix(meta.Issuer, "/")) {
			check.Verdict, check.Finding = tokens.VerdictValid, tokens.FindingOK
		} else {
			check.Verdict, check.Finding = tokens.VerdictInvalid, tokens.FindingIssuerMismatch
		}
		return meta, check
	}
	if jwtIssuer(t) == "" {
		check.Finding = tokens.FindingNoIssuer
		return Metadata{}, check
	}
	meta, err := c.metadata(ctx, hc, anchorsOf(p), iss, tokenURLOrigin(p))
	if err != nil {
		check.Finding, check.Err = tokens.FindingDiscovery, err
		return Metadata{}, check
	}
	check.Want, check.Got = p.TokenURL, tokens.Printable(meta.TokenEndpoint, 300)
	if meta.TokenEndpoint == p.TokenURL {
		check.Verdict, check.Finding = tokens.VerdictValid, tokens.FindingOK
	} else {
		check.Verdict, check.Finding = tokens.VerdictInvalid, tokens.FindingOtherEndpoint
	}
	return meta, check
}

// checkSignature verifies the JWS with the issuer's key named by kid.
func (c *Client) checkSignature(ctx context.Context, p tokens.Profile, raw string, v *tokens.Verification, meta Metadata, iss tokens.Check) tokens.Check {
	check := tokens.Check{Kind: tokens.CheckSignature, Got: v.Alg}
	if strings.EqualFold(v.Alg, "none") {
		check.Verdict, check.Finding = tokens.VerdictInvalid, tokens.FindingAlgNone
		return check
	}
	switch {
	case meta.Issuer == "":
		check.Finding, check.Err = iss.Finding, iss.Err // no issuer, or discovery failed
		return check
	case meta.JWKSURI == "":
		check.Finding = tokens.FindingNoJWKS
		return check
	}
	hc, err := c.httpClient(p)
	if err != nil {
		check.Finding, check.Err = tokens.FindingJWKSUnreachable, err
		return check
	}
	ks, found, err := c.keySetFor(ctx, hc, anchorsOf(p), meta.JWKSURI, v.KeyID)
	switch {
	case errors.Is(err, errJWKSUnusable):
		check.Finding, check.Err = tokens.FindingJWKSUnusable, err
		return check
	case err != nil:
		check.Finding, check.Err = tokens.FindingJWKSUnreachable, err
		return check
	case !found:
		check.Verdict, check.Finding, check.Got = tokens.VerdictInvalid, tokens.FindingKidUnknown, v.KeyID
		return check
	}
	allowed := allowedAlgs(ctx, ks, v.KeyID)
	if !slices.Contains(allowed, v.Alg) {
		check.Verdict, check.Finding, check.Want = tokens.VerdictInvalid, tokens.FindingAlgMismatch, strings.Join(allowed, ", ")
		return check
	}
	parser := jwt.NewParser(jwt.WithValidMethods(allowed), jwt.WithoutClaimsValidation())
	if _, err := parser.Parse(raw, ks.kf.KeyfuncCtx(ctx)); err != nil {
		check.Verdict, check.Finding = tokens.VerdictInvalid, tokens.FindingBadSignature
		return check
	}
	check.Verdict, check.Finding = tokens.VerdictValid, tokens.FindingOK
	return check
}

// allowedAlgs lists the algorithms the key named kid (every key, without
// kid) may verify: its JWK "alg" when it states one, else those its key
// type allows. Symmetric keys allow none: a published HMAC key would let
// anyone sign (and "alg" confusion of RS256 into HS256 is refused).
func allowedAlgs(ctx context.Context, ks *keySet, kid string) []string {
	var keys []jwkset.JWK
	if kid != "" {
		if k, err := ks.kf.Storage().KeyRead(ctx, kid); err == nil {
			keys = append(keys, k)
		}
	} else {
		keys, _ = ks.kf.Storage().KeyReadAll(ctx)
	}
	var algs []string
	for _, k := range keys {
		m := k.Marshal()
		var some []string
		switch {
		case m.KTY == jwkset.KtyOct:
		case m.ALG != "":
			some = []string{m.ALG.String()}
		case m.KTY == jwkset.KtyRSA:
			some = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
		case m.KTY == jwkset.KtyEC:
			some = map[jwkset.CRV][]string{jwkset.CrvP256: {"ES256"}, jwkset.CrvP384: {"ES384"}, jwkset.CrvP521: {"ES512"}}[m.CRV]
		case m.KTY == jwkset.KtyOKP:
			some = []string{"EdDSA"}
		}
		for _, a := range some {
			if !strings.HasPrefix(a, "HS") && a != "none" && !slices.Contains(algs, a) {
				algs = append(algs, a)
			}
		}
	}
	return algs
}

// timeChecks checks exp, nbf and iat against now with tokens.VerifySkew.
// A JWT access token must have exp (RFC 9068 §2.2): without one it is
// invalid, not unexpiring; nbf and iat are optional.
func timeChecks(info *tokens.JWTInfo, now time.Time) []tokens.Check {
	skew := tokens.VerifySkew
	one := func(kind tokens.CheckKind, claim string, bad func(at time.Time) bool, finding tokens.Finding) tokens.Check {
		c := tokens.Check{Kind: kind}
		if _, present := info.Claims[claim]; !present && kind == tokens.CheckExpiry {
			c.Verdict, c.Finding = tokens.VerdictInvalid, tokens.FindingRequiredAbsent
			return c
		} else if !present {
			c.Verdict, c.Finding = tokens.VerdictSkipped, tokens.FindingAbsent
			return c
		}
		at, ok := info.NumericDate(claim)
		if !ok {
			c.Verdict, c.Finding = tokens.VerdictInvalid, tokens.FindingMalformed
			return c
		}
		c.At = at
		if bad(at) {
			c.Verdict, c.Finding = tokens.VerdictInvalid, finding
		} else {
			c.Verdict, c.Finding = tokens.VerdictValid, tokens.FindingOK
		}
		return c
	}
	return []tokens.Check{
		one(tokens.CheckExpiry, "exp", func(at time.Time) bool { return !now.Before(at.Add(skew)) }, tokens.FindingExpired),
		one(tokens.CheckNotBefore, "nbf", func(at time.Time) bool { return now.Before(at.Add(-skew)) }, tokens.FindingNotYetValid),
		one(tokens.CheckIssuedAt, "iat", func(at time.Time) bool { return now.Before(at.Add(-skew)) }, tokens.FindingIssuedInFuture),
	}
}

// audienceCheck checks that "aud" names the profile's audience or resource.
func audienceCheck(p tokens.Profile, info *tokens.JWTInfo) tokens.Check {
	c := tokens.Check{Kind: tokens.CheckAudience}
	var want []string
	for _, w := range []string{p.Audience, p.Resource} {
		if w != "" {
			want = append(want, w)
		}
	}
	if len(want) == 0 {
		c.Verdict, c.Finding = tokens.VerdictSkipped, tokens.FindingNotConfigured
		return c
	}
	c.Want = tokens.Printable(strings.Join(want, " or "), 300)
	var got []string
	switch a := info.Claims["aud"].(type) {
	case string:
		got = []string{a}
	case []any:
		for _, x := range a {
			if s, ok := x.(string); ok {
				got = append(got, s)
			}
		}
	}
	c.Got = tokens.Printable(strings.Join(got, ", "), 300)
	for _, w := range want {
		if slices.Contains(got, w) {
			c.Verdict, c.Finding = tokens.VerdictValid, tokens.FindingOK
			return c
		}
	}
	c.Verdict, c.Finding = tokens.VerdictInvalid, tokens.FindingAudienceMiss
	return c
}
