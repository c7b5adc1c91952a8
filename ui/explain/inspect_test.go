package explain

import (
	"context"
	"errors"
	"fmt"
	"net/url"
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
		tokens.FindingAudienceMiss, tokens.FindingAbsent, tokens.FindingNotConfigured, tokens.FindingRequiredAbsent} {
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

// A valid verdict names only the checks made; a JWT without exp is
// invalid and says why; a JWKS timeout is worded for the JWKS (issue 24:
// it said "signature, times, issuer and audience checked" and "the token
// endpoint did not answer in time").
func TestVerificationNamesTheChecksMade(t *testing.T) {
	valid := func(k tokens.CheckKind) tokens.Check {
		return tokens.Check{Kind: k, Verdict: tokens.VerdictValid, Finding: tokens.FindingOK}
	}
	v := &tokens.Verification{Checks: []tokens.Check{valid(tokens.CheckSignature), valid(tokens.CheckExpiry),
		{Kind: tokens.CheckNotBefore, Verdict: tokens.VerdictSkipped, Finding: tokens.FindingAbsent}, valid(tokens.CheckIssuedAt),
		valid(tokens.CheckIssuer), {Kind: tokens.CheckAudience, Verdict: tokens.VerdictSkipped, Finding: tokens.FindingNotConfigured}}}
	if got := Verification(v); got != "token valid: signature, expiry, issued-at and issuer checked (no audience set)" {
		t.Errorf("summary %q", got)
	}
	v.Checks[1] = tokens.Check{Kind: tokens.CheckExpiry, Verdict: tokens.VerdictInvalid, Finding: tokens.FindingRequiredAbsent}
	if got := Verification(v); !strings.HasPrefix(got, "token invalid: expiry (exp): the token has no exp claim") {
		t.Errorf("summary without exp %q", got)
	}
	jwks := fmt.Errorf("%w: %w", tokens.ErrJWKS, &url.Error{Op: "Get", URL: "https://auth.example/jwks", Err: context.DeadlineExceeded})
	got := CheckDetail(v, tokens.Check{Kind: tokens.CheckSignature, Finding: tokens.FindingJWKSUnreachable, Err: jwks})
	if !strings.Contains(got, "could not be fetched: the issuer's key set (JWKS) did not answer in time") || strings.Contains(got, "token endpoint") || strings.Contains(got, "jwks: ") {
		t.Errorf("JWKS timeout: %q", got)
	}
}

// A server with no discovery document is said in plain words, once: the
// summary and the Issuer row give the cause, the Signature row points to
// it (issue 29: "Token could not check: signature: the issuer's metadata
// could not be read: profile configuration: issuer_url: no token endpoint
// discovered…", twice). Times are local, as the window states them.
func TestVerificationWithoutDiscoveryInPlainWords(t *testing.T) {
	noDoc := fmt.Errorf("%w: %s: no token endpoint discovered for issuer https://auth.example (…: HTTP 404)", tokens.ErrConfig, tokens.FieldIssuerURL)
	at := time.Date(2026, 12, 6, 13, 50, 0, 0, time.Local)
	v := &tokens.Verification{Skew: tokens.VerifySkew, At: at, Checks: []tokens.Check{
		{Kind: tokens.CheckSignature, Finding: tokens.FindingDiscovery, Err: noDoc},
		{Kind: tokens.CheckExpiry, Verdict: tokens.VerdictValid, Finding: tokens.FindingOK, At: at.Add(4*time.Minute + 25*time.Second)},
		{Kind: tokens.CheckIssuer, Finding: tokens.FindingDiscovery, Err: noDoc},
	}}
	want := "could not check the signature: this server publishes no keys (no discovery document), so the signature cannot be checked"
	if got := Verification(v); got != want {
		t.Errorf("summary\n got %q\nwant %q", got, want)
	}
	sig, exp, iss := CheckDetail(v, v.Checks[0]), CheckDetail(v, v.Checks[1]), CheckDetail(v, v.Checks[2])
	if strings.Contains(sig, "discovery") || !strings.Contains(sig, "see Issuer") {
		t.Errorf("the Signature row repeats the cause: %q", sig)
	}
	if !strings.Contains(iss, "no discovery document") || strings.Contains(iss, "issuer_url") {
		t.Errorf("Issuer row %q", iss)
	}
	if exp != "expires 13:54:25" {
		t.Errorf("Expiry row %q, want local time of day as the window shows", exp)
	}
}
