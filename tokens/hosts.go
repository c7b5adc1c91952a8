package tokens

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// Plain http carries a client secret or a token in clear, so it is allowed
// only where nothing crosses a network: a literal loopback address, or the
// name "localhost" (which the operating system resolves from its hosts
// file; the transport still checks that it dials a loopback address).
// Names that merely end in ".localhost", "localhost." with its trailing
// dot, or numeric spellings such as 0x7f.0.0.1 go to DNS and the HTTP
// stack treats them as remote (a proxy applies to them), so they are not
// loopback here either. Every "is plain http allowed" decision — token and
// issuer URLs, discovered endpoints, redirects, the git helper — uses
// IsLoopbackHost.

// IsLoopbackHost reports whether host — a URL's Hostname(): no port, no
// brackets — may be reached over plain http: "localhost" (in any case) or a
// literal IPv4 address in 127.0.0.0/8 or the IPv6 address ::1 (also as
// ::ffff:127.x.y.z). An address with a zone (fe80::1%eth0) is not.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Zone() == "" && ip.Unmap().IsLoopback()
}

// ErrNotAHost is wrapped by SplitHost for text that is not a host name or
// address with an optional port.
var ErrNotAHost = errors.New("is not a host name or address")

// SplitHost parses a URL authority without user information — a host name,
// an IPv4 address or a bracketed IPv6 address, optionally followed by
// ":port" — and returns the host (without brackets) and the port ("" when
// none). It refuses, wrapping ErrNotAHost, anything a URL parser could read
// as something else: user information ("a@b.example"), a zone identifier
// ("[fe80::1%eth0]"), a port that is not a number from 1 to 65535, an empty
// host, spaces, control characters, or a path, query or fragment. Host
// names are letters, digits, '-', '_' and '.'.
func SplitHost(authority string) (host, port string, err error) {
	bad := func(why string) (string, string, error) {
		return "", "", fmt.Errorf("%w (%s)", ErrNotAHost, why)
	}
	if authority == "" {
		return bad("empty")
	}
	if strings.ContainsAny(authority, "@/?#\\%") {
		return bad("it holds one of @ / ? # \\ %")
	}
	u, perr := url.Parse("http://" + authority + "/")
	if perr != nil || u.Host != authority || u.User != nil || u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return bad("it does not parse as host[:port]")
	}
	host, port = u.Hostname(), u.Port()
	if strings.HasSuffix(authority, ":") {
		return bad("empty port")
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || port[0] == '0' {
			return bad("the port must be a number from 1 to 65535")
		}
	}
	if host == "" {
		return bad("empty host")
	}
	if strings.HasPrefix(authority, "[") {
		ip, err := netip.ParseAddr(host)
		if err != nil || !ip.Is6() || ip.Zone() != "" {
			return bad("brackets hold an IPv6 address without a zone")
		}
		return host, port, nil
	}
	for _, r := range host {
		if r != '-' && r != '_' && r != '.' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return bad("host names are letters, digits, '-', '_' and '.'")
		}
	}
	return host, port, nil
}

// OriginError is a URL on an origin other than the issuer's (or the token
// URL's) and those the profile allows (Profile.EndpointOrigins): a
// discovered endpoint or a redirect target met during discovery (wrapped
// with ErrConfig), or an introspection or revocation URL set on the
// profile (Configured; in a FieldError of Validate).
type OriginError struct {
	What   string // the metadata field ("token_endpoint", "jwks_uri", …), "redirect", or a Profile field
	URL    string // the URL refused (printable, without user information)
	Origin string // its origin, scheme://host[:port]
	Issuer string // the issuer's origin (the token URL's for a profile without an issuer)
	// Configured: the URL is set on the profile, not discovered.
	Configured bool
}

func (e *OriginError) Error() string {
	if e.What == "redirect" {
		return fmt.Sprintf("a redirect to %s leaves the issuer's origin %s for %s", e.URL, e.Issuer, e.Origin)
	}
	if e.Configured {
		return fmt.Sprintf("%s is on %s, not on %s (the token URL's or issuer's origin) nor on an origin the profile allows", e.URL, e.Origin, e.Issuer)
	}
	return fmt.Sprintf("the discovered %s %s is on %s, not on the issuer's origin %s", e.What, e.URL, e.Origin, e.Issuer)
}
