package explain

import "github.com/tokentray/tokentray/tokens"

// AuthMethod names a client authentication method as the form offers it
// and the details show it: "Client secret (HTTP Basic)".
func AuthMethod(m tokens.AuthMethod) string {
	switch m {
	case tokens.AuthClientSecretBasic:
		return "Client secret (HTTP Basic)"
	case tokens.AuthClientSecretPost:
		return "Client secret (in request body)"
	case tokens.AuthClientSecretJWT:
		return "Client secret JWT (HS256 assertion)"
	case tokens.AuthPrivateKeyJWT:
		return "Private key JWT (signed assertion)"
	case tokens.AuthTLSClient:
		return "TLS client certificate (mTLS)"
	case tokens.AuthNone:
		return "None (public client)"
	}
	return string(m)
}

// ExpirySource says where a token's expiry time came from, after its
// lifetime: "from expires_in", "assumed".
func ExpirySource(s tokens.ExpirySource) string {
	switch s {
	case tokens.ExpiryFromExpiresIn:
		return "from expires_in"
	case tokens.ExpiryFromJWT:
		return "from the JWT exp claim"
	case tokens.ExpiryAssumed:
		return "assumed"
	}
	return string(s)
}
