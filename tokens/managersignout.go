package tokens

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// The Manager's side of the window's Sign out and session countdown: the
// refresh token stays inside this package (the window never holds it); it
// is handed only to the revocation call.

// RevokeFunc revokes a profile's refresh token at its server (RFC 7009,
// token_type_hint=refresh_token): Signer.RevokeRefresh. An error wrapping
// ErrNoEndpoint says the profile has no revocation endpoint.
type RevokeFunc func(ctx context.Context, p Profile, refresh string) error

// SignOut signs the named profile out: its stored refresh token, when
// there is one for its sign-in, goes to revoke first; then the sign-in is
// forgotten in the Cache and in the Manager (SignedOut), which then says
// sign-in needed. revoked reports whether the server was told. When
// revoke fails (other than ErrNoEndpoint), nothing is forgotten and the
// error is returned: the person is still signed in. revoke may be nil
// (nothing is revoked).
//
// Errors: ErrUnknownProfile, the revocation's, the Cache's. Safe for
// concurrent use; blocks on the Cache and the network.
func (m *Manager) SignOut(ctx context.Context, name string, revoke RevokeFunc) (revoked bool, err error) {
	e := (*m.entries.Load())[name]
	if e == nil {
		return false, fmt.Errorf("%w %q", ErrUnknownProfile, name)
	}
	m.mu.Lock()
	p := e.profile
	m.mu.Unlock()
	if m.cache != nil && revoke != nil {
		rt, err := StoredRefresh(ctx, m.cache, p)
		switch {
		case errors.Is(err, ErrSignInNeeded): // nothing to revoke
		case err != nil:
			return false, err
		default:
			err := revoke(ctx, p, rt.Value)
			switch {
			case errors.Is(err, ErrNoEndpoint):
			case err != nil:
				return false, fmt.Errorf("%s: the refresh token was not revoked; you are still signed in: %w", name, err)
			default:
				revoked = true
			}
		}
	}
	return revoked, m.SignedOut(ctx, name)
}

// SessionEnds returns when the named profile's sign-in ends: the expiry
// the server gave its stored refresh token (refresh_expires_in). ok is
// false when it named none, or there is no sign-in or Cache.
//
// Errors: ErrUnknownProfile, the Cache's. Safe for concurrent use; blocks
// on the Cache.
func (m *Manager) SessionEnds(ctx context.Context, name string) (ends time.Time, ok bool, err error) {
	e := (*m.entries.Load())[name]
	if e == nil {
		return time.Time{}, false, fmt.Errorf("%w %q", ErrUnknownProfile, name)
	}
	m.mu.Lock()
	p := e.profile
	m.mu.Unlock()
	if m.cache == nil || !p.Normalized().Grant.SignsIn() {
		return time.Time{}, false, nil
	}
	rt, err := StoredRefresh(ctx, m.cache, p)
	switch {
	case errors.Is(err, ErrSignInNeeded):
		return time.Time{}, false, nil
	case err != nil:
		return time.Time{}, false, err
	}
	return rt.ExpiresAt, !rt.ExpiresAt.IsZero(), nil
}
