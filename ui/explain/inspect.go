package explain

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// The wording of token verification, introspection and revocation, for the
// window and the command line alike.

// Verdict names a verdict: valid, invalid, could not check, not checked.
func Verdict(v tokens.Verdict) string {
	switch v {
	case tokens.VerdictValid:
		return "valid"
	case tokens.VerdictInvalid:
		return "invalid"
	case tokens.VerdictSkipped:
		return "not checked"
	}
	return "could not check"
}

// CheckName names a check as its row is labelled.
func CheckName(k tokens.CheckKind) string {
	switch k {
	case tokens.CheckSignature:
		return "Signature"
	case tokens.CheckExpiry:
		return "Expiry (exp)"
	case tokens.CheckNotBefore:
		return "Not before (nbf)"
	case tokens.CheckIssuedAt:
		return "Issued at (iat)"
	case tokens.CheckIssuer:
		return "Issuer (iss)"
	case tokens.CheckAudience:
		return "Audience (aud)"
	}
	return Printable(string(k))
}

// When formats a time with its date and zone, for where no "now" is at
// hand (the introspection rows).
func When(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05 MST") }

// Clock formats t in local time as the window states times: the time of
// day when t falls on now's date ("13:54:25"), else with the date
// ("Mon 7 Dec 13:54:25", "7 Dec 2027 13:54:25").
func Clock(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	switch {
	case t.Year() == now.Year() && t.YearDay() == now.YearDay():
		return t.Format("15:04:05")
	case t.Year() == now.Year():
		return t.Format("Mon 2 Jan 15:04:05")
	}
	return t.Format("2 Jan 2006 15:04:05")
}

// discoveryCause words why the issuer's metadata, and so its keys, could
// not be had: a server without a discovery document in plain words (the
// error names a profile field, issuer_url, a token-URL profile does not
// have), any other failure with its error.
func discoveryCause(err error) string {
	if err == nil || errors.Is(err, tokens.ErrConfig) {
		return "this server publishes no keys (no discovery document), so the signature cannot be checked"
	}
	return "the issuer's metadata could not be read: " + Error(err)
}

// CheckDetail says why a check came out as it did, in a clause that
// follows its verdict ("invalid: expired at …").
func CheckDetail(v *tokens.Verification, c tokens.Check) string {
	skew := Duration(v.Skew)
	when := func(t time.Time) string { // in the window's way, when the verification says when it ran
		if v.At.IsZero() {
			return When(t)
		}
		return Clock(t, v.At)
	}
	cause := func(what string) string {
		if c.Err != nil {
			return what + ": " + Error(c.Err)
		}
		return what
	}
	switch c.Finding {
	case tokens.FindingOK:
		switch c.Kind {
		case tokens.CheckSignature:
			s := fmt.Sprintf("%s signature by the issuer's key", Printable(v.Alg))
			if v.KeyID != "" {
				s += fmt.Sprintf(" %q", Printable(v.KeyID))
			}
			return s + " (" + Printable(v.JWKSURI) + ")"
		case tokens.CheckExpiry:
			return "expires " + when(c.At)
		case tokens.CheckNotBefore:
			return "valid since " + when(c.At)
		case tokens.CheckIssuedAt:
			return "issued " + when(c.At)
		case tokens.CheckIssuer:
			if c.Want != v.Issuer { // found from the token's iss, for a profile with a token URL
				return fmt.Sprintf("%s, whose metadata names this profile's token URL", Printable(v.Issuer))
			}
			return Printable(c.Want)
		case tokens.CheckAudience:
			return "names " + Printable(c.Want)
		}
		return ""
	case tokens.FindingNotJWT:
		return "the token is not a JWT (opaque or encrypted); ask the issuer with Introspect"
	case tokens.FindingNoIssuer:
		return "the profile has no issuer URL and the token's iss is not an https URL, so there is no one to ask for keys"
	case tokens.FindingDiscovery:
		if c.Kind == tokens.CheckSignature {
			return "no keys to check it with (see Issuer)" // the cause is said once, on the Issuer row
		}
		return discoveryCause(c.Err)
	case tokens.FindingNoJWKS:
		return "the issuer's metadata names no usable jwks_uri"
	case tokens.FindingJWKSUnreachable:
		return cause("the issuer's keys (" + Printable(v.JWKSURI) + ") could not be fetched")
	case tokens.FindingJWKSUnusable:
		return "the issuer's keys (" + Printable(v.JWKSURI) + ") are not a usable JWK set"
	case tokens.FindingAlgNone:
		return "the token says it is unsigned (alg none)"
	case tokens.FindingKidUnknown:
		return fmt.Sprintf("the issuer publishes no key %q (its key set was fetched again to be sure)", Printable(c.Got))
	case tokens.FindingAlgMismatch:
		if c.Want == "" {
			return fmt.Sprintf("the token is signed with %s, which the issuer's key cannot verify", Printable(c.Got))
		}
		return fmt.Sprintf("the token is signed with %s, but the issuer's key is for %s", Printable(c.Got), Printable(c.Want))
	case tokens.FindingBadSignature:
		return "the signature does not match the issuer's key: the token was altered or signed by someone else"
	case tokens.FindingExpired:
		return fmt.Sprintf("expired %s (allowing %s of clock skew)", when(c.At), skew)
	case tokens.FindingNotYetValid:
		return fmt.Sprintf("not valid before %s (allowing %s of clock skew)", when(c.At), skew)
	case tokens.FindingIssuedInFuture:
		return fmt.Sprintf("issued in the future, %s (allowing %s of clock skew)", when(c.At), skew)
	case tokens.FindingMalformed:
		return "the claim is not a date"
	case tokens.FindingIssuerMismatch:
		return fmt.Sprintf("the token names %s, the issuer is %s", quoteOrNone(c.Got), Printable(c.Want))
	case tokens.FindingOtherEndpoint:
		return fmt.Sprintf("the token's issuer names the token URL %s, the profile uses %s", Printable(c.Got), Printable(c.Want))
	case tokens.FindingAudienceMiss:
		return fmt.Sprintf("the token is for %s, the profile asks for %s", quoteOrNone(c.Got), Printable(c.Want))
	case tokens.FindingAbsent:
		return "the token has no such claim"
	case tokens.FindingRequiredAbsent:
		return "the token has no exp claim, which every JWT access token must carry (RFC 9068), so it would never expire"
	case tokens.FindingNotConfigured:
		return "the profile sets no audience or resource to compare with"
	}
	return Printable(string(c.Finding))
}

func quoteOrNone(s string) string {
	if s == "" {
		return "none"
	}
	return Printable(s)
}

// checkWords name the checks in a valid verdict's summary.
var checkWords = map[tokens.CheckKind]string{
	tokens.CheckSignature: "signature", tokens.CheckExpiry: "expiry", tokens.CheckNotBefore: "not-before",
	tokens.CheckIssuedAt: "issued-at", tokens.CheckIssuer: "issuer", tokens.CheckAudience: "audience",
}

// Verification sums a verification up in one line: the verdict and, when
// valid, the checks actually made ("signature, expiry, issued-at, issuer
// and audience checked"); when not, the first row that made it so.
func Verification(v *tokens.Verification) string {
	verdict := v.Verdict()
	out := "token " + Verdict(verdict)
	if verdict == tokens.VerdictValid {
		var made []string
		for _, c := range v.Checks {
			if c.Verdict == tokens.VerdictValid {
				made = append(made, cmp.Or(checkWords[c.Kind], Printable(string(c.Kind))))
			}
		}
		out += ": " + andList(made) + " checked"
		if aud := v.Check(tokens.CheckAudience); aud != nil && aud.Finding == tokens.FindingNotConfigured {
			out += " (no audience set)"
		}
		return out
	}
	for _, c := range v.Checks {
		if c.Verdict != verdict {
			continue
		}
		what := strings.ToLower(CheckName(c.Kind))
		detail := CheckDetail(v, c)
		if c.Finding == tokens.FindingDiscovery {
			detail = discoveryCause(c.Err)
		}
		if verdict == tokens.VerdictUnchecked {
			// "token could not check" read as if the token did the checking.
			return "could not check the " + what + ": " + detail
		}
		return out + ": " + what + ": " + detail
	}
	return out
}

// Endpoint explains an introspection or revocation endpoint's refusal.
func Endpoint(ee *tokens.EndpointError) string {
	who := "the " + string(ee.Op) + " endpoint"
	var out string
	switch {
	case ee.Code != "":
		out = said(who, ee.Code, ee.Description, ee.Status)
	case ee.Problem != "":
		out = fmt.Sprintf("%s answered HTTP %d with %s", who, ee.Status, endpointProblem(ee.Problem))
	default:
		out = answered(who, ee.Status, ee.Excerpt)
	}
	if ee.Withheld {
		out += withheld
	}
	return out
}

// noEndpoint explains a *NoEndpointError.
func noEndpoint(ne *tokens.NoEndpointError) string {
	flag := "--introspection-url"
	if ne.Op == tokens.OpRevoke {
		flag = "--revocation-url"
	}
	return fmt.Sprintf("no %s endpoint is known for this profile: its issuer's metadata names none (or it has no issuer URL); set one with 'tokentray edit NAME %s URL'", ne.Op, flag)
}

// IntrospectionRows lists what people look for in an introspection answer
// as label and value pairs: active, then scope, client ID, subject and
// expiry, then the other members sent.
func IntrospectionRows(r *tokens.Introspection) [][2]string {
	active := "yes"
	if !r.Active {
		active = "no: the issuer says the token is revoked, expired or unknown"
	}
	rows := [][2]string{{"Active", active}}
	add := func(label, v string) {
		if v != "" {
			rows = append(rows, [2]string{label, Printable(v)})
		}
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return When(t)
	}
	add("Scope", r.Scope)
	add("Client ID", r.ClientID)
	add("Subject", r.Subject)
	add("Expires", when(r.ExpiresAt))
	add("Issued", when(r.IssuedAt))
	add("Not before", when(r.NotBefore))
	add("Username", r.Username)
	add("Token type", r.TokenType)
	add("Issuer", r.Issuer)
	add("Audience", strings.Join(r.Audience, ", "))
	return rows
}

// endpointProblem words why an introspection or revocation answer is unusable.
func endpointProblem(p tokens.ResponseProblem) string {
	switch p {
	case tokens.ProblemInvalidJSON:
		return "something that is not a JSON object"
	case tokens.ProblemNoActive:
		return `a JSON object without a true or false "active" member (RFC 7662 §2.2)`
	case tokens.ProblemTooLarge:
		return "more than " + Size(tokens.MaxResponseBytes)
	}
	return Printable(string(p))
}

// andList joins words as a sentence does: "a, b and c".
func andList(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
