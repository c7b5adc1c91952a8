package tokens

import (
	"context"
	"time"
)

// ExpirySource says where a token's expiry time came from.
type ExpirySource string

// The expiry sources, in order of preference.
const (
	// ExpiryFromExpiresIn: the response's expires_in.
	ExpiryFromExpiresIn ExpirySource = "expires_in"
	// ExpiryFromJWT: the access token's JWT "exp" claim.
	ExpiryFromJWT ExpirySource = "jwt_exp"
	// ExpiryAssumed: neither was present; the profile's assumed lifetime applies.
	ExpiryAssumed ExpirySource = "assumed"
)

// Token is one access token as issued, with its expiry. A *Token is
// immutable once published by a Fetcher or the Manager: share it freely.
type Token struct {
	// AccessToken is the bearer credential. Secret.
	AccessToken string `json:"access_token"`
	// TokenType is "Bearer" (any case the server used), or another type as
	// the server sent it (printable, at most MaxTokenTypeLen bytes). Only a
	// Bearer token may be sent as "Authorization: Bearer"; see IsBearer.
	TokenType string `json:"token_type,omitempty"`
	// TokenTypeAssumed is set when the response had no token_type and the
	// token is taken as Bearer.
	TokenTypeAssumed bool `json:"token_type_assumed,omitempty"`
	// Scope is the granted scope when the server stated one.
	Scope string `json:"scope,omitempty"`
	// IssuedAt is when the response arrived (by the client's clock).
	IssuedAt time.Time `json:"issued_at"`
	// ExpiresAt is when the token stops being valid.
	ExpiresAt time.Time `json:"expires_at"`
	// ExpirySource says how ExpiresAt was determined.
	ExpirySource ExpirySource `json:"expiry_source"`
	// ExpiryConflict is set when expires_in and the JWT exp claim disagree by
	// more than MaxExpiryDisagreement; ExpiresAt is then the earlier of the two.
	ExpiryConflict *ExpiryConflict `json:"expiry_conflict,omitempty"`
	// Extra holds every other field of the token response, for display,
	// except the secret ones (tokens.SecretFields: refresh_token,
	// id_token, …), which are dropped.
	Extra map[string]any `json:"extra,omitempty"`
	// RequestFingerprint is Profile.RequestFingerprint of the profile the
	// token was fetched with, stamped by the Manager (and SharedToken) when
	// they accept it; "" for a token straight from a Fetcher. Stores and
	// readers serve a token only for a profile with the same fingerprint.
	RequestFingerprint string `json:"request_fingerprint,omitempty"`
	// ID is who signed in, from the checked OpenID Connect ID token of the
	// sign-in (idtoken.go); nil for other tokens. A refresh keeps it.
	ID *IDClaims `json:"id,omitempty"`
}

// MaxExpiryDisagreement is how far expires_in and the JWT exp claim may
// disagree before the token carries an ExpiryConflict.
const MaxExpiryDisagreement = 60 * time.Second

// ExpiryConflict records the two disagreeing expiry times.
type ExpiryConflict struct {
	FromExpiresIn time.Time `json:"from_expires_in"`
	FromJWT       time.Time `json:"from_jwt"`
}

// Lifetime is the token's whole lifetime, ExpiresAt - IssuedAt.
func (t *Token) Lifetime() time.Duration { return t.ExpiresAt.Sub(t.IssuedAt) }

// ValidFor reports whether the token stays valid for at least d after now.
func (t *Token) ValidFor(now time.Time, d time.Duration) bool {
	return t != nil && t.AccessToken != "" && t.ExpiresAt.Sub(now) >= d
}

// Fetcher performs the client credentials grant for a profile.
// Implementations must be safe for concurrent use.
type Fetcher interface {
	// Fetch makes one token request for p (already validated) and returns
	// the new token, or an error (see ErrorClass).
	Fetch(ctx context.Context, p Profile) (*Token, error)
}

// FetcherFunc adapts a function to the Fetcher interface.
type FetcherFunc func(ctx context.Context, p Profile) (*Token, error)

// Fetch calls f(ctx, p).
func (f FetcherFunc) Fetch(ctx context.Context, p Profile) (*Token, error) { return f(ctx, p) }
