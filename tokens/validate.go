package tokens

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/net/http/httpguts"
)

// FieldError says what is wrong with one profile field.
type FieldError struct {
	Field   string // one of the Field* constants
	Problem string // lowercase, e.g. "is required"
	// Err is the typed cause, when there is one (an *OriginError).
	Err error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// Unwrap returns the typed cause, or nil.
func (e *FieldError) Unwrap() error { return e.Err }

// ValidationError lists every problem found in a profile, in field order.
type ValidationError struct {
	Profile string
	Fields  []*FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	name := e.Profile
	if name == "" {
		name = "(unnamed)"
	}
	return fmt.Sprintf("profile %q: %s", name, strings.Join(parts, "; "))
}

// Unwrap returns the field errors, so errors.As finds a typed cause.
func (e *ValidationError) Unwrap() []error {
	out := make([]error, len(e.Fields))
	for i, f := range e.Fields {
		out[i] = f
	}
	return out
}

// Field returns the problem reported for field, or nil.
func (e *ValidationError) Field(field string) *FieldError {
	for _, f := range e.Fields {
		if f.Field == field {
			return f
		}
	}
	return nil
}

// Validate checks the profile (after Normalized) and returns a
// *ValidationError naming every bad field, or nil. It does not parse key
// material deeply beyond PEM decoding; the client reports unusable keys.
func (p Profile) Validate() error {
	p = p.Normalized()
	var errs []*FieldError
	bad := func(field, problem string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Problem: fmt.Sprintf(problem, args...)})
	}
	if err := CheckName(p.Name); err != nil {
		bad(FieldName, "%v", err)
	}
	switch {
	case p.TokenURL == "" && p.IssuerURL == "":
		bad(FieldTokenURL, "is required (or give an issuer URL to discover it)")
	case p.TokenURL != "" && p.IssuerURL != "":
		bad(FieldIssuerURL, "must be empty when a token URL is given")
	case p.TokenURL != "":
		if err := cmp.Or(CheckEndpointURL(p.TokenURL), CheckURLSecrets(p.TokenURL)); err != nil {
			bad(FieldTokenURL, "%v", err)
		}
	default:
		if err := cmp.Or(CheckEndpointURL(p.IssuerURL), CheckURLSecrets(p.IssuerURL)); err != nil {
			bad(FieldIssuerURL, "%v", err)
		}
	}
	// The other endpoints receive the client's credentials too: the same
	// checks, and the origin rule of discovered endpoints.
	base := cmp.Or(p.TokenURL, p.IssuerURL)
	originRule := func(field, url string) {
		var oe *OriginError
		if errors.As(CheckEndpointOrigin(base, field, url, p.EndpointOrigins), &oe) {
			oe.Configured = true
			errs = append(errs, &FieldError{Field: field, Problem: oe.Error(), Err: oe})
		}
	}
	for _, u := range []struct{ field, url string }{{FieldIntrospectionURL, p.IntrospectionURL}, {FieldRevocationURL, p.RevocationURL}} {
		if u.url == "" {
			continue
		}
		if err := cmp.Or(CheckEndpointURL(u.url), CheckURLSecrets(u.url)); err != nil {
			bad(u.field, "%v", err)
			continue
		}
		originRule(u.field, u.url)
	}
	// The device authorization request carries the client's credentials
	// as well (RFC 8628 §3.1); its syntax is the grant's check (grantcheck.go).
	if u := p.DeviceAuthorizationURL; u != "" && CheckEndpointURL(u) == nil {
		originRule(FieldDeviceAuthorizationURL, u)
	}
	if p.ClientID == "" {
		bad(FieldClientID, "is required")
	}
	switch {
	case p.Auth == AuthNone && p.Grant.SignsIn():
		// A public client: PKCE or the device code binds its tokens (grant.go).
	case p.Auth == AuthNone:
		bad(FieldAuth, "none is only for a public client signing in (authorization_code with PKCE, or device_code)")
	case !slices.Contains(AuthMethods, p.Auth):
		bad(FieldAuth, "must be one of client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt, tls_client_auth")
	}
	p.validateGrant(bad)
	if p.Auth.UsesSecret() && p.ClientSecret == "" {
		bad(FieldClientSecret, "is required for %s", p.Auth)
	}
	if p.Auth == AuthClientSecretJWT && p.ClientSecret != "" && len(p.ClientSecret) < 32 {
		bad(FieldClientSecret, "must be at least 32 bytes for HS256 (client_secret_jwt)")
	}
	if p.Auth == AuthPrivateKeyJWT {
		if p.PrivateKeyPEM == "" {
			bad(FieldPrivateKey, "is required for private_key_jwt")
		} else if !hasPEMBlock(p.PrivateKeyPEM) {
			bad(FieldPrivateKey, "is not a PEM-encoded key")
		}
		if p.Alg != AlgRS256 && p.Alg != AlgES256 && p.Alg != AlgPS256 {
			bad(FieldAlg, "must be RS256, ES256 or PS256")
		}
	}
	if p.Auth == AuthTLSClient {
		if p.ClientCertPEM == "" {
			bad(FieldClientCert, "is required for tls_client_auth")
		} else if !hasPEMBlock(p.ClientCertPEM) {
			bad(FieldClientCert, "is not a PEM-encoded certificate")
		}
		if p.ClientKeyPEM == "" {
			bad(FieldClientKey, "is required for tls_client_auth")
		} else if !hasPEMBlock(p.ClientKeyPEM) {
			bad(FieldClientKey, "is not a PEM-encoded key")
		}
	}
	for k := range p.Params {
		if k == "" || IsReservedParam(k) {
			bad(FieldParams, "parameter %q cannot be overridden", k)
			break
		}
		// Names and values are shown (list, import, curl command, request
		// log) and sent: one printable rule for both.
		if err := cmp.Or(CheckPrintable(k), CheckPrintable(p.Params[k])); err != nil {
			bad(FieldParams, "parameter %q: its name or value %v", Printable(k, 40), err)
			break
		}
		if p.Params[k] == "" && LooksSecret(k) {
			bad(FieldParams, "parameter %q has no value (an export made without secrets leaves it out)", k)
			break
		}
	}
	for k, v := range p.Headers {
		if !httpguts.ValidHeaderFieldName(k) {
			bad(FieldHeaders, "header %q is not a valid header line", k)
			break
		}
		// A valid field value (no CR, LF, NUL or other control byte), and
		// printable: no C1 control, bidi or invisible character either.
		if err := CheckPrintable(v); err != nil || !httpguts.ValidHeaderFieldValue(v) {
			bad(FieldHeaders, "header %q: its value must not contain control or invisible characters", k)
			break
		}
		if IsReservedParam(k) {
			bad(FieldHeaders, "header %q cannot carry a parameter Tokentray sets itself", k)
			break
		}
		if v == "" && LooksSecret(k) {
			bad(FieldHeaders, "header %q has no value (an export made without secrets leaves it out)", k)
			break
		}
	}
	if p.Body != BodyForm && p.Body != BodyJSON {
		bad(FieldBody, "must be form or json")
	}
	if p.CABundlePEM != "" && !hasPEMBlock(p.CABundlePEM) {
		bad(FieldCABundle, "is not a PEM-encoded certificate bundle")
	}
	if p.RefreshLead < 0 {
		bad(FieldRefreshLead, "must not be negative")
	}
	if p.AssumedLifetime < 0 {
		bad(FieldAssumedLifetime, "must not be negative")
	}
	if len(p.EndpointOrigins) > 0 && p.IssuerURL == "" && p.IntrospectionURL == "" && p.RevocationURL == "" && p.DeviceAuthorizationURL == "" {
		bad(FieldEndpointOrigins, "are only used with an issuer URL, or an introspection, revocation or device authorization URL")
	}
	for _, o := range p.EndpointOrigins {
		if err := CheckOrigin(o); err != nil {
			bad(FieldEndpointOrigins, "%q %v", Printable(o, 80), err)
			break
		}
	}
	for _, h := range p.GitHosts {
		if _, _, err := SplitHost(h); err != nil {
			bad(FieldGitHosts, "%q %v", Printable(h, 80), err)
			break
		}
	}
	p.checkLimits(bad)
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Profile: p.Name, Fields: errs}
}
