package oauth

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/tokentray/tokentray/tokens"
)

// verifyEnv is an issuer, a profile of it and a Client on a clock the
// test moves.
type verifyEnv struct {
	is  *testIssuer
	p   tokens.Profile
	c   *Client
	now time.Time
}

func newVerifyEnv(t *testing.T) *verifyEnv {
	t.Helper()
	e := &verifyEnv{is: newTestIssuer(t), now: testNow}
	e.p = tokens.Profile{Name: "v", IssuerURL: e.is.URL, ClientID: "c", ClientSecret: "a-client-secret-long-enough", Audience: "api"}
	e.c = NewClient(ClientOptions{Now: func() time.Time { return e.now }})
	return e
}

func (e *verifyEnv) verify(raw string) *tokens.Verification {
	return e.c.Verify(context.Background(), e.p, &tokens.Token{AccessToken: raw})
}

func wantCheck(t *testing.T, v *tokens.Verification, kind tokens.CheckKind, verdict tokens.Verdict, finding tokens.Finding) {
	t.Helper()
	c := v.Check(kind)
	if c == nil {
		t.Fatalf("no %s check in %+v", kind, v.Checks)
	}
	if c.Verdict != verdict || c.Finding != finding {
		t.Errorf("%s check = %s/%s (err %v), want %s/%s", kind, c.Verdict, c.Finding, c.Err, verdict, finding)
	}
}

func TestVerifyValidToken(t *testing.T) {
	e := newVerifyEnv(t)
	v := e.verify(sign(t, issuerKey(t, 0), "k1", e.is.claims(e.now)))
	for _, k := range []tokens.CheckKind{tokens.CheckSignature, tokens.CheckExpiry, tokens.CheckNotBefore, tokens.CheckIssuedAt, tokens.CheckIssuer, tokens.CheckAudience} {
		wantCheck(t, v, k, tokens.VerdictValid, tokens.FindingOK)
	}
	if v.Verdict() != tokens.VerdictValid || v.JWKSURI != e.is.URL+"/jwks" || v.Issuer != e.is.URL || v.KeyID != "k1" || v.Alg != "RS256" {
		t.Errorf("verification = %s %+v", v.Verdict(), v)
	}
}

func TestVerifyTamperedSignature(t *testing.T) {
	e := newVerifyEnv(t)
	raw := sign(t, issuerKey(t, 0), "k1", e.is.claims(e.now))
	// Another payload under the same header and signature.
	parts := strings.Split(raw, ".")
	other := strings.Split(sign(t, issuerKey(t, 0), "k1", jwt.MapClaims{"iss": e.is.URL, "aud": "api", "sub": "admin", "exp": e.now.Add(time.Hour).Unix()}), ".")
	v := e.verify(parts[0] + "." + other[1] + "." + parts[2])
	wantCheck(t, v, tokens.CheckSignature, tokens.VerdictInvalid, tokens.FindingBadSignature)
	if v.Verdict() != tokens.VerdictInvalid {
		t.Errorf("verdict = %s, want invalid", v.Verdict())
	}
	// Signed by a key the issuer does not publish, under its kid.
	v = e.verify(sign(t, issuerKey(t, 1), "k1", e.is.claims(e.now)))
	wantCheck(t, v, tokens.CheckSignature, tokens.VerdictInvalid, tokens.FindingBadSignature)
}

func TestVerifyWrongKid(t *testing.T) {
	e := newVerifyEnv(t)
	v := e.verify(sign(t, issuerKey(t, 0), "nope", e.is.claims(e.now)))
	wantCheck(t, v, tokens.CheckSignature, tokens.VerdictInvalid, tokens.FindingKidUnknown)
	if v.Check(tokens.CheckSignature).Got != "nope" {
		t.Errorf("Got = %q, want the kid", v.Check(tokens.CheckSignature).Got)
	}
}

func TestVerifyAlgNone(t *testing.T) {
	e := newVerifyEnv(t)
	raw, err := jwt.NewWithClaims(jwt.SigningMethodNone, e.is.claims(e.now)).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	v := e.verify(raw)
	wantCheck(t, v, tokens.CheckSignature, tokens.VerdictInvalid, tokens.FindingAlgNone)
	if v.Verdict() != tokens.VerdictInvalid {
		t.Errorf("verdict = %s, want invalid", v.Verdict())
	}
}

