package tokens

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// AuthMethod is how the client authenticates at the token endpoint
// (the token_endpoint_auth_method names of RFC 7591 / RFC 8705).
type AuthMethod string

// The supported client authentication methods.
const (
	// AuthClientSecretBasic sends client_id:client_secret in an HTTP Basic
	// Authorization header (RFC 6749 §2.3.1). It is the default.
	AuthClientSecretBasic AuthMethod = "client_secret_basic"
	// AuthClientSecretPost sends client_id and client_secret in the body.
	AuthClientSecretPost AuthMethod = "client_secret_post"
	// AuthClientSecretJWT sends a client assertion signed with the client
	// secret using HS256 (RFC 7523 §2.2).
	AuthClientSecretJWT AuthMethod = "client_secret_jwt"
	// AuthPrivateKeyJWT sends a client assertion signed with a private key
	// (RS256, ES256 or PS256; RFC 7523 §2.2).
	AuthPrivateKeyJWT AuthMethod = "private_key_jwt"
	// AuthTLSClient authenticates with a TLS client certificate (RFC 8705 §2).
	AuthTLSClient AuthMethod = "tls_client_auth"
)

// AuthMethods lists every supported method, default first.
var AuthMethods = []AuthMethod{AuthClientSecretBasic, AuthClientSecretPost, AuthClientSecretJWT, AuthPrivateKeyJWT, AuthTLSClient}

// UsesSecret reports whether the method needs Profile.ClientSecret.
func (m AuthMethod) UsesSecret() bool {
	return m == AuthClientSecretBasic || m == AuthClientSecretPost || m == AuthClientSecretJWT
}

// BodyEncoding is how the token request body is encoded.
type BodyEncoding string

// The supported body encodings.
const (
	// BodyForm is application/x-www-form-urlencoded, as RFC 6749 specifies. Default.
	BodyForm BodyEncoding = "form"
	// BodyJSON is application/json with the same fields in one object, which
	// some servers require instead of the form encoding.
	BodyJSON BodyEncoding = "json"
)

// Signing algorithms accepted for private_key_jwt.
const (
	AlgRS256 = "RS256"
	AlgES256 = "ES256"
	AlgPS256 = "PS256"
)

// Defaults applied by Profile.Normalized when a field is zero.
const (
	// DefaultRefreshLead is how long before expiry a token is refreshed: tokens
	// must be renewed within 5 minutes of their expiry.
	DefaultRefreshLead = 5 * time.Minute
	// DefaultAssumedLifetime is the lifetime assumed for a token that states
	// none (no expires_in, no JWT exp): the reference caching sample's default.
	DefaultAssumedLifetime = 50 * time.Minute
)

