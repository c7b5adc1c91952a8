package tokens

import (
	"context"
	"errors"
	"fmt"
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
// current token is another is left alone.
//
// Errors: the cache's error (the Manager is then unchanged). A cache that
// cannot delete tokens (no TokenDropper) is an error too: the token would
// come back from it. Safe for concurrent use; blocks on the cache.
func (m *Manager) DropToken(ctx context.Context, name string, t *Token) error {
	if t == nil {
		return nil
	}
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
		e.setToken(nil)
		e.wanted = false
		m.unschedule(e)
		m.changed()
	}
	return nil
}