// An RS256 key's public half used as an HMAC secret (the classic "alg
// confusion") must not verify.
func TestVerifyHMACWithThePublicKey(t *testing.T) {
	e := newVerifyEnv(t)
	der, err := x509.MarshalPKIXPublicKey(&issuerKey(t, 0).PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pub := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	for _, secret := range [][]byte{pub, issuerKey(t, 0).N.Bytes()} {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, e.is.claims(e.now))
		tok.Header["kid"] = "k1"
		raw, err := tok.SignedString(secret)
		if err != nil {
			t.Fatal(err)
		}
		v := e.verify(raw)
		wantCheck(t, v, tokens.CheckSignature, tokens.VerdictInvalid, tokens.FindingAlgMismatch)
	}
}

func TestVerifyTimesWithSkew(t *testing.T) {
	e := newVerifyEnv(t)
	key := issuerKey(t, 0)
	at := func(exp, nbf, iat time.Duration) *tokens.Verification {
		c := e.is.claims(e.now)
		c["exp"], c["nbf"], c["iat"] = e.now.Add(exp).Unix(), e.now.Add(nbf).Unix(), e.now.Add(iat).Unix()
		return e.verify(sign(t, key, "k1", c))
	}
	v := at(-61*time.Second, -time.Hour, -time.Hour)
	wantCheck(t, v, tokens.CheckExpiry, tokens.VerdictInvalid, tokens.FindingExpired)
	wantCheck(t, v, tokens.CheckSignature, tokens.VerdictValid, tokens.FindingOK)
	if v.Verdict() != tokens.VerdictInvalid {
		t.Errorf("expired token verdict = %s", v.Verdict())
	}
	v = at(-30*time.Second, 30*time.Second, 30*time.Second) // within the 60 s skew
	for _, k := range []tokens.CheckKind{tokens.CheckExpiry, tokens.CheckNotBefore, tokens.CheckIssuedAt} {
		wantCheck(t, v, k, tokens.VerdictValid, tokens.FindingOK)
	}
	v = at(time.Hour, 2*time.Minute, 2*time.Minute)
	wantCheck(t, v, tokens.CheckNotBefore, tokens.VerdictInvalid, tokens.FindingNotYetValid)
	wantCheck(t, v, tokens.CheckIssuedAt, tokens.VerdictInvalid, tokens.FindingIssuedInFuture)

	c := e.is.claims(e.now)
	delete(c, "nbf")
	c["iat"] = "yesterday"
	v = e.verify(sign(t, key, "k1", c))
	wantCheck(t, v, tokens.CheckNotBefore, tokens.VerdictSkipped, tokens.FindingAbsent)
	wantCheck(t, v, tokens.CheckIssuedAt, tokens.VerdictInvalid, tokens.FindingMalformed)
}

func TestVerifyAudienceAndIssuer(t *testing.T) {
	e := newVerifyEnv(t)
	key := issuerKey(t, 0)
	c := e.is.claims(e.now)
	c["aud"] = []string{"other", "more"}
	v := e.verify(sign(t, key, "k1", c))
	wantCheck(t, v, tokens.CheckAudience, tokens.VerdictInvalid, tokens.FindingAudienceMiss)
	if a := v.Check(tokens.CheckAudience); a.Want != "api" || a.Got != "other, more" {
		t.Errorf("aud want/got = %q/%q", a.Want, a.Got)
	}
	c["aud"] = []string{"other", "api"}
	wantCheck(t, e.verify(sign(t, key, "k1", c)), tokens.CheckAudience, tokens.VerdictValid, tokens.FindingOK)

	e.p.Audience, e.p.Resource = "", "https://api.example/"
	wantCheck(t, e.verify(sign(t, key, "k1", c)), tokens.CheckAudience, tokens.VerdictInvalid, tokens.FindingAudienceMiss)
	e.p.Resource = ""
	v = e.verify(sign(t, key, "k1", c))
	wantCheck(t, v, tokens.CheckAudience, tokens.VerdictSkipped, tokens.FindingNotConfigured)
	if v.Verdict() != tokens.VerdictValid {
		t.Errorf("a skipped audience check made the verdict %s", v.Verdict())
	}

	c["iss"] = "https://evil.example"
	wantCheck(t, e.verify(sign(t, key, "k1", c)), tokens.CheckIssuer, tokens.VerdictInvalid, tokens.FindingIssuerMismatch)
}