// Profile is one set of client credentials and the way to use them.
// A Profile is a plain value: copy it freely; it is safe for concurrent reads.
type Profile struct {
	// Name identifies the profile; it is unique within a store.
	Name string `json:"name"`
	// TokenURL is the token endpoint. Either TokenURL or IssuerURL is set.
	TokenURL string `json:"token_url,omitempty"`
	// IssuerURL is the authorization server's issuer; the token endpoint is
	// discovered from its metadata (OpenID Connect discovery, then RFC 8414).
	IssuerURL string `json:"issuer_url,omitempty"`
	// ClientID is the OAuth client identifier.
	ClientID string `json:"client_id"`
	// Auth is the client authentication method; empty means client_secret_basic.
	Auth AuthMethod `json:"auth,omitempty"`
	// ClientSecret is used by client_secret_basic, _post and _jwt. Secret.
	ClientSecret string `json:"client_secret,omitempty"`
	// PrivateKeyPEM signs private_key_jwt assertions (PKCS#1, PKCS#8 or SEC 1). Secret.
	PrivateKeyPEM string `json:"private_key_pem,omitempty"`
	// KeyID is the "kid" header of private_key_jwt assertions (optional).
	KeyID string `json:"key_id,omitempty"`
	// Alg is the private_key_jwt signing algorithm: RS256 (default), ES256 or PS256.
	Alg string `json:"alg,omitempty"`
	// ClientCertPEM and ClientKeyPEM are the TLS client certificate and its key
	// for tls_client_auth. The key is secret.
	ClientCertPEM string `json:"client_cert_pem,omitempty"`
	ClientKeyPEM  string `json:"client_key_pem,omitempty"`
	// Scopes are sent space-separated in "scope".
	Scopes []string `json:"scopes,omitempty"`
	// Audience is sent as "audience" when set (Auth0, Okta and others).
	Audience string `json:"audience,omitempty"`
	// Resource is sent as "resource" when set (RFC 8707).
	Resource string `json:"resource,omitempty"`
	// Params are extra body parameters, sent as given.
	Params map[string]string `json:"params,omitempty"`
	// Headers are extra request headers, sent as given.
	Headers map[string]string `json:"headers,omitempty"`
	// Body is the request body encoding; empty means form.
	Body BodyEncoding `json:"body,omitempty"`
	// CABundlePEM holds extra trusted root certificates for a private PKI;
	// they are added to the system roots. TLS verification is never disabled.
	CABundlePEM string `json:"ca_bundle_pem,omitempty"`
	// RefreshLead is how long before expiry to refresh; zero means DefaultRefreshLead.
	RefreshLead time.Duration `json:"refresh_lead,omitempty"`
	// AssumedLifetime applies to tokens that state no lifetime; zero means
	// DefaultAssumedLifetime.
	AssumedLifetime time.Duration `json:"assumed_lifetime,omitempty"`
	// ManualRefresh turns automatic background refresh off: the token is then
	// fetched only when asked for. The zero value keeps auto-refresh on.
	ManualRefresh bool `json:"manual_refresh,omitempty"`
	// EndpointOrigins are origins (scheme://host[:port]) other than the
	// issuer's on which discovered endpoints may be, and to which discovery
	// may be redirected; and other than the token URL's or issuer's, on
	// which IntrospectionURL and RevocationURL may be. Empty: that origin
	// only. Used with IssuerURL, IntrospectionURL or RevocationURL.
	EndpointOrigins []string `json:"endpoint_origins,omitempty"`
	// GitHosts, when set, are the only hosts (host[:port], as git names
	// them) the git credential helper gives this profile's token to;
	// names compare without regard to case. Empty: any host git asks about
	// over https (plain http to loopback only).
	GitHosts []string `json:"git_hosts,omitempty"`
	// IntrospectionURL is the RFC 7662 introspection endpoint, when the
	// issuer's metadata names none (or there is no issuer). It receives
	// the client's credentials, so it must be on the token URL's or
	// issuer's origin or one of EndpointOrigins. It does not change the
	// token request (see RequestFingerprint).
	IntrospectionURL string `json:"introspection_url,omitempty"`
	// RevocationURL is the RFC 7009 revocation endpoint, likewise.
	RevocationURL string `json:"revocation_url,omitempty"`
	// Grant is how tokens are obtained; empty means client_credentials,
	// so profiles stored before grants existed keep working.
	Grant Grant `json:"grant,omitempty"`
	// AuthorizationURL is the authorization endpoint a person signs in at
	// (authorization_code); with IssuerURL it may be left empty and is
	// discovered (authorization_endpoint).
	AuthorizationURL string `json:"authorization_url,omitempty"`
	// DeviceAuthorizationURL is the RFC 8628 device authorization endpoint
	// (device_code); with IssuerURL it may be left empty and is discovered
	// (device_authorization_endpoint).
	DeviceAuthorizationURL string `json:"device_authorization_url,omitempty"`
	// RedirectPort, when set, is the loopback port the sign-in listens on
	// (for providers that register an exact redirect URI,
	// http://127.0.0.1:PORT/callback); zero means a random free port.
	RedirectPort int `json:"redirect_port,omitempty"`
}

