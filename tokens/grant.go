package tokens

import (
	"context"
	"fmt"
)

// Grant is the OAuth 2.0 grant a profile gets its tokens with.
type Grant string

// The supported grants.
const (
	// GrantClientCredentials: the client asks for a token as itself
	// (RFC 6749 §4.4). It is the default, so every profile stored before
	// grants existed loads as one.
	GrantClientCredentials Grant = "client_credentials"
	// GrantAuthorizationCode: a person signs in in a browser and the client
	// redeems the code it is sent back with (RFC 6749 §4.1), always with
	// PKCE (RFC 7636, S256); the refresh token then keeps the access token
	// fresh (RFC 6749 §6).
	GrantAuthorizationCode Grant = "authorization_code"
	// GrantDeviceCode: a person signs in on another device with a user
	// code while the client polls (RFC 8628); refreshed as above.
	GrantDeviceCode Grant = "device_code"
)

// Grants lists every supported grant, default first.
var Grants = []Grant{GrantClientCredentials, GrantAuthorizationCode, GrantDeviceCode}

// SignsIn reports whether the grant needs a person to sign in, after which
// the profile's tokens are renewed with a refresh token.
func (g Grant) SignsIn() bool {
	return g == GrantAuthorizationCode || g == GrantDeviceCode
}

// AuthNone is the authentication method of a public client (RFC 7591 §2):
// only client_id is sent. A public client has no secret to prove who it
// is, so Validate allows it only where something else binds the token to
// this client: PKCE (authorization_code, where Tokentray always uses it)
// or the device grant's device code. It is not in AuthMethods, which lists
// the methods of every grant.
const AuthNone AuthMethod = "none"

// The grant_type values sent to the token endpoint (RFC 6749 §4.1.3, §4.4.2,
// §6; RFC 8628 §3.4).
const (
	GrantTypeClientCredentials = "client_credentials"
	GrantTypeAuthorizationCode = "authorization_code"
	GrantTypeRefreshToken      = "refresh_token"
	GrantTypeDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code"
)

// TokenRequest is one token request for a profile: which grant is redeemed
// and with what. Exactly one of the grant inputs is set, or none for the
// client credentials grant. It holds secrets (the refresh token, the code
// and its verifier, the device code): never log or show it.
type TokenRequest struct {
	// Profile says where and as which client (validated and normalized by
	// the Fetcher).
	Profile Profile
	// RefreshToken, when set, makes a refresh_token request (RFC 6749 §6).
	// Secret.
	RefreshToken string
	// Code, CodeVerifier and RedirectURI, when Code is set, redeem an
	// authorization code (RFC 6749 §4.1.3, RFC 7636 §4.5). Code and
	// CodeVerifier are secret.
	Code, CodeVerifier, RedirectURI string
	// DeviceCode, when set, polls the device grant (RFC 8628 §3.4). Secret.
	DeviceCode string
	// ID, with RefreshToken, is who signed in: the kept claims of the
	// sign-in's checked ID token (nil without one). An ID token in the
	// refresh answer must be that person's (OpenID Connect Core §12.2): a
	// Granter checks it against ID and sets the result's Token.ID from it
	// only when it passes, else the refresh fails with an *IDTokenError.
	ID *IDClaims
}

// GrantType returns the grant_type the request sends.
func (r TokenRequest) GrantType() string {
	switch {
	case r.RefreshToken != "":
		return GrantTypeRefreshToken
	case r.Code != "":
		return GrantTypeAuthorizationCode
	case r.DeviceCode != "":
		return GrantTypeDeviceCode
	}
	return GrantTypeClientCredentials
}

// Check reports a request whose inputs do not fit its profile's grant: a
// client credentials request for a sign-in profile (only a sign-in or a
// refresh token gets it a token), or a user grant's input for a client
// credentials profile. The error wraps ErrConfig.
func (r TokenRequest) Check() error {
	g := r.Profile.Normalized().Grant
	set := 0
	for _, s := range []string{r.RefreshToken, r.Code, r.DeviceCode} {
		if s != "" {
			set++
		}
	}
	switch {
	case set > 1:
		return fmt.Errorf("%w: a token request redeems one grant at a time", ErrConfig)
	case g == GrantClientCredentials && set != 0:
		return fmt.Errorf("%w: %s: a client credentials profile redeems no code or refresh token", ErrConfig, FieldGrant)
	case g.SignsIn() && set == 0:
		return fmt.Errorf("%w: %w", ErrConfig, &SignInNeededError{Profile: r.Profile.Name})
	case r.Code != "" && g != GrantAuthorizationCode, r.DeviceCode != "" && g != GrantDeviceCode:
		return fmt.Errorf("%w: %s: the request does not fit the profile's grant %s", ErrConfig, FieldGrant, g)
	case r.Code != "" && (r.CodeVerifier == "" || r.RedirectURI == ""):
		return fmt.Errorf("%w: an authorization code is redeemed with its PKCE verifier and redirect URI", ErrConfig)
	}
	return nil
}

// TokenResult is what a token request got: the access token, the refresh
// token when the server sent one, and the request log entries of the
// request (already redacted, as WithLogRecorder reports them).
type TokenResult struct {
	// Token is the access token. Never nil in a result returned without error.
	Token *Token
	// RefreshToken is the refresh_token of the answer, "" when it had none
	// (then the one used, if any, stays good: RFC 6749 §6). Secret.
	RefreshToken string
	// IDToken is the OpenID Connect id_token of the answer, "" when it had
	// none. Secret: a Signer checks it and keeps its claims (Token.ID),
	// never the token itself. A refresh's is checked by the Granter
	// against TokenRequest.ID and never returned ("").
	IDToken string
	// LogEntries are the requests made, oldest first.
	LogEntries []LogEntry
}

// Granter makes any grant's token request. oauth.Client implements it.
// Implementations must be safe for concurrent use, and report each
// exchange to the recorder of ctx too (RecordLogEntry).
type Granter interface {
	// Grant makes the token request r and returns its result, or an error
	// (see Classify).
	Grant(ctx context.Context, r TokenRequest) (*TokenResult, error)
}

// grantWith returns f as a Granter: itself when it is one, else an adapter
// that serves client credentials requests through Fetch (test fetchers and
// older implementations) and refuses the others.
func grantWith(f Fetcher) Granter {
	if g, ok := f.(Granter); ok {
		return g
	}
	return fetchGranter{f}
}

type fetchGranter struct{ f Fetcher }

func (g fetchGranter) Grant(ctx context.Context, r TokenRequest) (*TokenResult, error) {
	if r.GrantType() != GrantTypeClientCredentials {
		return nil, fmt.Errorf("%w: this token client makes client credentials requests only", ErrConfig)
	}
	t, err := g.f.Fetch(ctx, r.Profile)
	if err != nil {
		return nil, err
	}
	return &TokenResult{Token: t}, nil
}
