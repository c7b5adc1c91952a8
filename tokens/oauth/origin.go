package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/tokentray/tokentray/tokens"
)

// Discovery trusts the issuer's origin (RFC 6454: scheme, host and port)
// and nothing else unless the profile says so: metadata that names the
// configured issuer can still come from an open redirect or a page anyone
// may write on the issuer's site, so every endpoint it names must be on
// the issuer's origin or one of Profile.EndpointOrigins before anything is
// sent there, and discovery's GETs follow redirects only within those
// origins.

// origin and originOf are tokens.OriginOf and tokens.Origin: the origin
// rule is package tokens' (CheckEndpointOrigin), as Profile.Validate
// applies it to the introspection and revocation URLs set on a profile.
func origin(u *url.URL) (string, bool) { return tokens.OriginOf(u) }

func originOf(raw string) (string, bool) { return tokens.Origin(raw) }

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
	var oe *tokens.OriginError
	switch err := tokens.CheckEndpointOrigin(issuer, which, endpoint, allowed); {
	case err == nil:
		return nil
	case errors.As(err, &oe):
		return fmt.Errorf("%w: %s: %w", tokens.ErrConfig, tokens.FieldIssuerURL, oe)
	default:
		return fmt.Errorf("%w: %s: %v", tokens.ErrConfig, tokens.FieldIssuerURL, err)
	}
}

func originAllowed(o string, allowed []string) bool { return tokens.OriginAllowed(o, allowed) }

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
