package oauth

import (
	"fmt"

	"github.com/tokentray/tokentray/tokens"
)

// Metadata is what Tokentray uses of an authorization server's metadata
// (RFC 8414 §2, OpenID Connect Discovery §3). Every endpoint in it passed
// checkDiscoveredURL; an endpoint the document did not name (or named
// unusably, see metadataOf) is empty.
type Metadata struct {
	// Issuer is the metadata's issuer, identical to the one asked for
	// (RFC 8414 §3.3).
	Issuer string
	// TokenEndpoint is where token requests go. Always set.
	TokenEndpoint string
	// JWKSURI is the issuer's JSON Web Key Set, which signs its JWTs.
	JWKSURI string
	// IntrospectionEndpoint is the RFC 7662 token introspection endpoint.
	IntrospectionEndpoint string
	// RevocationEndpoint is the RFC 7009 token revocation endpoint.
	RevocationEndpoint string
	// AuthorizationEndpoint is where a person signs in (RFC 6749 §3.1),
	// DeviceAuthorizationEndpoint where the device grant starts (RFC 8628
	// §4); IssInResponse says the server sends "iss" with each
	// authorization response (RFC 9207 §3,
	// authorization_response_iss_parameter_supported), so the sign-in
	// checks it.
	AuthorizationEndpoint       string
	DeviceAuthorizationEndpoint string
	IssInResponse               bool
}

// The metadata fields read, by their RFC 8414 names.
const (
	mdTokenEndpoint         = "token_endpoint"
	mdJWKSURI               = "jwks_uri"
	mdIntrospectionEndpoint = "introspection_endpoint"
	mdRevocationEndpoint    = "revocation_endpoint"
)

// metadataOf reads the endpoints of a metadata document whose issuer was
// checked. An unusable token_endpoint ends discovery (an error wrapping
// ErrConfig: it says where the secret goes); an unusable jwks_uri,
// introspection or revocation endpoint is left out, so using it later says
// "none known" instead of reaching a place the issuer may not control.
func metadataOf(doc map[string]any, issuer string, allowed []string) (Metadata, error) {
	m := Metadata{Issuer: issuer}
	te, _ := doc[mdTokenEndpoint].(string)
	if err := checkDiscoveredURL(issuer, allowed, mdTokenEndpoint, te); err != nil {
		return Metadata{}, err
	}
	m.TokenEndpoint = te
	m.IssInResponse, _ = doc["authorization_response_iss_parameter_supported"].(bool)
	for field, dst := range map[string]*string{mdJWKSURI: &m.JWKSURI, mdIntrospectionEndpoint: &m.IntrospectionEndpoint, mdRevocationEndpoint: &m.RevocationEndpoint,
		"authorization_endpoint": &m.AuthorizationEndpoint, "device_authorization_endpoint": &m.DeviceAuthorizationEndpoint} {
		if v, _ := doc[field].(string); v != "" && checkDiscoveredURL(issuer, allowed, field, v) == nil {
			*dst = v
		}
	}
	return m, nil
}

// checkDiscoveredURL is the one check every endpoint read from an issuer's
// metadata passes before it is used (field names it: token_endpoint,
// jwks_uri, introspection_endpoint, revocation_endpoint): https, or plain
// http on loopback (CheckEndpointURL), and on the issuer's origin or one of
// allowed (CheckEndpointOrigin): credentials and tokens go to these URLs.
// Its errors wrap tokens.ErrConfig.
func checkDiscoveredURL(issuer string, allowed []string, field, raw string) error {
	if err := tokens.CheckEndpointURL(raw); err != nil {
		return fmt.Errorf("%w: %s: discovered %s %s: %w", tokens.ErrConfig, tokens.FieldIssuerURL, field, tokens.Printable(raw, 200), err)
	}
	return CheckEndpointOrigin(issuer, field, raw, allowed)
}
