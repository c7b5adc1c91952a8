package tokens

import (
	"context"
	"fmt"
)

// The memory store's refresh tokens (RefreshStore), held like its tokens:
// encoded, per profile, gone with the profile.

// LoadRefresh implements RefreshStore.
func (m *memoryStore) LoadRefresh(ctx context.Context, name string) (*RefreshToken, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.profiles[name]
	if e == nil || e.refresh == "" {
		return nil, fmt.Errorf("refresh token of profile %q: %w", name, ErrNotFound)
	}
	r, err := DecodeRefresh(e.refresh)
	if err != nil { // cannot happen: only SaveRefresh writes them
		return nil, &ProfileError{Name: name, Err: err}
	}
	p, err := DecodeProfile(e.profile)
	if err != nil || !r.For(p) {
		return nil, fmt.Errorf("refresh token of profile %q is for another sign-in: %w", name, ErrNotFound)
	}
	return r, nil
}

// SaveRefresh implements RefreshStore.
func (m *memoryStore) SaveRefresh(ctx context.Context, name string, r *RefreshToken) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	raw, err := EncodeRefresh(r)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.profiles[name]
	if e == nil {
		return fmt.Errorf("saving refresh token of profile %q: %w", name, ErrNotFound)
	}
	e.refresh = raw
	return nil
}

// DeleteRefresh implements RefreshStore.
func (m *memoryStore) DeleteRefresh(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if e := m.profiles[name]; e != nil {
		e.refresh = ""
	}
	return nil
}