// Normalized returns a copy with defaults filled in (auth method, body
// encoding, algorithm, lead, assumed lifetime) and surrounding white space
// trimmed from the URLs, name and client ID.
func (p Profile) Normalized() Profile {
	p.Name = strings.TrimSpace(p.Name)
	p.TokenURL = strings.TrimSpace(p.TokenURL)
	p.IssuerURL = strings.TrimSpace(p.IssuerURL)
	p.ClientID = strings.TrimSpace(p.ClientID)
	p.IntrospectionURL = strings.TrimSpace(p.IntrospectionURL)
	p.RevocationURL = strings.TrimSpace(p.RevocationURL)
	p.AuthorizationURL = strings.TrimSpace(p.AuthorizationURL)
	p.DeviceAuthorizationURL = strings.TrimSpace(p.DeviceAuthorizationURL)
	if p.Grant == "" {
		p.Grant = GrantClientCredentials
	}
	if p.Auth == "" {
		p.Auth = AuthClientSecretBasic
	}
	if p.Body == "" {
		p.Body = BodyForm
	}
	if p.Auth == AuthPrivateKeyJWT && p.Alg == "" {
		p.Alg = AlgRS256
	}
	if p.RefreshLead == 0 {
		p.RefreshLead = DefaultRefreshLead
	}
	if p.AssumedLifetime == 0 {
		p.AssumedLifetime = DefaultAssumedLifetime
	}
	return p
}

// Profile field names as used in FieldError.Field. They match the JSON names.
const (
	FieldName             = "name"
	FieldTokenURL         = "token_url"
	FieldIssuerURL        = "issuer_url"
	FieldClientID         = "client_id"
	FieldAuth             = "auth"
	FieldClientSecret     = "client_secret"
	FieldPrivateKey       = "private_key_pem"
	FieldAlg              = "alg"
	FieldClientCert       = "client_cert_pem"
	FieldClientKey        = "client_key_pem"
	FieldParams           = "params"
	FieldHeaders          = "headers"
	FieldBody             = "body"
	FieldCABundle         = "ca_bundle_pem"
	FieldRefreshLead      = "refresh_lead"
	FieldAssumedLifetime  = "assumed_lifetime"
	FieldScopes           = "scopes"
	FieldAudience         = "audience"
	FieldResource         = "resource"
	FieldKeyID            = "key_id"
	FieldEndpointOrigins  = "endpoint_origins"
	FieldGitHosts         = "git_hosts"
	FieldIntrospectionURL = "introspection_url"
	FieldRevocationURL    = "revocation_url"
	FieldManualRefresh    = "manual_refresh"

	FieldGrant                  = "grant"
	FieldAuthorizationURL       = "authorization_url"
	FieldDeviceAuthorizationURL = "device_authorization_url"
	FieldRedirectPort           = "redirect_port"
)

// ErrInsecureURL is wrapped by CheckEndpointURL for plain-http URLs whose host
// is not loopback.
var ErrInsecureURL = errors.New("plain http is only allowed on loopback; use https")

// CheckEndpointURL checks that raw is an absolute https URL, or an http URL
// whose host is loopback (IsLoopbackHost: localhost, 127.0.0.0/8, ::1): a
// client secret must never cross a network in clear.
func CheckEndpointURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the URL, which may hold a secret: keep its cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("is not a valid URL: %w", err)
	}
	if u.Host == "" {
		return errors.New("must be an absolute URL such as https://auth.example.com/oauth/token")
	}
	if u.User != nil {
		return errors.New("must not contain credentials")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopbackHost(u.Hostname()) {
			return nil
		}
		return ErrInsecureURL
	default:
		return fmt.Errorf("scheme %q is not supported; use https", u.Scheme)
	}
}

// CheckOrigin checks that s is an origin an endpoint may be on:
// scheme://host[:port] and nothing else (a trailing "/" is tolerated),
// https, or http on loopback as CheckEndpointURL.
func CheckOrigin(s string) error {
	if err := CheckEndpointURL(s); err != nil {
		return err
	}
	u, _ := url.Parse(s)
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return errors.New("must be an origin such as https://auth.example.com, without a path")
	}
	if _, _, err := SplitHost(u.Host); err != nil {
		return err
	}
	return nil
}

func hasPEMBlock(s string) bool {
	return strings.Contains(s, "-----BEGIN ") && strings.Contains(s, "-----END ")
}
