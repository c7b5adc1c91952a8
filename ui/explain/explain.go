// Package explain is Tokentray's one wording layer, for the tray app and
// the command line alike: a profile's state in words and severity
// (Describe), the names of a profile's fields (FieldLabel, Field), the
// duration formats (durations.go), and the sentences a person reads for
// the engine's typed errors (Error, Command, Background), verification,
// introspection and imports. Everything in it is pure and safe for
// concurrent use; it imports no UI toolkit.
package explain

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// Error returns a one-paragraph explanation of err, or "" for nil.
func Error(err error) string {
	if err == nil {
		return ""
	}
	var (
		se  *tokens.ServerError
		ve  *tokens.ValidationError
		pe  *tokens.ProfileError
		ue  *url.Error
		tte *tokens.TokenTypeError
		le  *tokens.LifetimeError
		ime *tokens.IssuerMismatchError
		oe  *tokens.OriginError
		cve *tls.CertificateVerificationError
		ee  *tokens.EndpointError
		ne  *tokens.NoEndpointError
	)
	if msg := importError(err); msg != "" {
		return msg
	}
	if msg := keyringError(err); msg != "" {
		return msg
	}
	if msg, ok := idTokenError(err); ok {
		return msg
	}
	if msg, ok := signInTimeout(err); ok {
		return msg
	}
	if msg, ok := deviceEnded(err); ok {
		return msg
	}
	if msg, ok := SignInNeeded(err); ok { // before the server's refusal it may wrap
		return msg
	}
	switch {
	case errors.As(err, &ee):
		return prefix(err, ee) + Endpoint(ee)
	case errors.As(err, &ne):
		return prefix(err, ne) + noEndpoint(ne)
	case errors.As(err, &ve):
		return prefix(err, ve) + Validation(ve)
	case errors.As(err, &se):
		return prefix(err, se) + Server(se)
	case errors.As(err, &tte):
		return prefix(err, tte) + NotBearer(tte.Type)
	case errors.As(err, &le):
		return prefix(err, le) + Lifetime(le)
	case errors.As(err, &ime):
		return strings.Replace(prefix(err, ime), "profile configuration: issuer_url: ", "", 1) + "discovery refused: " + Printable(ime.Error()) + "; the metadata must name the configured issuer exactly"
	case errors.As(err, &oe):
		// Keep the profile's name, not the wrapping of the GET or config error.
		pre := strings.Replace(prefix(err, oe), "profile configuration: issuer_url: ", "", 1)
		if i := strings.Index(pre, "discovery: "); i >= 0 {
			pre = pre[:i]
		}
		return pre + "discovery refused: " + Printable(oe.Error()) + "; if that server really serves this issuer, allow its origin in the profile (tokentray edit NAME --allow-endpoint-origin " + Printable(oe.Origin) + ")"
	case errors.As(err, &pe):
		return fmt.Sprintf("profile %q cannot be read: %s", pe.Name, Error(pe.Err))
	case errors.Is(err, context.DeadlineExceeded):
		if errors.As(err, &ue) {
			return timedOut(err, ue)
		}
		return timedOut(err, context.DeadlineExceeded)
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.As(err, &ue):
		var dns *net.DNSError
		var op *net.OpError
		switch {
		case errors.As(err, &dns):
			return prefix(err, ue) + fmt.Sprintf("cannot find the host %s (DNS lookup failed)", dns.Name)
		case errors.As(err, &cve):
			return prefix(err, ue) + certificate(hostOf(ue.URL), cve)
		case errors.As(err, &op) && op.Op == "dial":
			return prefix(err, ue) + fmt.Sprintf("cannot connect to %s: %s", hostOf(ue.URL), op.Err.Error())
		case ue.Timeout():
			return timedOut(err, ue)
		}
		return prefix(err, ue) + fmt.Sprintf("cannot reach %s: %s", hostOf(ue.URL), ue.Err.Error())
	}
	return err.Error()
}

