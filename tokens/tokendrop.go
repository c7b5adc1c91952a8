package tokens

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Dropping a revoked token. After an RFC 7009 revocation the token must not
// be served again, by this process or another: it leaves the Manager's
// memory and the shared cache (the keyring) together, through the Manager,
// as every other write does.

// TokenDropper is implemented by a TokenCache that can delete a cached
// token (both Stores do). Implementations are safe for concurrent use.
type TokenDropper interface {
	// DeleteToken removes the cached token of the named profile, keeping
	// the profile. A missing token is no error.
	DeleteToken(ctx context.Context, name string) error
}

// DropToken forgets t as the named profile's token: in the cache, when it
// still holds t (a newer token written by another process stays), and in
// the Manager, which then fetches no new token by itself until one is
// asked for (Token, Refresh) or the profile changes. A profile whose
// current token is another is left alone. t nil says the caller knew of
// no token: nothing is forgotten, but the rest holds.
//
// It is also how the command line tells the app of a sign-in or sign-out
// (`tokentray login`, `tokentray logout`). When the cache holds a newer
// token, valid and fetched with the profile's request (a sign-in by
// another process), the Manager takes it instead, as after SignedIn. A
// profile a person signs in to that is left without a token, and whose
// refresh token is gone from the cache (signed out), says not signed in
// and stops: its next refresh would start no sign-in anyway.
//
// Errors: the cache's error (the Manager is then unchanged). A cache that
// cannot delete tokens (no TokenDropper) is an error too: the token would
// come back from it. Safe for concurrent use; blocks on the cache.
func (m *Manager) DropToken(ctx context.Context, name string, t *Token) error {
	e := (*m.entries.Load())[name] // nil: only the cache is concerned
	var p Profile
	if e != nil {
		m.mu.Lock()
		p = e.profile
		m.mu.Unlock()
	}
	var newer *Token // another token the cache holds (another process's sign-in)
	var signedIn bool
	var ends time.Time
	if m.cache != nil {
		d, ok := m.cache.(TokenDropper)
		if !ok {
			return fmt.Errorf("dropping the token of %q: the cache cannot delete tokens", name)
		}
		cur, err := m.cache.LoadToken(ctx, name)
		switch {
		case err == nil && t != nil && cur.AccessToken == t.AccessToken:
			if err := d.DeleteToken(ctx, name); err != nil {
				return err
			}
		case err == nil:
			newer = cur
		case err != nil && (errors.Is(err, ErrKeyringUnavailable) || errors.Is(err, ErrKeyringTimeout) || errors.Is(err, ErrKeyringLocked) || ctx.Err() != nil):
			return err
		}
		if p.Grant.SignsIn() {
			// A refresh token that cannot be read says nothing about a
			// sign-out, and must not keep the token from being dropped.
			rt, err := StoredRefresh(ctx, m.cache, p)
			switch {
			case err == nil:
				signedIn, ends = true, rt.ExpiresAt
			case !errors.Is(err, ErrSignInNeeded):
				signedIn = true
			}
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if e == nil || e.retired() || e != (*m.entries.Load())[name] {
		return nil
	}
	cur := e.token()
	held := cur != nil && t != nil && cur.AccessToken == t.AccessToken
	if !held && t != nil {
		return nil // the caller's token is no longer the current one
	}
	now := m.wall()
	// With t nil only a sign-in's token is taken up: the caller may be
	// telling of a revocation before the token left the cache.
	if newer != nil && (held || p.Grant.SignsIn()) && newer.FetchedFor(e.profile) && newer.ValidFor(now, time.Nanosecond) && (cur == nil || cur.AccessToken != newer.AccessToken) {
		if a, err := accept(newer); err == nil {
			// A sign-in by another process: served from now on.
			e.newEpoch()
			e.setToken(a)
			e.sessionEnds = ends
			e.lastErr, e.streak, e.retryAt = nil, 0, time.Time{}
			e.liftStop()
			e.wanted = true
			m.reschedule(e, now)
			m.changed()
			return nil
		}
	}
	if held {
		e.setToken(nil)
		e.wanted = false
		m.unschedule(e)
		m.changed()
	}
	if p.Grant.SignsIn() && m.cache != nil && !signedIn && e.token() == nil && e.phase != phaseFetching {
		m.notSignedIn(e)
	}
	return nil
}
