package tokens

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Signing out, for the window (Manager.SignOut) and the command line
// (SignOut), and the Manager's reading of when a sign-in ends: the
// refresh token stays inside this package (the window never holds it); it
// is handed only to the revocation call.

// RevokeFunc revokes a profile's refresh token at its server (RFC 7009,
// token_type_hint=refresh_token): Signer.RevokeRefresh. An error wrapping
// ErrNoEndpoint says the profile has no revocation endpoint.
type RevokeFunc func(ctx context.Context, p Profile, refresh string) error

// SignOut signs the named profile out (SignOut, then SignedOut's part in
// the Manager, which then says not signed in): revoked reports whether
// the server was told. When revoke fails (other than ErrNoEndpoint),
// nothing is forgotten and the error is returned: the person is still
// signed in. revoke may be nil (nothing is revoked).
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
	if revoked, err = SignOut(ctx, m.cache, p, revoke); err != nil {
		return false, err
	}
	m.signedOut(e)
	return revoked, nil
}

// SignOut signs p out in cache: the stored refresh token of p's sign-in,
// when there is one, goes to revoke first (revoke nil: nothing is
// revoked), then both tokens are forgotten (ForgetSignIn). revoked
// reports whether the server was told. When revoke fails (other than
// ErrNoEndpoint) nothing is forgotten and the error is returned: the
// person is still signed in. The window's Sign out (Manager.SignOut) and
// `tokentray logout` both sign out through it. cache may be nil (nothing
// to forget).
//
// Errors: the revocation's, the cache's. Safe for concurrent use; blocks
// on the cache and the network.
func SignOut(ctx context.Context, cache TokenCache, p Profile, revoke RevokeFunc) (revoked bool, err error) {
	if cache == nil {
		return false, nil
	}
	if revoke != nil {
		rt, err := StoredRefresh(ctx, cache, p)
		switch {
		case errors.Is(err, ErrSignInNeeded): // nothing to revoke
		case err != nil:
			return false, err
		default:
			err := revoke(ctx, p, rt.Value)
			switch {
			case errors.Is(err, ErrNoEndpoint):
			case err != nil:
				return false, fmt.Errorf("%s: the refresh token was not revoked; you are still signed in: %w", p.Name, err)
			default:
				revoked = true
			}
		}
	}
	return revoked, ForgetSignIn(ctx, cache, p.Name)
}

// sessionEnds reads when p's sign-in ends from the Cache: one read of its
// stored refresh token. Zero when the server did not say, for a profile
// no one is signed in to or that signs in to nothing, and when the Cache
// cannot be read.
func (m *Manager) sessionEnds(ctx context.Context, p Profile) time.Time {
	if m.cache == nil || !p.Normalized().Grant.SignsIn() {
		return time.Time{}
	}
	rt, err := StoredRefresh(ctx, m.cache, p)
	if err != nil {
		return time.Time{}
	}
	return rt.ExpiresAt
}