// certificate explains a server certificate that did not verify, with what
// fixes it: the profile's CA bundle for an unknown authority, the URL or
// the server for another host's name, the server or the clock for an
// expired one.
func certificate(host string, cve *tls.CertificateVerificationError) string {
	var (
		ua x509.UnknownAuthorityError
		he x509.HostnameError
		ie x509.CertificateInvalidError
	)
	switch {
	case errors.As(cve.Err, &ua):
		return fmt.Sprintf("the certificate of %s is not trusted: no certificate authority this computer trusts signed it; if it comes from a private CA, add that CA to the profile (--ca)", host)
	case errors.As(cve.Err, &he):
		return fmt.Sprintf("the certificate %s presents is not for %s (%s); check the host in the URL, or ask the server's operator", host, Printable(he.Host), Printable(cve.Err.Error()))
	case errors.As(cve.Err, &ie) && ie.Reason == x509.Expired:
		return fmt.Sprintf("the certificate of %s has expired or is not yet valid; check this computer's clock, or ask the server's operator to renew it", host)
	}
	return fmt.Sprintf("the certificate of %s is not trusted (%s); if it comes from a private CA, add that CA to the profile (--ca)", host, Printable(cve.Err.Error()))
}

// Server explains a token endpoint's refusal or unusable answer: the
// server's own error code and description, or what the answer was (an HTML
// page, invalid JSON, a wrong content type), and the delay it asked for.
func Server(se *tokens.ServerError) string {
	var b strings.Builder
	switch {
	case se.Code != "":
		b.WriteString(said("the server", se.Code, se.Description, se.Status))
	case se.Problem != "":
		b.WriteString(problem(se))
	default:
		b.WriteString(answered("the token endpoint", se.Status, se.Excerpt))
	}
	if se.URI != "" {
		fmt.Fprintf(&b, " (see %s)", Printable(se.URI))
	}
	if se.Withheld {
		b.WriteString(withheld)
	}
	if se.RetryAfter > 0 {
		fmt.Fprintf(&b, "; the server asks to retry after %s", Duration(se.RetryAfter))
	}
	return b.String()
}

// withheld says why an answer's text is missing from its explanation.
const withheld = " (the server's text is not shown: a secret sent, the client secret or a header or parameter named like one, is too short to hide in it safely)"

// said words an OAuth error answer (RFC 6749 §5.2, also used by RFC 7662
// and RFC 7009 endpoints): "the server said invalid_client: bad secret
// (HTTP 401) — check the client ID and secret or key".
func said(who, code, description string, status int) string {
	s := who + " said " + Printable(code)
	if description != "" {
		s += ": " + Printable(description)
	}
	s += fmt.Sprintf(" (HTTP %d)", status)
	if hint := codeHint(code); hint != "" {
		s += " — " + hint
	}
	return s
}

// answered words a non-OAuth refusal: "the token endpoint answered HTTP
// 502: Bad gateway".
func answered(who string, status int, excerpt string) string {
	s := fmt.Sprintf("%s answered HTTP %d", who, status)
	if excerpt != "" {
		s += ": " + Printable(excerpt)
	}
	return s
}

// problem words a ServerError that carries no OAuth error code.
func problem(se *tokens.ServerError) string {
	answered := fmt.Sprintf("the token endpoint answered HTTP %d with ", se.Status)
	ct := ""
	if se.ContentType != "" {
		ct = " (content type " + Printable(se.ContentType) + ")"
	}
	quote := ""
	if se.Excerpt != "" {
		quote = ": " + Printable(se.Excerpt)
	}
	switch se.Problem {
	case tokens.ProblemHTML:
		what := "an HTML page"
		if se.Status >= 200 && se.Status <= 299 {
			what += " instead of a token response (a captive portal, proxy or login page?)"
		}
		return answered + what + quote
	case tokens.ProblemInvalidJSON:
		return answered + "invalid JSON" + ct + ", not a token response"
	case tokens.ProblemContentType:
		c := Printable(se.ContentType)
		if c == "" {
			c = "none"
		}
		return answered + "content type " + c + ", which is neither JSON nor form-encoded" + quote
	case tokens.ProblemEmptyBody:
		return answered + "an empty body instead of a token response"
	case tokens.ProblemNoToken:
		return answered + "a response without an access token " + Printable(se.Detail)
	case tokens.ProblemTokenSyntax:
		return answered + "an access token that is not a valid bearer token: " + Printable(se.Detail)
	case tokens.ProblemRedirect:
		to := Printable(se.Detail)
		if to == "" {
			to = "another address"
		}
		return fmt.Sprintf("the token endpoint redirects (HTTP %d) to %s; token requests are not sent on to another address, so put the final token URL in the profile", se.Status, to)
	case tokens.ProblemTooLarge:
		return answered + fmt.Sprintf("more than %s%s", Size(tokens.MaxResponseBytes), ct)
	}
	return answered + Printable(string(se.Problem))
}

