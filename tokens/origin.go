package tokens

import (
	"errors"
	"net/url"
	"slices"
	"strings"
)

// The origin rule: credentials and tokens go to the origin (RFC 6454:
// scheme, host and port) the user chose — the token URL's or the
// issuer's — and to origins the profile allows (Profile.EndpointOrigins,
// `--allow-endpoint-origin`), nowhere else. Endpoints an issuer's metadata
// names and the introspection and revocation URLs set on a profile pass
// the same check, CheckEndpointOrigin.

// OriginOf returns u's origin as scheme://host[:port]: scheme and host in
// lower case, the port omitted when it is the scheme's default. ok is
// false for a URL without scheme or host, or with user information.
func OriginOf(u *url.URL) (o string, ok bool) {
	if u == nil || u.Scheme == "" || u.Host == "" || u.User != nil || u.Opaque != "" {
		return "", false
	}
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host, true
}

// Origin is OriginOf the URL raw; ok is false when raw does not parse.
func Origin(raw string) (o string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	return OriginOf(u)
}

// OriginAllowed reports whether origin o is one of allowed (origins or
// URLs, compared as origins).
func OriginAllowed(o string, allowed []string) bool {
	return slices.ContainsFunc(allowed, func(a string) bool {
		ao, ok := Origin(a)
		return ok && ao == o
	})
}

// errNoBaseOrigin is returned by CheckEndpointOrigin for a base URL that
// has no origin.
var errNoBaseOrigin = errors.New("not an absolute URL")

// CheckEndpointOrigin checks that endpoint, the URL named what (a metadata
// field such as "introspection_endpoint", or a Profile field such as
// FieldIntrospectionURL), is on the origin of base (the issuer, or the
// token URL) or one of allowed. Otherwise it returns an *OriginError (its
// Issuer is base's origin), or an error for a base without an origin.
func CheckEndpointOrigin(base, what, endpoint string, allowed []string) error {
	bo, ok := Origin(base)
	if !ok {
		return errNoBaseOrigin
	}
	eo, ok := Origin(endpoint)
	if ok && (eo == bo || OriginAllowed(eo, allowed)) {
		return nil
	}
	if !ok {
		eo = "(no origin)"
	}
	return &OriginError{What: what, URL: printableURL(endpoint), Origin: eo, Issuer: bo}
}

// printableURL is raw without user information, made printable.
func printableURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		raw = u.Redacted()
	}
	return Printable(raw, 200)
}
