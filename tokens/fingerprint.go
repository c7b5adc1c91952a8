package tokens

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"reflect"
)

// A cached token is bound to the request that fetched it, not to whatever
// profile happens to be stored when the token is written: a script may
// change the client ID between a fetch and the write of its result, and a
// token issued for the old credentials must then never be served for the
// new ones. Every token the engine accepts carries the fingerprint of its
// request (Token.RequestFingerprint); stores and readers drop a token whose
// fingerprint differs from the profile's.

// fingerprintDomain separates these hashes from any other SHA-256 of the
// same bytes, and versions the field list.
const fingerprintDomain = "tokentray request v1\n"

// requestFields are the fields of a Profile that change what the server
// issues: where the request goes, who authenticates and how, what is asked
// for, and how the request is encoded. It is the one definition of "the
// same request": RequestFingerprint hashes it and the Manager keeps a
// profile's token across an edit exactly when it is unchanged
// (sameRequest). The name, the refresh lead, the assumed lifetime and
// manual refresh only steer when a token is fetched or how it is shown,
// the git hosts only say who may be handed the token, and the
// introspection and revocation URLs only say where a token is checked or
// revoked, so they are left out: changing them keeps the token.
// (fingerprint_test.go fails for a Profile field that is on neither side.)
type requestFields struct {
	TokenURL      string            `json:"token_url"`
	IssuerURL     string            `json:"issuer_url"`
	ClientID      string            `json:"client_id"`
	Auth          AuthMethod        `json:"auth"`
	ClientSecret  string            `json:"client_secret"`
	PrivateKeyPEM string            `json:"private_key_pem"`
	KeyID         string            `json:"key_id"`
	Alg           string            `json:"alg"`
	ClientCertPEM string            `json:"client_cert_pem"`
	ClientKeyPEM  string            `json:"client_key_pem"`
	Scopes        []string          `json:"scopes"`
	Audience      string            `json:"audience"`
	Resource      string            `json:"resource"`
	Params        map[string]string `json:"params"` // encoding/json sorts map keys
	Headers       map[string]string `json:"headers"`
	Body          BodyEncoding      `json:"body"`
	CABundlePEM   string            `json:"ca_bundle_pem"` // which server is trusted to answer
	// Which origins a discovered token endpoint may be on: which servers
	// are trusted to answer. omitempty keeps the fingerprints of profiles
	// without any (all of them before this field) unchanged.
	EndpointOrigins []string `json:"endpoint_origins,omitempty"`
	// The grant and where a person signs in. omitempty, and the default
	// grant left blank (requestOf), keep the fingerprints of client
	// credentials profiles (all of them before grants) unchanged.
	Grant                  Grant  `json:"grant,omitempty"`
	AuthorizationURL       string `json:"authorization_url,omitempty"`
	DeviceAuthorizationURL string `json:"device_authorization_url,omitempty"`
}

// requestOf returns the request fields of p, which is canonical.
func requestOf(p Profile) requestFields {
	return requestFields{
		TokenURL: p.TokenURL, IssuerURL: p.IssuerURL, ClientID: p.ClientID, Auth: p.Auth,
		ClientSecret: p.ClientSecret, PrivateKeyPEM: p.PrivateKeyPEM, KeyID: p.KeyID, Alg: p.Alg,
		ClientCertPEM: p.ClientCertPEM, ClientKeyPEM: p.ClientKeyPEM, Scopes: p.Scopes,
		Audience: p.Audience, Resource: p.Resource, Params: p.Params, Headers: p.Headers,
		Body: p.Body, CABundlePEM: p.CABundlePEM, EndpointOrigins: p.EndpointOrigins,
		Grant: blankDefault(p.Grant), AuthorizationURL: p.AuthorizationURL, DeviceAuthorizationURL: p.DeviceAuthorizationURL,
	}
}

// blankDefault returns "" for the default grant, which the fingerprint
// leaves out.
func blankDefault(g Grant) Grant {
	if g == GrantClientCredentials {
		return ""
	}
	return g
}

// sameRequest reports whether canonical profiles a and b make the same
// token request (their requestFields are equal, so their fingerprints
// are), so a token fetched for one is good for the other.
func sameRequest(a, b Profile) bool {
	return reflect.DeepEqual(requestOf(a), requestOf(b))
}

// RequestFingerprint is a SHA-256 (unpadded base64url) of the fields that shape the token
// request: token or issuer URL, client ID, authentication method and
// credential, scopes, audience, resource, extra parameters and headers, body
// encoding, trusted CA bundle and endpoint origins. Two profiles with the
// same fingerprint get interchangeable tokens. The name, refresh lead,
// assumed lifetime, manual-refresh setting, git hosts and introspection and
// revocation URLs do not count. The value is derived from secrets:
// it is kept in the keyring beside the token and never shown.
func (p Profile) RequestFingerprint() string {
	b, err := json.Marshal(requestOf(canonical(p)))
	if err != nil { // strings, slices and maps of strings always encode
		panic("encoding request fields: " + err.Error())
	}
	sum := sha256.Sum256(append([]byte(fingerprintDomain), b...))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// boundTo returns t stamped with the fingerprint of p's request: a copy
// when t carries another one (tokens are immutable once published).
func boundTo(t *Token, fingerprint string) *Token {
	if t.RequestFingerprint == fingerprint {
		return t
	}
	c := *t
	c.RequestFingerprint = fingerprint
	return &c
}

// FetchedFor reports whether t was fetched with p's request, so it may be
// served for p. A token without a fingerprint (cached by an older version)
// belongs to no profile.
func (t *Token) FetchedFor(p Profile) bool {
	return t != nil && t.RequestFingerprint != "" && t.RequestFingerprint == p.RequestFingerprint()
}