func codeHint(code string) string {
	switch code {
	case "invalid_client":
		return "check the client ID and secret or key"
	case "unauthorized_client":
		return "this client may not use this grant"
	case "invalid_scope":
		return "check the requested scopes"
	case "unsupported_grant_type":
		return "the server does not accept this grant from this client"
	case "invalid_grant":
		return "the server refuses the grant: for client credentials, this client may not use it; for a sign-in, its code or refresh token is spent or expired"
	case "invalid_request":
		return "check the profile's parameters, headers and body encoding"
	}
	return ""
}

// Validation lists every bad field of a profile.
func Validation(ve *tokens.ValidationError) string {
	parts := make([]string, len(ve.Fields))
	for i, f := range ve.Fields {
		parts[i] = joinProblem(Field(f.Field), f.Problem)
	}
	return "invalid profile: " + strings.Join(parts, "; ")
}

// prefix keeps the context that wrapping added in front of target's own
// message ("dev-api: "), without the package prefixes.
func prefix(err, target error) string {
	full, own := err.Error(), target.Error()
	if i := strings.LastIndex(full, own); i > 0 {
		return full[:i]
	}
	return ""
}

// Printable makes a string from a server, a file or the keyring safe to
// show on one line of a terminal or a window: control characters (C0, DEL,
// C1), bidirectional controls and other invisible format characters are
// dropped, white space is collapsed, and the result is capped at 300
// characters.
func Printable(s string) string {
	return tokens.Printable(s, 300)
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

// NotBearer refuses to present a token of another type as a bearer token.
func NotBearer(tokenType string) string {
	return fmt.Sprintf("the server issued a token of type %q, not Bearer, so it cannot be used as \"Bearer <token>\" or an Authorization: Bearer header (RFC 6749 §7.1); the raw token is still available (--format raw or json, or Copy token)", Printable(tokenType))
}

// Lifetime explains an unmeetable --min-valid.
func Lifetime(le *tokens.LifetimeError) string {
	life := Duration(le.Lifetime)
	if le.Lifetime <= 0 {
		life = "0 s"
	}
	return fmt.Sprintf("the server's tokens live %s, less than the %s asked for with --min-valid, even when fresh; ask for less than %s", life, Duration(le.MinValid), life)
}

// DefaultLifetime explains an unmeetable --min-valid that was not given:
// command's default asks for more than the server's tokens live. It says
// so, and what to pass: half the lifetime, whole minutes from two minutes
// on (in git's helper line for git-credential).
func DefaultLifetime(le *tokens.LifetimeError, command, profile string) string {
	life := Duration(le.Lifetime)
	if le.Lifetime <= 0 {
		life = "0 s"
	}
	suggest := (le.Lifetime / 2).Truncate(time.Second)
	if le.Lifetime >= 2*time.Minute {
		suggest = suggest.Truncate(time.Minute)
	}
	flag := "--min-valid " + Setting(suggest)
	how := "add " + flag
	if command == "git-credential" {
		how = fmt.Sprintf("add %s to git's helper line ('!tokentray git-credential %s %s')", flag, Printable(profile), flag)
	}
	return fmt.Sprintf("the server's tokens live %s, less than the %s that %s asks for by default (--min-valid); %s", life, Setting(le.MinValid), command, how)
}

// Size words a byte count as the limits are written: "16 MiB", "64 KiB".
func Size(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// timedOut words err, a timeout whose cause is target, naming the server
// that did not answer: the issuer's key set for a JWKS fetch
// (tokens.ErrJWKS, whose "jwks: " label it replaces), else the token
// endpoint.
func timedOut(err, target error) string {
	pre := prefix(err, target)
	if errors.Is(err, tokens.ErrJWKS) {
		return strings.TrimSuffix(pre, tokens.ErrJWKS.Error()+": ") + "the issuer's key set (JWKS) did not answer in time"
	}
	return pre + "the token endpoint did not answer in time"
}
