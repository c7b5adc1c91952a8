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
// asked for (Token, Refresh) or the profile changes. When the cache holds
// that newer token, valid and fetched with the profile's request (a
// sign-in by `tokentray login`), the Manager takes it instead and goes on
// refreshing. A profile whose current token is another is left alone.
//
// Errors: the cache's error (the Manager is then unchanged). A cache that
// cannot delete tokens (no TokenDropper) is an error too: the token would
// come back from it. Safe for concurrent use; blocks on the cache.
func (m *Manager) DropToken(ctx context.Context, name string, t *Token) error {
	if t == nil {
		return nil
	}
	var newer *Token // another token the cache holds (another process's sign-in)
	if m.cache != nil {
		d, ok := m.cache.(TokenDropper)
		if !ok {
			return fmt.Errorf("dropping the token of %q: the cache cannot delete tokens", name)
		}
		cur, err := m.cache.LoadToken(ctx, name)
		switch {
		case err == nil && cur.AccessToken == t.AccessToken:
			if err := d.DeleteToken(ctx, name); err != nil {
				return err
			}
		case err == nil:
			newer = cur
		case err != nil && (errors.Is(err, ErrKeyringUnavailable) || errors.Is(err, ErrKeyringTimeout) || errors.Is(err, ErrKeyringLocked) || ctx.Err() != nil):
			return err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e := (*m.entries.Load())[name]
	if e == nil || e.retired() {
		return nil
	}
	if cur := e.token(); cur != nil && cur.AccessToken == t.AccessToken {
		now := m.wall()
		if newer != nil && newer.FetchedFor(e.profile) && newer.ValidFor(now, time.Nanosecond) {
			if a, err := accept(newer); err == nil {
				e.setToken(a) // a sign-in by another process: served from now on
				m.reschedule(e, now)
				m.changed()
				return nil
			}
		}
		e.setToken(nil)
		e.wanted = false
		m.unschedule(e)
		m.changed()
	}
	return nil
}
