package tokens

import (
	"fmt"
	"time"
)

// An OpenID Connect sign-in (the scope "openid") brings back an ID token
// (OpenID Connect Core §2) saying who signed in. The sign-in checks it
// (Signer) and keeps only these few claims, decoded, for display: never
// the raw token, which is a credential at some relying parties and would
// crowd the keyring item (the Windows Credential Manager holds 2,560
// bytes a blob).

// MaxIDClaimLen caps each kept claim, in bytes (printable text).
const MaxIDClaimLen = 256

// IDClaims are the claims of a checked ID token kept for display. Each
// string is printable and at most MaxIDClaimLen bytes.
type IDClaims struct {
	Issuer            string    `json:"iss"`
	Subject           string    `json:"sub"`
	Name              string    `json:"name,omitempty"`
	PreferredUsername string    `json:"preferred_username,omitempty"`
	Email             string    `json:"email,omitempty"`
	AuthTime          time.Time `json:"auth_time,omitzero"`
	// Nonce is the nonce the sign-in's authorization request sent ("" for
	// none, as in the device grant). Not secret once the sign-in is over;
	// kept because a refresh's ID token must carry it or none (OpenID
	// Connect Core §12.2), never a new one. Not for display.
	Nonce string `json:"nonce,omitempty"`
}

// IDTokenCheck names the check of an ID token that failed.
type IDTokenCheck string

// The checks of an ID token (OpenID Connect Core §3.1.3.7), in the order
// they are made.
const (
	// IDTokenMissing: the answer to an openid sign-in had no id_token.
	IDTokenMissing IDTokenCheck = "missing"
	// IDTokenMalformed: the id_token is not a JWT with the claims it must have.
	IDTokenMalformed IDTokenCheck = "malformed"
	// IDTokenIssuer: iss is not the profile's issuer (or, without an
	// issuer URL, not one whose metadata names the profile's token URL),
	// or its metadata could not be read.
	IDTokenIssuer IDTokenCheck = "issuer"
	// IDTokenSignature: not signed by a key of the issuer's JWKS with an
	// algorithm that key allows (alg "none" and HMAC never are).
	IDTokenSignature IDTokenCheck = "signature"
	// IDTokenAudience: aud does not hold the client ID (or, with several
	// audiences, azp is not the client ID).
	IDTokenAudience IDTokenCheck = "audience"
	// IDTokenNonce: nonce is not the one this sign-in sent (a replayed or
	// injected token).
	IDTokenNonce IDTokenCheck = "nonce"
	// IDTokenExpired: exp is missing or past (with VerifySkew).
	IDTokenExpired IDTokenCheck = "expired"
	// IDTokenSubject: a refresh's ID token names another sub than the
	// sign-in's (another person).
	IDTokenSubject IDTokenCheck = "subject"
	// IDTokenAuthTime: a refresh's ID token has another auth_time than the
	// sign-in's (another authentication).
	IDTokenAuthTime IDTokenCheck = "auth_time"
)

// IDTokenError is a sign-in whose ID token failed Check: the sign-in
// fails and nothing of it is kept. Err, when set, is the cause (a
// discovery or JWKS error). Its text holds no part of the token.
type IDTokenError struct {
	Check IDTokenCheck
	Err   error
	// Refresh says the ID token came with a refresh (OpenID Connect Core
	// §12.2), not a sign-in: the refresh fails, the last good access token
	// and the sign-in's refresh token stay, nothing of the answer is kept.
	Refresh bool
	// Unchecked says the check could not be made: the issuer's metadata
	// or keys could not be fetched (Err says why). The token may be good;
	// a later attempt may check it.
	Unchecked bool
}

func (e *IDTokenError) Error() string {
	of := "sign-in"
	if e.Refresh {
		of = "refresh"
	}
	if e.Err != nil {
		return fmt.Sprintf("the %s's ID token failed its %s check: %v", of, e.Check, e.Err)
	}
	return fmt.Sprintf("the %s's ID token failed its %s check", of, e.Check)
}

func (e *IDTokenError) Unwrap() error { return e.Err }

// Equal reports whether c and o hold the same claims (both nil is equal).
func (c *IDClaims) Equal(o *IDClaims) bool {
	if c == nil || o == nil {
		return c == o
	}
	a, b := *c, *o
	at, bt := a.AuthTime, b.AuthTime
	a.AuthTime, b.AuthTime = time.Time{}, time.Time{}
	return a == b && at.Equal(bt)
}
