package tokens

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// RefreshToken is the stored refresh token of a signed-in profile. It is
// a secret: it lives in the keyring in an item of its own, never beside
// the access token, and is never shown, exported, logged or passed on a
// command line. A *RefreshToken is immutable once stored.
type RefreshToken struct {
	// Value is the refresh token. Secret.
	Value string `json:"refresh_token"`
	// SessionFingerprint is Profile.SessionFingerprint of the profile it
	// was issued for: it is used only for a profile with the same one.
	SessionFingerprint string `json:"session_fingerprint"`
	// IssuedAt is when the answer carrying it arrived.
	IssuedAt time.Time `json:"issued_at"`
	// ExpiresAt is when the server said it stops working
	// (refresh_expires_in, or the exp of a JWT refresh token); zero when
	// it did not say.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// ID is who signed in (the sign-in's checked ID token's claims, nil
	// without one): each refresh's token carries it on (Token.ID).
	ID *IDClaims `json:"id,omitempty"`
}

// For reports whether r may be used for p: it was issued for p's sign-in.
func (r *RefreshToken) For(p Profile) bool {
	return r != nil && r.Value != "" && r.SessionFingerprint != "" && r.SessionFingerprint == p.SessionFingerprint()
}

// RefreshStore keeps the refresh token of each signed-in profile. Both
// Stores implement it. Implementations are safe for concurrent use.
type RefreshStore interface {
	// LoadRefresh returns the named profile's refresh token, or an error
	// wrapping ErrNotFound when there is none, or none for the stored
	// profile's sign-in (SessionFingerprint).
	LoadRefresh(ctx context.Context, name string) (*RefreshToken, error)
	// SaveRefresh stores r as the named profile's refresh token. The
	// profile must exist (else ErrNotFound); r must carry a
	// SessionFingerprint (else ErrUnboundToken).
	SaveRefresh(ctx context.Context, name string, r *RefreshToken) error
	// DeleteRefresh forgets the named profile's refresh token. A missing
	// one is no error.
	DeleteRefresh(ctx context.Context, name string) error
}

type refreshRecord struct {
	V       int           `json:"v"`
	Refresh *RefreshToken `json:"refresh"`
}

// EncodeRefresh returns r's stored form (a secret: keyring only).
func EncodeRefresh(r *RefreshToken) (string, error) {
	if r == nil || r.Value == "" {
		return "", ErrNilToken
	}
	if r.SessionFingerprint == "" {
		return "", ErrUnboundToken
	}
	b, err := json.Marshal(refreshRecord{V: 1, Refresh: r})
	if err != nil {
		return "", fmt.Errorf("encoding refresh token: %w", err)
	}
	return string(b), nil
}

// DecodeRefresh reads a stored refresh token; its errors never quote raw.
func DecodeRefresh(raw string) (*RefreshToken, error) {
	var r refreshRecord
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return nil, errors.New("refresh token is not JSON")
	}
	if r.V != 1 || r.Refresh == nil || r.Refresh.Value == "" {
		return nil, fmt.Errorf("not a version 1 refresh token (v=%d)", r.V)
	}
	return r.Refresh, nil
}

// refreshExpiry returns when the refresh token of res, issued at now,
// ends: from the answer's refresh_expires_in (Keycloak and others), else
// the exp claim of a refresh token that is a JWT (read, not verified: it
// is only shown), else zero.
func refreshExpiry(res *TokenResult, now time.Time) time.Time {
	if at := refreshExpiresIn(res.Token, now); !at.IsZero() {
		return at
	}
	if j, err := DecodeJWT(res.RefreshToken); err == nil {
		if exp, ok := j.ExpiresAt(); ok && exp.After(now) && exp.Sub(now) <= maxRefreshLife {
			return exp.Round(0)
		}
	}
	return time.Time{}
}

// maxRefreshLife is the longest refresh token life believed: beyond it a
// stated expiry is taken as a mistake, and the end as unknown.
const maxRefreshLife = 10 * 365 * 24 * time.Hour

// refreshExpiresIn is when the answer's refresh_expires_in says, or zero.
func refreshExpiresIn(t *Token, now time.Time) time.Time {
	var secs float64
	switch v := t.Extra["refresh_expires_in"].(type) {
	case float64:
		secs = v
	case json.Number:
		secs, _ = v.Float64()
	case string:
		var n json.Number = json.Number(v)
		secs, _ = n.Float64()
	}
	if secs <= 0 || secs > maxRefreshLife.Seconds() {
		return time.Time{}
	}
	return now.Add(time.Duration(secs * float64(time.Second))).Round(0)
}
