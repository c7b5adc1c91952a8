package oauth

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// Discovery trusts the issuer's origin (RFC 6454: scheme, host and port)
// and nothing else unless the profile says so: metadata that names the
// configured issuer can still come from an open redirect or a page anyone
// may write on the issuer's site, so every endpoint it names must be on
// the issuer's origin or one of Profile.EndpointOrigins before anything is
// sent there, and discovery's GETs follow redirects only within those
// origins.

// origin returns u's origin as scheme://host[:port]: scheme and host in
// lower case, the port omitted when it is the scheme's default. ok is
// false for a URL without scheme or host, or with user information.
func origin(u *url.URL) (o string, ok bool) {
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

func originOf(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	return origin(u)
}

// SameOrigin reports whether a and b are absolute URLs of the same origin:
// the same scheme, host (without regard to case) and port (a missing port
// is the scheme's default). URLs with user information, and text that is
// not an absolute URL, have no origin and match nothing.
func SameOrigin(a, b string) bool {
	oa, ok := originOf(a)
	ob, ok2 := originOf(b)
	return ok && ok2 && oa == ob
}

// CheckEndpointOrigin checks that endpoint, the URL issuer's metadata gives
// in field which ("token_endpoint", "jwks_uri", "introspection_endpoint",
// …), is on the issuer's origin or one of allowed (the profile's
// EndpointOrigins). Otherwise it returns an error wrapping tokens.ErrConfig
// and a *tokens.OriginError. Every discovered endpoint must pass it before
// a request is sent there.
func CheckEndpointOrigin(issuer, which, endpoint string, allowed []string) error {
	io, ok := originOf(issuer)
	if !ok {
		return fmt.Errorf("%w: %s: not an absolute URL", tokens.ErrConfig, tokens.FieldIssuerURL)
	}
	eo, ok := originOf(endpoint)
	if ok && (eo == io || originAllowed(eo, allowed)) {
		return nil
	}
	if !ok {
		eo = "(no origin)"
	}
	return fmt.Errorf("%w: %s: %w", tokens.ErrConfig, tokens.FieldIssuerURL,
		&tokens.OriginError{What: which, URL: printableURL(endpoint), Origin: eo, Issuer: io})
}

func originAllowed(o string, allowed []string) bool {
	return slices.ContainsFunc(allowed, func(a string) bool {
		ao, ok := originOf(a)
		return ok && ao == o
	})
}

// printableURL is raw without user information, made printable.
func printableURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		raw = u.Redacted()
	}
	return tokens.Printable(raw, 200)
}

// allowedOriginsKey carries the profile's EndpointOrigins in a discovery
// request's context, for checkRedirect.
type allowedOriginsKey struct{}

func withAllowedOrigins(ctx context.Context, allowed []string) context.Context {
	return context.WithValue(ctx, allowedOriginsKey{}, allowed)
}

// checkRedirectOrigin refuses a GET redirect to another origin than the
// first request's, unless the request's context allows it.
func checkRedirectOrigin(req *http.Request, first *url.URL) error {
	fo, _ := origin(first)
	to, ok := origin(req.URL)
	if ok && to == fo {
		return nil
	}
	allowed, _ := req.Context().Value(allowedOriginsKey{}).([]string)
	if ok && originAllowed(to, allowed) {
		return nil
	}
	return fmt.Errorf("%w: %w", tokens.ErrConfig, &tokens.OriginError{What: "redirect", URL: printableURL(req.URL.String()), Origin: to, Issuer: fo})
}

// tokenURLOrigin is the origin of a token-URL profile's token endpoint, as
// an allowed origin for discovery from a token's own "iss": the user chose
// that server, so its metadata may name endpoints there.
func tokenURLOrigin(p tokens.Profile) []string {
	if o, ok := originOf(p.TokenURL); ok {
		return []string{o}
	}
	return nil
}
