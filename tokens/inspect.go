package tokens

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Inspecting a token the client holds: verifying a JWT against its
// issuer's keys, asking the issuer about it (RFC 7662 introspection), and
// revoking it (RFC 7009). The types here are facts; the window and the
// command line word them.

// Inspector verifies, introspects and revokes tokens of a profile.
// oauth.Client implements it. Implementations are safe for concurrent use.
type Inspector interface {
	// Verify checks t against its issuer. It never returns nil; checks it
	// could not make say so (VerdictUnchecked), never "valid".
	Verify(ctx context.Context, p Profile, t *Token) *Verification
	// Introspect asks the profile's introspection endpoint about t with
	// the profile's client authentication. Errors: *NoEndpointError, a
	// *EndpointError, ErrConfig, network errors.
	Introspect(ctx context.Context, p Profile, t *Token) (*Introspection, error)
	// Revoke asks the profile's revocation endpoint to revoke t (an access
	// token) with the profile's client authentication. Errors as Introspect.
	Revoke(ctx context.Context, p Profile, t *Token) error
}

// VerifySkew is the clock skew allowed when checking exp, nbf and iat.
const VerifySkew = 60 * time.Second

// Verdict is the outcome of one check, or of a whole verification.
type Verdict int

// The verdicts. The zero value is VerdictUnchecked: a check nobody made is
// never valid.
const (
	VerdictUnchecked Verdict = iota // could not check (Finding says why)
	VerdictValid                    // checked, and it holds
	VerdictInvalid                  // checked, and it does not hold
	VerdictSkipped                  // nothing to check (no audience configured, claim absent)
)

// String returns a stable machine name: could_not_check, valid, invalid,
// skipped (used by list --json).
func (v Verdict) String() string {
	switch v {
	case VerdictValid:
		return "valid"
	case VerdictInvalid:
		return "invalid"
	case VerdictSkipped:
		return "skipped"
	}
	return "could_not_check"
}

// CheckKind names one verification check.
type CheckKind string

// The checks, in the order Verify reports them.
const (
	CheckSignature CheckKind = "signature"
	CheckExpiry    CheckKind = "exp"
	CheckNotBefore CheckKind = "nbf"
	CheckIssuedAt  CheckKind = "iat"
	CheckIssuer    CheckKind = "iss"
	CheckAudience  CheckKind = "aud"
)

// ErrJWKS is wrapped by every failure to fetch an issuer's JSON Web Key
// Set (a Check's Err with FindingJWKSUnreachable or FindingJWKSUnusable),
// so that a timeout is worded for the key set, not the token endpoint.
var ErrJWKS = errors.New("jwks")

// Finding says why a check came out as it did.
type Finding string

// The findings.
const (
	FindingOK Finding = "ok"
	// Could not check.
	FindingNotJWT          Finding = "not_jwt"          // opaque or encrypted: nothing to verify locally
	FindingNoIssuer        Finding = "no_issuer"        // no issuer configured and the token's iss is not https (or loopback)
	FindingDiscovery       Finding = "discovery_failed" // the issuer's metadata could not be had (Err)
	FindingNoJWKS          Finding = "no_jwks_uri"      // the metadata names no usable jwks_uri
	FindingJWKSUnreachable Finding = "jwks_unreachable" // fetching the JWKS failed (Err)
	FindingJWKSUnusable    Finding = "jwks_unusable"    // the JWKS is not a usable key set (Err)
	FindingNoSignature     Finding = "signature_unchecked"
	// Invalid.
	FindingAlgNone        Finding = "alg_none"             // the token claims to be unsigned
	FindingKidUnknown     Finding = "kid_unknown"          // no key with the token's kid, even after a refetch
	FindingAlgMismatch    Finding = "alg_mismatch"         // the token's alg is not the key's (Want: the key's)
	FindingBadSignature   Finding = "bad_signature"        // the signature does not match
	FindingExpired        Finding = "expired"              // exp + skew is past
	FindingNotYetValid    Finding = "not_yet_valid"        // nbf - skew is ahead
	FindingIssuedInFuture Finding = "issued_in_future"     // iat - skew is ahead
	FindingMalformed      Finding = "malformed_claim"      // the claim is not a NumericDate or string
	FindingIssuerMismatch Finding = "issuer_mismatch"      // iss differs from the issuer (Want, Got)
	FindingOtherEndpoint  Finding = "other_token_endpoint" // iss's metadata names another token endpoint (Want, Got)
	FindingAudienceMiss   Finding = "audience_mismatch"    // aud does not name the profile's audience or resource
	FindingRequiredAbsent Finding = "required_absent"      // exp, which a JWT access token must carry (RFC 9068 §2.2), is not in the token
	// Skipped.
	FindingAbsent        Finding = "absent"         // the claim is not in the token
	FindingNotConfigured Finding = "not_configured" // the profile sets no audience or resource
)

