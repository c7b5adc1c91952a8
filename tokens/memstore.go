package tokens

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// NewMemoryStore returns a Store that keeps profiles and tokens in memory
// only, for demo mode and tests. It behaves like the keyring store: values
// go through the same JSON encoding (so what one returns, the other does
// too), Save and the loaders copy everything, so neither the caller's nor a
// returned Profile or Token shares maps or slices with the stored state,
// SaveToken refuses (ErrNotFound) a token for a profile it does not hold and
// a token without a RequestFingerprint, and LoadToken returns ErrNotFound for
// a token fetched with another request than the profile's. It never reports broken profiles. It is a FetchLocker over
// in-process locks. Safe for concurrent use;
// operations are serialised. A cancelled ctx makes an operation fail.
func NewMemoryStore() Store {
	return &memoryStore{profiles: map[string]*memEntry{}}
}

type memoryStore struct {
	mu         sync.Mutex
	profiles   map[string]*memEntry
	fetchLocks sync.Map // profile name → chan struct{} of capacity 1, full while held
}

// LockFetch implements FetchLocker: callers sharing this store (a Manager
// and SharedToken callers, as processes share the keyring) fetch a profile
// one at a time. It waits until the lock is free or ctx ends.
func (m *memoryStore) LockFetch(ctx context.Context, name string) (func(), error) {
	ch, _ := m.fetchLocks.LoadOrStore(name, make(chan struct{}, 1))
	held := ch.(chan struct{})
	select {
	case held <- struct{}{}:
		return sync.OnceFunc(func() { <-held }), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// memEntry holds encoded values: decoding gives every caller a fresh copy.
type memEntry struct {
	profile string // EncodeProfile
	request string // the profile's RequestFingerprint
	token   string // EncodeToken, "" when none
	refresh string // EncodeRefresh, "" when none (memrefresh.go)
}

// Load implements Store.
func (m *memoryStore) Load(ctx context.Context) ([]Profile, []*ProfileError, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	profiles := make([]Profile, 0, len(m.profiles))
	for name, e := range m.profiles {
		p, err := DecodeProfile(e.profile)
		if err != nil { // cannot happen: only Save writes entries
			return nil, nil, fmt.Errorf("memory store: profile %q: %w", name, err)
		}
		profiles = append(profiles, p)
	}
	slices.SortFunc(profiles, func(a, b Profile) int { return strings.Compare(a.Name, b.Name) })
	return profiles, nil, nil
}

// Save implements Store.
func (m *memoryStore) Save(ctx context.Context, p Profile) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.Name == "" {
		return ErrNoName
	}
	raw, err := EncodeProfile(p)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.profiles[p.Name]
	if e == nil {
		e = &memEntry{}
		m.profiles[p.Name] = e
	}
	e.profile, e.request = raw, p.RequestFingerprint()
	return nil
}

// Delete implements Store.
func (m *memoryStore) Delete(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.profiles[name] == nil {
		return fmt.Errorf("profile %q: %w", name, ErrNotFound)
	}
	delete(m.profiles, name)
	return nil
}

// LoadToken implements TokenCache.
func (m *memoryStore) LoadToken(ctx context.Context, name string) (*Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.profiles[name]
	if e == nil || e.token == "" {
		return nil, fmt.Errorf("token of profile %q: %w", name, ErrNotFound)
	}
	t, err := DecodeToken(e.token)
	if err != nil { // cannot happen: only SaveToken writes tokens
		return nil, &ProfileError{Name: name, Err: err}
	}
	if t.RequestFingerprint != e.request {
		return nil, StaleToken(name)
	}
	return t, nil
}

// SaveToken implements TokenCache.
func (m *memoryStore) SaveToken(ctx context.Context, name string, t *Token) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if t == nil {
		return ErrNilToken
	}
	if t.RequestFingerprint == "" {
		return ErrUnboundToken
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.profiles[name]
	if e == nil {
		return fmt.Errorf("saving token of profile %q: %w", name, ErrNotFound)
	}
	raw, err := EncodeToken(t)
	if err != nil {
		return err
	}
	e.token = raw
	return nil
}

// DeleteToken implements TokenDropper.
func (m *memoryStore) DeleteToken(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if e := m.profiles[name]; e != nil {
		e.token = ""
	}
	return nil
}