// A profile with a token URL only: the issuer is discovered from the
// token's iss, and must name the profile's token endpoint.
func TestVerifyIssuerFromToken(t *testing.T) {
	e := newVerifyEnv(t)
	e.p.IssuerURL, e.p.TokenURL = "", e.is.URL+"/token"
	raw := sign(t, issuerKey(t, 0), "k1", e.is.claims(e.now))
	v := e.verify(raw)
	wantCheck(t, v, tokens.CheckIssuer, tokens.VerdictValid, tokens.FindingOK)
	wantCheck(t, v, tokens.CheckSignature, tokens.VerdictValid, tokens.FindingOK)

	e.p.TokenURL = e.is.URL + "/other-token"
	v = e.verify(raw)
	wantCheck(t, v, tokens.CheckIssuer, tokens.VerdictInvalid, tokens.FindingOtherEndpoint)

	c := e.is.claims(e.now)
	c["iss"] = "http://auth.example" // plain http off loopback: never fetched
	v = e.verify(sign(t, issuerKey(t, 0), "k1", c))
	wantCheck(t, v, tokens.CheckSignature, tokens.VerdictUnchecked, tokens.FindingNoIssuer)
	if v.Verdict() == tokens.VerdictValid {
		t.Error("a token whose issuer cannot be asked verified as valid")
	}
}

// A new kid makes the client fetch the JWKS once more, and only once.
func TestVerifyJWKSRotation(t *testing.T) {
	e := newVerifyEnv(t)
	k1, k2 := issuerKey(t, 0), issuerKey(t, 1)
	wantCheck(t, e.verify(sign(t, k1, "k1", e.is.claims(e.now))), tokens.CheckSignature, tokens.VerdictValid, tokens.FindingOK)
	wantCheck(t, e.verify(sign(t, k1, "k1", e.is.claims(e.now))), tokens.CheckSignature, tokens.VerdictValid, tokens.FindingOK)
	if n := e.is.jwksFetches.Load(); n != 1 {
		t.Fatalf("JWKS fetched %d times for one kid, want 1", n)
	}
	e.is.publish(map[string]*rsa.PrivateKey{"k1": k1, "k2": k2})
	e.now = e.now.Add(JWKSRefetchEvery)
	for range 3 {
		wantCheck(t, e.verify(sign(t, k2, "k2", e.is.claims(e.now))), tokens.CheckSignature, tokens.VerdictValid, tokens.FindingOK)
	}
	if n := e.is.jwksFetches.Load(); n != 2 {
		t.Fatalf("JWKS fetched %d times after a rotation, want 2", n)
	}
	// An unknown kid right after a fetch does not fetch again.
	wantCheck(t, e.verify(sign(t, k2, "k3", e.is.claims(e.now))), tokens.CheckSignature, tokens.VerdictInvalid, tokens.FindingKidUnknown)
	if n := e.is.jwksFetches.Load(); n != 2 {
		t.Fatalf("JWKS fetched %d times, want 2: an unknown kid refetches at most every %s", n, JWKSRefetchEvery)
	}
}

func TestVerifyJWKSCacheHeaders(t *testing.T) {
	for _, tc := range []struct {
		cacheControl string
		later        time.Duration
		fetches      int32
	}{
		{"max-age=3600", 59 * time.Minute, 1},
		{"max-age=3600", 61 * time.Minute, 2},
		{"public, max-age=60", 2 * time.Minute, 2},
		{"no-store", 0, 2},
		{"", 59 * time.Minute, 1}, // JWKSDefaultTTL
		{"", 61 * time.Minute, 2},
	} {
		e := newVerifyEnv(t)
		e.is.cacheControl = tc.cacheControl
		raw := sign(t, issuerKey(t, 0), "k1", e.is.claims(e.now))
		e.verify(raw)
		e.now = e.now.Add(tc.later)
		wantCheck(t, e.verify(raw), tokens.CheckSignature, tokens.VerdictValid, tokens.FindingOK)
		if n := e.is.jwksFetches.Load(); n != tc.fetches {
			t.Errorf("Cache-Control %q, verified again %s later: %d fetches, want %d", tc.cacheControl, tc.later, n, tc.fetches)
		}
	}
}

