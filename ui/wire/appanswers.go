package wire

import (
	"context"
	"sync"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/keyring"
)

// What the tray app may hand to the command line from memory (the
// instance.Answerer of the app). The keyring path obeys three rules: the
// token was fetched with the profile's current request, it stays valid for
// --min-valid, and a profile changed since (or a token revoked) is not
// served from before. The app's memory can lag behind the keyring: the
// command line edits or revokes in another process, and tells the app,
// which catches up a moment later, or never when the message is lost. So
// the app answers only while it provably knows what the keyring holds:
//
//   - AppStore, the app's Store, notes the keyring's change stamp
//     (keyring.ChangeStamp) before each Load, and what the keyring then
//     held for each profile: its request's fingerprint and its token.
//     Every write that must stop answers (a profile saved or deleted, a
//     token deleted, a repair), by any process, replaces the stamp.
//   - CachedToken answers only while the stamp is the one noted, with the
//     engine's token for the profile when that is the token the keyring
//     held (or the app itself wrote since), fetched for the fingerprint
//     noted, and valid for minValid.
//   - DropToken (the command line revoked or removed) forgets the token in
//     the engine; the instance server then asks the app to reload, which
//     notes the new stamp.

// appStore is what the app's keyring store offers: every optional
// interface the engine and CachedReader use.
type appStore interface {
	tokens.Store
	tokens.Repairer
	tokens.FetchLocker
	tokens.TokenDropper
}

// noted is what the keyring held for one profile at the last Load.
type noted struct {
	fingerprint string
	access      string // the cached token's access token; "" for none
}

// AppStore is the tray app's Store: the keyring store of a service, noting
// what CachedToken needs. It is safe for concurrent use.
type AppStore struct {
	appStore
	service string
	engine  Engine
	now     func() time.Time

	mu     sync.Mutex
	stamp  string
	loaded bool
	known  map[string]noted
}

// NewAppStore wraps the keyring store st of service for the tray app.
// SetEngine must be called before CachedToken answers anything. st must be
// a keyring store (keyring.NewStore); otherwise NewAppStore returns nil.
func NewAppStore(st tokens.Store, service string) *AppStore {
	a, ok := st.(appStore)
	if !ok {
		return nil
	}
	return &AppStore{appStore: a, service: service, now: time.Now}
}

// Engine is the part of the tray app's engine (*tokens.Manager) that
// AppStore answers from.
type Engine interface {
	Snapshot() *tokens.Snapshot
	DropToken(ctx context.Context, name string, t *tokens.Token) error
}

// SetEngine gives the store the engine whose snapshots hold the tokens
// CachedToken hands out.
func (s *AppStore) SetEngine(e Engine) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.engine = e
}

// Load implements tokens.Store: the profiles, read with their tokens in
// one go (tokens.ReadAllCached), after noting the change stamp.
func (s *AppStore) Load(ctx context.Context) ([]tokens.Profile, []*tokens.ProfileError, error) {
	stamp, serr := keyring.ChangeStamp(s.service)
	all, broken, err := tokens.ReadAllCached(ctx, s.appStore)
	if err != nil {
		return nil, nil, err
	}
	known := make(map[string]noted, len(all))
	profiles := make([]tokens.Profile, len(all))
	for i, c := range all {
		profiles[i] = c.Profile
		n := noted{fingerprint: c.Profile.RequestFingerprint()}
		if c.Token != nil {
			n.access = c.Token.AccessToken
		}
		known[c.Profile.Name] = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stamp, s.loaded, s.known = stamp, serr == nil, known
	return profiles, broken, nil
}

// SaveToken implements tokens.TokenCache: the token the app writes is the
// keyring's from then on.
func (s *AppStore) SaveToken(ctx context.Context, name string, t *tokens.Token) error {
	if err := s.appStore.SaveToken(ctx, name, t); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.known[name]; ok && t != nil {
		n.access = t.AccessToken
		s.known[name] = n
	}
	return nil
}

// CachedToken implements instance.Answerer (see above).
func (s *AppStore) CachedToken(name string, minValid time.Duration) (*tokens.Token, []string, bool) {
	s.mu.Lock()
	stamp, loaded, engine := s.stamp, s.loaded, s.engine
	n, ok := s.known[name]
	s.mu.Unlock()
	if !loaded || !ok || engine == nil || n.access == "" {
		return nil, nil, false
	}
	if now, err := keyring.ChangeStamp(s.service); err != nil || now != stamp {
		return nil, nil, false
	}
	ps, found := engine.Snapshot().Find(name)
	if !found {
		return nil, nil, false
	}
	t := ps.Token
	if t == nil || t.AccessToken != n.access || t.RequestFingerprint != n.fingerprint || !t.FetchedFor(ps.Profile) || !t.ValidFor(s.now(), minValid) {
		return nil, nil, false
	}
	return t, ps.Profile.GitHosts, true
}

// DropToken implements instance.Answerer: the engine forgets the token it
// holds for name (tokens.Manager.DropToken, which also removes it from the
// keyring if it is still there, takes a newer sign-in's token, and says
// not signed in after a sign-out), and nothing more is answered for name
// until the next Load. It tells the engine even when it holds no token:
// a sign-in or sign-out elsewhere concerns it all the same.
func (s *AppStore) DropToken(name string) {
	s.mu.Lock()
	delete(s.known, name)
	engine := s.engine
	s.mu.Unlock()
	if engine == nil {
		return
	}
	if ps, ok := engine.Snapshot().Find(name); ok {
		ctx, cancel := context.WithTimeout(context.Background(), dropTimeout)
		defer cancel()
		_ = engine.DropToken(ctx, name, ps.Token)
	}
}
