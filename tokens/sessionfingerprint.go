package tokens

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
)

// A refresh token belongs to a sign-in: a person, at one authorization
// server, as one client, for what was asked (scopes, audience, resource).
// It does not belong to how the client proves who it is: a client secret
// rotated, or a move from client_secret_basic to private_key_jwt, keeps the
// sign-in (the access token, bound to the whole request, is fetched again
// with the refresh token). So the refresh token is bound to the session
// fingerprint, which hashes sessionFields: "which client, asking for
// what", and the access token to the request fingerprint: "which request".

// sessionDomain separates these hashes from the request fingerprints.
const sessionDomain = "tokentray session v1\n"

// sessionFields are the request fields that identify a sign-in: every
// requestFields field but the client's credentials and the request's
// encoding (auth method, secret, keys, certificates, headers, body).
// (sessionfingerprint_test.go holds the two lists together.)
type sessionFields struct {
	TokenURL               string            `json:"token_url"`
	IssuerURL              string            `json:"issuer_url"`
	ClientID               string            `json:"client_id"`
	Grant                  Grant             `json:"grant"`
	AuthorizationURL       string            `json:"authorization_url"`
	DeviceAuthorizationURL string            `json:"device_authorization_url"`
	Scopes                 []string          `json:"scopes"`
	Audience               string            `json:"audience"`
	Resource               string            `json:"resource"`
	Params                 map[string]string `json:"params"`
	CABundlePEM            string            `json:"ca_bundle_pem"`
	EndpointOrigins        []string          `json:"endpoint_origins"`
}

// SessionFingerprint is a SHA-256 (unpadded base64url) of the fields that
// identify a sign-in (sessionFields): a refresh token is used only for a
// profile with the fingerprint it was stored with, so changing the client,
// the server or the scopes asks for a new sign-in, while changing the
// client's credentials does not. Derived from no secret, but kept beside
// the refresh token and never shown.
func (p Profile) SessionFingerprint() string {
	p = canonical(p)
	b, err := json.Marshal(sessionFields{
		TokenURL: p.TokenURL, IssuerURL: p.IssuerURL, ClientID: p.ClientID, Grant: p.Grant,
		AuthorizationURL: p.AuthorizationURL, DeviceAuthorizationURL: p.DeviceAuthorizationURL,
		Scopes: p.Scopes, Audience: p.Audience, Resource: p.Resource, Params: p.Params,
		CABundlePEM: p.CABundlePEM, EndpointOrigins: p.EndpointOrigins,
	})
	if err != nil { // strings, slices and maps of strings always encode
		panic("encoding session fields: " + err.Error())
	}
	sum := sha256.Sum256(append([]byte(sessionDomain), b...))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
