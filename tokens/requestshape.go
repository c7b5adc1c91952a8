package tokens

// RequestShape is a profile's token request without its credentials: what
// another tool needs to make the same request (the "Copy as curl"
// command). Fields hold the profile's own values, unsanitised: a renderer
// must quote them for its target.
type RequestShape struct {
	// URL is the token endpoint.
	URL string
	// Header lists the request headers in the order sent (by name),
	// Content-Type included, Authorization and credential-like headers
	// (SecretHeaders) left out. Host, when set, overrides the Host header.
	Header []HeaderField
	Host   string
	// SecretHeaders names the extra headers whose values are credentials
	// (named like Authorization, a key, token, secret, password or cookie).
	SecretHeaders []string
	// Params are the body parameters in order (by name) without client
	// authentication and without SecretParams.
	Params []HeaderField
	// SecretParams names the extra body parameters whose values are
	// credentials (named as for SecretHeaders).
	SecretParams []string
	// Body is the body encoding: form or JSON.
	Body BodyEncoding
	// Auth is the client authentication, and ClientID the client's ID: a
	// renderer adds client_id, client_secret, client_assertion and
	// client_assertion_type, or the Basic credential, as Auth says
	// (RFC 6749 §2.3.1, RFC 7523 §2.2, RFC 8705 §2).
	Auth     AuthMethod
	ClientID string
	// Alg and KeyID are the private_key_jwt signing algorithm and key ID.
	Alg, KeyID string
	// CustomCA says the profile trusts a CA bundle of its own.
	CustomCA bool
	// Refresh says the request is a sign-in grant's refresh (RFC 6749
	// §6): Params carry grant_type=refresh_token, and a renderer adds the
	// refresh_token parameter read from the environment (it is a secret
	// Tokentray never shows).
	Refresh bool
}

// ClientAssertionType is the client_assertion_type of RFC 7523 §2.2, sent
// with a private_key_jwt client assertion.
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
