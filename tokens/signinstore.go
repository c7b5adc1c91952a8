package tokens

import (
	"context"
	"errors"
	"fmt"
)

// Keeping a sign-in's result, and forgetting it: the two writes a sign-in
// (`tokentray login`, the window's Sign in…) and a sign-out make besides
// the refresh in refreshflow.go. Both run under the profile's fetch lock
// when the cache has one, so no refresh of another process runs between
// their writes.

// KeepSignIn stores what a sign-in of p got: first its refresh token (the
// one of an earlier sign-in is forgotten when the answer has none), then
// its access token, bound to p's request, which it returns. cache must be
// a RefreshStore (both Stores are). A cancelled ctx does not stop the
// writes once the lock is held: the server has issued the tokens.
//
// Errors: p's *ValidationError, a result without an access token, the
// store's error. Safe for concurrent use.
func KeepSignIn(ctx context.Context, cache TokenCache, p Profile, res *TokenResult) (*Token, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	rs, ok := cache.(RefreshStore)
	if !ok {
		return nil, errors.New("this store keeps no refresh tokens")
	}
	if res == nil {
		return nil, errNoToken
	}
	t, err := accept(res.Token)
	if err != nil {
		return nil, err
	}
	p = canonical(p)
	s := sharedFetch{cache: cache}
	unlock, _, err := s.lock(ctx, p.Name)
	if err != nil {
		return nil, err
	}
	defer unlock()
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cacheTimeout)
	defer cancel()
	if res.RefreshToken != "" {
		err = rs.SaveRefresh(wctx, p.Name, newRefresh(p, res))
	} else {
		err = rs.DeleteRefresh(wctx, p.Name)
	}
	if err != nil {
		return nil, fmt.Errorf("keeping the sign-in of %q: %w", p.Name, err)
	}
	t = boundTo(t, p.RequestFingerprint())
	if err := s.save(wctx, p, t); err != nil {
		return nil, fmt.Errorf("keeping the sign-in of %q: %w", p.Name, err)
	}
	return t, nil
}

// ForgetSignIn deletes the named profile's refresh token and cached access
// token, under its fetch lock, so the profile needs a new sign-in. Missing
// ones are no error. Errors: the store's. Safe for concurrent use.
func ForgetSignIn(ctx context.Context, cache TokenCache, name string) error {
	s := sharedFetch{cache: cache}
	unlock, _, err := s.lock(ctx, name)
	if err != nil {
		return err
	}
	defer unlock()
	if rs, ok := cache.(RefreshStore); ok {
		if err := rs.DeleteRefresh(ctx, name); err != nil {
			return err
		}
	}
	if d, ok := cache.(TokenDropper); ok {
		return d.DeleteToken(ctx, name)
	}
	return nil
}

// StoredRefresh returns the named profile's stored refresh token when it
// belongs to p's sign-in, for a sign-out that revokes it; a
// *SignInNeededError when there is none.
func StoredRefresh(ctx context.Context, cache TokenCache, p Profile) (*RefreshToken, error) {
	rs, ok := cache.(RefreshStore)
	if !ok {
		return nil, &SignInNeededError{Profile: p.Name}
	}
	return sharedFetch{cache: cache}.loadRefresh(ctx, rs, canonical(p))
}