func TestCacheLifetimeExpires(t *testing.T) {
	h := map[string][]string{"Date": {"Sun, 01 Mar 2026 12:00:00 GMT"}, "Expires": {"Sun, 01 Mar 2026 12:10:00 GMT"}}
	if d := cacheLifetime(h, testNow); d != 10*time.Minute {
		t.Errorf("Expires 10 min after Date: %s", d)
	}
	h["Expires"] = []string{"0"}
	if d := cacheLifetime(h, testNow); d != 0 {
		t.Errorf("invalid Expires: %s, want 0", d)
	}
	if d := cacheLifetime(map[string][]string{"Cache-Control": {"max-age=99999999999"}}, testNow); d != JWKSMaxTTL {
		t.Errorf("huge max-age: %s, want %s", d, JWKSMaxTTL)
	}
}

// An unreachable JWKS is "could not check", never "valid".
func TestVerifyUnreachableJWKS(t *testing.T) {
	e := newVerifyEnv(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/jwks"
	l.Close()
	e.is.jwksURI = closed
	e.p.EndpointOrigins = []string{"http://" + l.Addr().String()} // another port: another origin
	v := e.verify(sign(t, issuerKey(t, 0), "k1", e.is.claims(e.now)))
	wantCheck(t, v, tokens.CheckSignature, tokens.VerdictUnchecked, tokens.FindingJWKSUnreachable)
	if v.Verdict() != tokens.VerdictUnchecked {
		t.Errorf("verdict = %s, want could_not_check", v.Verdict())
	}

	e.is.jwksURI = e.is.URL + "/.well-known/openid-configuration" // JSON, but no key set
	e.c = NewClient(ClientOptions{Now: func() time.Time { return e.now }})
	v = e.verify(sign(t, issuerKey(t, 0), "k1", e.is.claims(e.now)))
	wantCheck(t, v, tokens.CheckSignature, tokens.VerdictUnchecked, tokens.FindingJWKSUnusable)

	e.p.IssuerURL = "http://" + l.Addr().String() // discovery itself fails
	v = e.verify(sign(t, issuerKey(t, 0), "k1", e.is.claims(e.now)))
	wantCheck(t, v, tokens.CheckSignature, tokens.VerdictUnchecked, tokens.FindingDiscovery)
	wantCheck(t, v, tokens.CheckIssuer, tokens.VerdictUnchecked, tokens.FindingDiscovery)
}

func TestVerifyOpaqueToken(t *testing.T) {
	e := newVerifyEnv(t)
	v := e.verify("an-opaque-token")
	if v.Verdict() != tokens.VerdictUnchecked || len(v.Checks) != 1 || v.Checks[0].Finding != tokens.FindingNotJWT {
		t.Errorf("opaque token: %s %+v", v.Verdict(), v.Checks)
	}
	if n := e.is.jwksFetches.Load(); n != 0 {
		t.Errorf("an opaque token fetched the JWKS %d times", n)
	}
}

// A jwks_uri that fails the discovered-endpoint check is left out of the
// metadata: "no usable jwks_uri", and it is never fetched.
func TestVerifyRefusesUnusableJWKSURI(t *testing.T) {
	for _, uri := range []string{"ftp://127.0.0.1/jwks", "http://user:pw@127.0.0.1/jwks", "/jwks"} {
		e := newVerifyEnv(t)
		e.is.jwksURI = uri
		v := e.verify(sign(t, issuerKey(t, 0), "k1", e.is.claims(e.now)))
		wantCheck(t, v, tokens.CheckSignature, tokens.VerdictUnchecked, tokens.FindingNoJWKS)
	}
}

// A jwks_uri on another origin than the issuer's is not used (nothing is
// fetched from it) unless the profile allows that origin.
func TestVerifyJWKSOnAnotherOriginNotUsed(t *testing.T) {
	e := newVerifyEnv(t)
	other := newTestIssuer(t) // serves the same keys on another port
	e.is.jwksURI = other.URL + "/jwks"
	v := e.verify(sign(t, issuerKey(t, 0), "k1", e.is.claims(e.now)))
	wantCheck(t, v, tokens.CheckSignature, tokens.VerdictUnchecked, tokens.FindingNoJWKS)
	e.p.EndpointOrigins = []string{other.URL}
	e.c = NewClient(ClientOptions{Now: func() time.Time { return e.now }})
	v = e.verify(sign(t, issuerKey(t, 0), "k1", e.is.claims(e.now)))
	wantCheck(t, v, tokens.CheckSignature, tokens.VerdictValid, tokens.FindingOK)
}

// The discovery and JWKS caches are keyed by the trust anchors too: keys
// fetched from a server that one profile's CA bundle vouches for never
// verify the token of a profile that does not trust that server. (Before,
// both caches were keyed by URL only, and the second profile's token
// verified with keys it could never have fetched itself.)
func TestVerifyCachesAreKeyedByTrustAnchors(t *testing.T) {
	is := newTLSTestIssuer(t)
	c := NewClient(ClientOptions{Now: fixedClock})
	trusting := tokens.Profile{Name: "a", IssuerURL: is.URL, ClientID: "c", ClientSecret: "a-client-secret-long-enough", Audience: "api", CABundlePEM: is.caPEM()}
	raw := sign(t, issuerKey(t, 0), "k1", is.claims(testNow))
	if v := c.Verify(context.Background(), trusting, &tokens.Token{AccessToken: raw}); v.Verdict() != tokens.VerdictValid {
		t.Fatalf("the profile trusting the issuer's CA: %s %+v", v.Verdict(), v.Checks)
	}
	other := trusting
	other.Name, other.CABundlePEM = "b", ""
	v := c.Verify(context.Background(), other, &tokens.Token{AccessToken: raw})
	if sig := v.Check(tokens.CheckSignature); sig == nil || sig.Verdict == tokens.VerdictValid || v.Verdict() == tokens.VerdictValid {
		t.Errorf("a profile without the CA verified with the other profile's cached keys: %s %+v", v.Verdict(), v.Checks)
	}
	if iss := v.Check(tokens.CheckIssuer); iss == nil || iss.Finding != tokens.FindingDiscovery {
		t.Errorf("issuer check %+v, want discovery to fail on the untrusted certificate", iss)
	}
	// The profile's own caches still serve it: no second JWKS fetch.
	if v := c.Verify(context.Background(), trusting, &tokens.Token{AccessToken: raw}); v.Verdict() != tokens.VerdictValid || is.jwksFetches.Load() != 1 {
		t.Errorf("again: %s after %d JWKS fetches", v.Verdict(), is.jwksFetches.Load())
	}
}

// A JWT access token must carry exp (RFC 9068 §2.2): without one it is
// invalid, not a token that never expires (before, the row said "not
// checked" and the verdict was valid).
func TestVerifyTokenWithoutExpiryIsInvalid(t *testing.T) {
	e := newVerifyEnv(t)
	claims := e.is.claims(e.now)
	delete(claims, "exp")
	v := e.verify(sign(t, issuerKey(t, 0), "k1", claims))
	wantCheck(t, v, tokens.CheckExpiry, tokens.VerdictInvalid, tokens.FindingRequiredAbsent)
	wantCheck(t, v, tokens.CheckSignature, tokens.VerdictValid, tokens.FindingOK)
	if v.Verdict() != tokens.VerdictInvalid {
		t.Errorf("verdict %s, want invalid", v.Verdict())
	}
	delete(claims, "nbf")
	delete(claims, "iat")
	claims["exp"] = e.now.Add(time.Hour).Unix()
	v = e.verify(sign(t, issuerKey(t, 0), "k1", claims))
	wantCheck(t, v, tokens.CheckNotBefore, tokens.VerdictSkipped, tokens.FindingAbsent)
	if v.Verdict() != tokens.VerdictValid {
		t.Errorf("without nbf and iat: verdict %s, want valid", v.Verdict())
	}
}
