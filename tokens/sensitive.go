package tokens

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Redacted stands in for a secret, or a value that may be one, in
// anything shown: errors, listings, the import table.
const Redacted = "[redacted]"

// ReservedParams are the token request parameters the client sets itself
// (RFC 6749 §4.4.2, §2.3.1; RFC 7523 §2.2). No extra parameter, header or
// token URL query parameter may carry them: the client secret or an
// assertion there would be sent beside, or instead of, the client's own,
// and shown wherever the URL is.
var ReservedParams = []string{"grant_type", "client_id", "client_secret", "client_assertion", "client_assertion_type"}

// IsReservedParam reports whether name is one of ReservedParams, ignoring
// case.
func IsReservedParam(name string) bool {
	return slices.ContainsFunc(ReservedParams, func(r string) bool { return strings.EqualFold(r, name) })
}

// SecretFields are the request and answer fields whose values are
// credentials: the client's (client_secret, client_assertion; RFC 6749
// §2.3.1, RFC 7523) and the grants' (refresh_token, code, code_verifier,
// device_code, id_token; RFC 6749 §1.5 and §4.1, RFC 7636, RFC 8628,
// OpenID Connect). Their values are never shown, in a request log or
// anywhere else, and a token answer's are not kept beside the token
// (Token.Extra).
var SecretFields = []string{"client_secret", "client_assertion", "refresh_token", "code", "code_verifier", "device_code", "id_token"}

// IsSecretField reports whether name is one of SecretFields, ignoring
// case.
func IsSecretField(name string) bool {
	return slices.ContainsFunc(SecretFields, func(f string) bool { return strings.EqualFold(f, name) })
}

// secretWords are the parts of a header or parameter name that say its
// value is a credential.
var secretWords = []string{"key", "secret", "token", "password", "passwd", "auth", "cookie", "assertion", "credential"}

// LooksSecret reports whether a header or parameter named name likely
// carries a credential (X-Api-Key, api_key, Authorization, client_secret,
// refresh_token, Cookie, …): its value is then treated as a secret. The
// match is on parts of the name, ignoring case; the reserved parameters
// all match.
func LooksSecret(name string) bool {
	n := strings.ToLower(name)
	return slices.ContainsFunc(secretWords, func(w string) bool { return strings.Contains(n, w) }) || IsReservedParam(name)
}

// CheckURLSecrets refuses a URL that holds user credentials, or a query
// parameter that is reserved or named like a secret (see LooksSecret): a
// URL is shown in lists, exports and errors, and logged by proxies and
// servers. Validate applies it to the token and issuer URLs. The message
// never repeats a value; a URL that does not parse passes (CheckEndpointURL
// reports it).
func CheckURLSecrets(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return nil // CheckEndpointURL reports it
	}
	if u.User != nil {
		return errors.New("must not contain credentials (user:password@)")
	}
	for _, name := range queryNames(u.RawQuery) {
		switch {
		case IsReservedParam(name):
			return fmt.Errorf("must not carry %q in its query: Tokentray sends it itself, and a URL is shown in lists and errors", Printable(name, 60))
		case LooksSecret(name):
			return fmt.Errorf("must not carry %q in its query: it looks like a secret, and a URL is shown in lists, exports and errors; send it as an extra parameter or header instead", Printable(name, 60))
		}
	}
	return nil
}

// queryNames lists the parameter names of a raw query, decoded when
// possible, in order.
func queryNames(rawQuery string) []string {
	var names []string
	for part := range strings.SplitSeq(rawQuery, "&") {
		name, _, _ := strings.Cut(part, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if name != "" {
			names = append(names, name)
		}
	}
	return names
}

// DisplayURL renders a URL for display (listings, the import table, the
// window, errors): user credentials and fragment replaced by Redacted and
// every query value masked, the names kept (…/token?tenant=…). The scheme,
// host and path, which decide where a secret goes, are kept. A string that
// does not parse is cut before its query, fragment and user info.
func DisplayURL(raw string) string {
	rest := raw
	scheme, afterScheme, hasScheme := strings.Cut(rest, "://")
	if hasScheme {
		rest = afterScheme
	}
	// The fragment, then the query, then user info in the authority.
	fragment := false
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest, fragment = rest[:i], true
	}
	query, hasQuery := "", false
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest, query, hasQuery = rest[:i], rest[i+1:], true
	}
	authority, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority, path = rest[:i], rest[i:]
	}
	var b strings.Builder
	if hasScheme {
		b.WriteString(scheme + "://")
	}
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		b.WriteString(Redacted + "@")
		authority = authority[i+1:]
	}
	b.WriteString(authority + path)
	if hasQuery {
		b.WriteByte('?')
		for i, part := range strings.Split(query, "&") {
			if i > 0 {
				b.WriteByte('&')
			}
			// A part without "=" may be a bare credential: masked whole.
			name, value, hasValue := strings.Cut(part, "=")
			switch {
			case !hasValue && part != "":
				b.WriteString("…")
			case hasValue:
				b.WriteString(name + "=")
				if value != "" {
					b.WriteString("…")
				}
			}
		}
	}
	if fragment {
		b.WriteString("#" + Redacted)
	}
	return b.String()
}
