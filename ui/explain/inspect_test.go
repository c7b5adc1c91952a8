package explain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// Every finding has its own words: none falls back to its machine name.
func TestCheckDetailWordsEveryFinding(t *testing.T) {
	v := &tokens.Verification{Skew: tokens.VerifySkew, Alg: "RS256", KeyID: "k1", JWKSURI: "https://auth.example/jwks", Issuer: "https://auth.example"}
	for _, f := range []tokens.Finding{tokens.FindingNotJWT, tokens.FindingNoIssuer, tokens.FindingDiscovery, tokens.FindingNoJWKS,
		tokens.FindingJWKSUnreachable, tokens.FindingJWKSUnusable, tokens.FindingAlgNone, tokens.FindingKidUnknown,
		tokens.FindingAlgMismatch, tokens.FindingBadSignature, tokens.FindingExpired, tokens.FindingNotYetValid,
		tokens.FindingIssuedInFuture, tokens.FindingMalformed, tokens.FindingIssuerMismatch, tokens.FindingOtherEndpoint,
		tokens.FindingAudienceMiss, tokens.FindingAbsent, tokens.FindingNotConfigured} {
		got := CheckDetail(v, tokens.Check{Finding: f, At: time.Unix(1e9, 0), Err: errors.New("boom")})
		if got == "" || got == string(f) {
			t.Errorf("%s: %q", f, got)
		}
	}
	for _, k := range []tokens.CheckKind{tokens.CheckSignature, tokens.CheckExpiry, tokens.CheckNotBefore, tokens.CheckIssuedAt, tokens.CheckIssuer, tokens.CheckAudience} {
		if got := CheckDetail(v, tokens.Check{Kind: k, Finding: tokens.FindingOK, Want: "https://auth.example", At: time.Unix(1e9, 0)}); got == "" {
			t.Errorf("%s valid: no detail", k)
		}
	}
}

func TestVerificationSummary(t *testing.T) {
	v := &tokens.Verification{Skew: tokens.VerifySkew, Checks: []tokens.Check{
		{Kind: tokens.CheckSignature, Verdict: tokens.VerdictValid, Finding: tokens.FindingOK},
		{Kind: tokens.CheckExpiry, Verdict: tokens.VerdictInvalid, Finding: tokens.FindingExpired, At: time.Unix(1e9, 0)},
	}}
	if got := Verification(v); !strings.HasPrefix(got, "token invalid: expiry (exp): expired ") {
		t.Errorf("summary %q", got)
	}
	ee := &tokens.EndpointError{Op: tokens.OpRevoke, Status: 401, Code: "invalid_client"}
	if got := Error(ee); got != "the revocation endpoint said invalid_client (HTTP 401) — check the client ID and secret or key" {
		t.Errorf("endpoint error %q", got)
	}
	if got := Error(&tokens.NoEndpointError{Op: tokens.OpIntrospect}); !strings.Contains(got, "--introspection-url") {
		t.Errorf("no endpoint %q", got)
	}
}
