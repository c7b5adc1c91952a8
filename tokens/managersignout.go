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
// ErrNoEndpoint says the profile has no revocation endpoint. SignOut's
// call carries in ctx the issuer the sign-in named (SignInIssuer).
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
// revoked), with the issuer the sign-in named in its context
// (WithSignInIssuer), then both tokens are forgotten (ForgetSignIn). revoked
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
			err := revoke(WithSignInIssuer(ctx, signInIssuer(ctx, cache, p, rt)), p, rt.Value)
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

// signInIssuerKey carries, in a RevokeFunc's context, the issuer the
// refresh token's sign-in named (see WithSignInIssuer).
type signInIssuerKey struct{}

// WithSignInIssuer returns ctx carrying iss, the issuer the sign-in of the
// refresh token being revoked named (its checked ID token's iss, or its
// access token's), for a profile with a token URL only: SignOut passes it
// to the RevokeFunc, whose revocation endpoint may be found from that
// issuer's metadata (see oauth.Client.RevokeRefresh for the origins it
// must be on). A hint, never a secret; "" carries nothing.
func WithSignInIssuer(ctx context.Context, iss string) context.Context {
	if iss == "" {
		return ctx
	}
	return context.WithValue(ctx, signInIssuerKey{}, iss)
}

// SignInIssuer returns the issuer WithSignInIssuer put in ctx, or "".
func SignInIssuer(ctx context.Context) string {
	iss, _ := ctx.Value(signInIssuerKey{}).(string)
	return iss
}

// signInIssuer is the issuer p's sign-in named: its checked ID token's
// iss, else the iss of its cached access token when that is a JWT
// fetched for p; "" when neither says.
func signInIssuer(ctx context.Context, cache TokenCache, p Profile, rt *RefreshToken) string {
	if rt.ID != nil && rt.ID.Issuer != "" {
		return rt.ID.Issuer
	}
	ctx, cancel := context.WithTimeout(ctx, cacheTimeout)
	defer cancel()
	t, err := cache.LoadToken(ctx, p.Name)
	if err != nil || !t.FetchedFor(p) {
		return ""
	}
	info, err := DecodeJWT(t.AccessToken)
	if err != nil {
		return ""
	}
	iss, _ := info.Claims["iss"].(string)
	return iss
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