// Check is one row of a Verification. Strings in it are printable (they
// come from the token or the issuer).
type Check struct {
	Kind    CheckKind
	Verdict Verdict
	Finding Finding
	// Want is what was expected (issuer, audience, the key's alg), Got what
	// the token says.
	Want, Got string
	// At is the claim's time, for exp, nbf and iat.
	At time.Time
	// Err is the cause of a check that could not be made.
	Err error
}

// Verification is the result of Inspector.Verify. Immutable once returned.
type Verification struct {
	// Checks are the rows, in CheckKind order; empty for a token that is
	// not a JWT (Finding of the signature row says so).
	Checks []Check
	// Issuer is the issuer whose keys were used; JWKSURI where they came from.
	Issuer, JWKSURI string
	// KeyID and Alg are the token header's kid and alg.
	KeyID, Alg string
	// Skew is the clock skew allowed; At when the times were checked.
	Skew time.Duration
	At   time.Time
}

// Verdict sums up the checks: invalid when any is invalid, could not check
// when any could not be made or none was made (all skipped, or no rows),
// else valid. Skipped checks do not count.
func (v *Verification) Verdict() Verdict {
	if v == nil || len(v.Checks) == 0 {
		return VerdictUnchecked
	}
	valid, unchecked := false, false
	for _, c := range v.Checks {
		switch c.Verdict {
		case VerdictInvalid:
			return VerdictInvalid
		case VerdictUnchecked:
			unchecked = true
		case VerdictValid:
			valid = true
		}
	}
	if unchecked || !valid {
		return VerdictUnchecked
	}
	return VerdictValid
}

// Check returns the row of kind k, or nil.
func (v *Verification) Check(k CheckKind) *Check {
	for i := range v.Checks {
		if v.Checks[i].Kind == k {
			return &v.Checks[i]
		}
	}
	return nil
}

// Introspection is an RFC 7662 §2.2 answer. Strings are printable and
// redacted (the token and the client's secrets never appear in them).
type Introspection struct {
	// Active is the only required member: false for a revoked, expired or
	// unknown token (and then the others are usually absent).
	Active bool
	// Scope, ClientID, Subject, Username, TokenType, Issuer: as sent.
	Scope, ClientID, Subject, Username, TokenType, Issuer string
	// Audience lists "aud" (a string or an array).
	Audience []string
	// ExpiresAt, IssuedAt, NotBefore: zero when absent.
	ExpiresAt, IssuedAt, NotBefore time.Time
	// Raw is the JSON answer as received, redacted and made printable,
	// at most MaxIntrospectionShown bytes; Truncated says it was cut.
	Raw       string
	Truncated bool
	// Endpoint is where the question went.
	Endpoint string
}

// ProblemNoActive: an introspection answer without a boolean "active".
const ProblemNoActive ResponseProblem = "no_active"

// MaxIntrospectionShown bounds Introspection.Raw.
const MaxIntrospectionShown = 16 << 10

// ErrNoEndpoint is matched (errors.Is) by a *NoEndpointError.
var ErrNoEndpoint = errors.New("no endpoint known")

// NoEndpointError says a profile has no endpoint for Op: none set by hand
// and none in its issuer's metadata.
type NoEndpointError struct{ Op EndpointOp }

func (e *NoEndpointError) Error() string { return "no " + string(e.Op) + " endpoint known" }

// Is makes errors.Is(err, ErrNoEndpoint) hold.
func (e *NoEndpointError) Is(target error) bool { return target == ErrNoEndpoint }

// EndpointOp names the request an EndpointError answers.
type EndpointOp string

// The inspection requests.
const (
	OpIntrospect EndpointOp = "introspection"
	OpRevoke     EndpointOp = "revocation"
)

// EndpointError is a refusal from an introspection or revocation endpoint:
// an RFC 6749 §5.2 error body (RFC 7009 §2.2.1), another non-2xx answer,
// or a 2xx answer that is not usable (Problem). Strings are redacted and
// printable.
type EndpointError struct {
	Op          EndpointOp
	Status      int
	Code        string          // "error", e.g. "invalid_client", "unsupported_token_type"
	Description string          // "error_description"
	Excerpt     string          // a short excerpt of a body that was not an error object
	Problem     ResponseProblem // why a 2xx answer is unusable: ProblemInvalidJSON, ProblemNoActive, ProblemTooLarge
	// Withheld: the server's text was dropped, as the request carried a
	// secret too short to redact safely (see ServerError.Withheld).
	Withheld bool
}

func (e *EndpointError) Error() string {
	msg := fmt.Sprintf("%s endpoint answered HTTP %d", e.Op, e.Status)
	switch {
	case e.Code != "" && e.Description != "":
		msg += ": " + e.Code + ": " + e.Description
	case e.Code != "":
		msg += ": " + e.Code
	case e.Problem != "":
		msg += ": " + string(e.Problem)
	case e.Excerpt != "":
		msg += ": " + e.Excerpt
	}
	return msg
}
