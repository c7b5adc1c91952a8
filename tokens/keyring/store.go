package keyring

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// Item layout. Every item belongs to one keyring service (Options.Service,
// "tokentray" by default) and is addressed by its user name ("username"
// attribute in the Secret Service, account on macOS, "SERVICE:USER" target
// on Windows). NAME is the profile name escaped with url.PathEscape, so a
// name containing "/" cannot collide with another item.
//
//	index                      record: {"v":1,"profiles":["a","b",…]} (sorted)
//	profile/NAME               record: {"v":1,"profile":{…Profile JSON…}}
//	token/NAME                 record: {"v":1,"token":{…Token JSON…, "request_fingerprint":"…"}}
//	refresh/NAME               record: a signed-in profile's refresh token (refresh.go)
//
// Each record is a header item plus chunk items "KEY/GEN/I" (see chunk.go).
// Nothing is written anywhere else. The index lists the profiles because
// go-keyring cannot list items; a profile missing from it does not exist. A
// missing index is an empty store. A cached token is bound to the request it
// was fetched with (Token.RequestFingerprint, see tokens/fingerprint.go): once the
// profile's request changes, the old token is not returned, whoever wrote it
// when. Changing only the refresh lead or other display settings keeps it.
//
// Order of writes: Save writes the profile record, then adds the name to the
// index. Delete removes the name from the index first, then the token and
// profile records. Either way an interruption leaves the index naming only
// complete profiles; leftover items are reclaimed by the next Save or Delete
// of that name.

// DefaultService is the keyring service name used when
// Options.Service is empty.
const DefaultService = "tokentray"

// DefaultTimeout bounds one keyring call when Options.Timeout
// is zero. It is long enough for a user to answer an unlock prompt.
const DefaultTimeout = 60 * time.Second

// Options configures NewStore.
type Options struct {
	// Service is the keyring service name of every item; default "tokentray".
	Service string
	// Timeout bounds each keyring call; default DefaultTimeout.
	Timeout time.Duration
}

// NewStore returns a Store keeping every profile, secrets included,
// and each profile's current token in the OS keyring (Secret Service on
// Linux, Keychain on macOS, Credential Manager on Windows), under one
// service name. Values of any size are stored in chunks small enough for
// every platform.
//
// Each keyring call is bounded by o.Timeout: a call that does not answer in
// time makes the operation fail with an error wrapping ErrKeyringTimeout,
// leaving the stored data consistent (the abandoned call still completes in
// the background before any later call of the same service starts). An
// unreachable keyring gives an error wrapping ErrKeyringUnavailable; nothing
// is ever written elsewhere. The methods block while the keyring works
// (milliseconds per call, each operation making several calls; an unlock
// prompt may make one wait for the user) and fail at most one Timeout after
// the keyring stops answering: callers must not call them on a UI goroutine.
//
// The Store is safe for concurrent use; all operations on one service in the
// process are serialised. SaveToken refuses (ErrNotFound) a token for a
// profile the store does not hold and a token without a RequestFingerprint,
// and LoadToken returns ErrNotFound for a token fetched with another request
// than the stored profile's.
func NewStore(o Options) tokens.Store {
	s := newKeyringStore(osKeyring{}, o)
	s.inlineMax = platformInlineMax()
	s.migrates = true
	s.stampPath, _ = RuntimePath(s.service, ".stamp")
	s.writes = newServiceWriteLock(s.service)
	s.fetchLocks = func(name string) (writeLock, error) { return fetchLockFor(s.service, name) }
	return s
}

// keyringStore is the Store over a keyringAPI.
type keyringStore struct {
	api       keyringAPI
	service   string
	timeout   time.Duration
	chunkSize int
	// inlineMax is the largest inline (version 2) header written, in bytes;
	// 0 writes every record chunked (version 1), as stores before did.
	inlineMax int
	// migrates: a chunked record read is rewritten inline (cached.go, migrate).
	migrates bool
	// stampPath is the change stamp's file (stamp.go); "": none.
	stampPath string
	sh        *serviceLock
	writes    writeLock // across processes; nil: the keyring lives in this process only
	// fetchLocks gives a profile's cross-process fetch lock (fetchlock.go);
	// nil: the keyring lives in this process only.
	fetchLocks func(name string) (writeLock, error)
}

func newKeyringStore(api keyringAPI, o Options) *keyringStore {
	if o.Service == "" {
		o.Service = DefaultService
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	return &keyringStore{api: api, service: o.Service, timeout: o.Timeout, chunkSize: maxChunk, sh: lockFor(api, o.Service)}
}

const indexKey = "index"

func profileKey(name string) string { return "profile/" + url.PathEscape(name) }
func tokenKey(name string) string   { return "token/" + url.PathEscape(name) }

// wrap prefixes err with what the store was doing, except for store-wide
// errors, whose text is already the whole story.
func wrap(err error, format string, args ...any) error {
	if err == nil || storeWide(err) {
		return err
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// storeWide reports whether err concerns the keyring as a whole rather than
// one item: Load then stops instead of blaming a profile.
func storeWide(err error) bool {
	return errors.Is(err, tokens.ErrKeyringUnavailable) || errors.Is(err, tokens.ErrKeyringTimeout) ||
		errors.Is(err, tokens.ErrKeyringLocked) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

type indexRecord struct {
	V        int      `json:"v"`
	Profiles []string `json:"profiles"`
}

// readIndex returns the profile names; a missing index is an empty store,
// a damaged one an error wrapping ErrDamagedIndex and ErrCorruptItem
// (Repair rebuilds it).
func (s *keyringStore) readIndex(ctx context.Context) ([]string, error) {
	raw, _, err := s.readRecord(ctx, indexKey)
	return parseIndex(raw, err)
}

// parseIndex is readIndex for the index record read as raw, err.
func parseIndex(raw string, err error) ([]string, error) {
	if errors.Is(err, errItemNotFound) {
		return nil, nil
	}
	if errors.Is(err, tokens.ErrCorruptItem) {
		return nil, fmt.Errorf("profile index: %w: %w", tokens.ErrDamagedIndex, err)
	}
	if err != nil {
		return nil, wrap(err, "profile index")
	}
	var idx indexRecord
	if err := json.Unmarshal([]byte(raw), &idx); err != nil || idx.V != 1 || slices.Contains(idx.Profiles, "") {
		return nil, fmt.Errorf("profile index: %w: %w", tokens.ErrDamagedIndex, corrupt(indexKey, "not a version 1 index"))
	}
	return idx.Profiles, nil
}

func (s *keyringStore) writeIndex(ctx context.Context, names []string) error {
	if len(names) == 0 {
		_, err := s.deleteRecord(ctx, indexKey)
		return err
	}
	slices.Sort(names)
	raw, err := json.Marshal(indexRecord{V: 1, Profiles: names})
	if err != nil {
		return err
	}
	return s.writeRecord(ctx, indexKey, string(raw))
}

// Load implements Store.
func (s *keyringStore) Load(ctx context.Context) ([]tokens.Profile, []*tokens.ProfileError, error) {
	s.sh.mu.Lock()
	defer s.sh.mu.Unlock()
	names, err := s.readIndex(ctx)
	if err != nil {
		return nil, nil, err
	}
	var profiles []tokens.Profile
	var broken []*tokens.ProfileError
	for _, name := range names {
		p, _, err := s.readProfile(ctx, name)
		if err != nil {
			if storeWide(err) {
				return nil, nil, err
			}
			if errors.Is(err, errItemNotFound) {
				err = corrupt(profileKey(name), "listed in the index but missing")
			}
			broken = append(broken, &tokens.ProfileError{Name: name, Err: err})
			continue
		}
		profiles = append(profiles, p)
	}
	slices.SortFunc(profiles, func(a, b tokens.Profile) int { return strings.Compare(a.Name, b.Name) })
	return profiles, broken, nil
}

// readProfile returns the profile and its record's checksum.
func (s *keyringStore) readProfile(ctx context.Context, name string) (tokens.Profile, string, error) {
	key := profileKey(name)
	raw, h, err := s.readRecord(ctx, key)
	if err != nil {
		return tokens.Profile{}, "", err
	}
	p, err := decodeProfile(name, raw)
	if err != nil {
		return tokens.Profile{}, "", err
	}
	return p, h.SHA256, nil
}

// decodeProfile decodes the record of profile name.
func decodeProfile(name, raw string) (tokens.Profile, error) {
	key := profileKey(name)
	p, err := tokens.DecodeProfile(raw)
	if err != nil {
		return tokens.Profile{}, corrupt(key, "%v", err)
	}
	if p.Name != name {
		return tokens.Profile{}, corrupt(key, "holds profile %q", p.Name)
	}
	return p, nil
}

// Save implements Store.
func (s *keyringStore) Save(ctx context.Context, p tokens.Profile) error {
	if p.Name == "" {
		return tokens.ErrNoName
	}
	raw, err := tokens.EncodeProfile(p)
	if err != nil {
		return err
	}
	s.sh.mu.Lock()
	defer s.sh.mu.Unlock()
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return wrap(err, "saving profile %q", p.Name)
	}
	defer unlock()
	defer s.stamp()                // even after a failed write: it may have changed something
	names, err := s.readIndex(ctx) // refuse early if the index is unusable
	if err != nil {
		return err
	}
	if err := s.writeRecord(ctx, profileKey(p.Name), raw); err != nil {
		return wrap(err, "saving profile %q", p.Name)
	}
	if slices.Contains(names, p.Name) {
		return nil
	}
	if err := s.writeIndex(ctx, append(names, p.Name)); err != nil {
		return wrap(err, "saving profile %q", p.Name)
	}
	return nil
}

// Delete implements Store.
func (s *keyringStore) Delete(ctx context.Context, name string) error {
	s.sh.mu.Lock()
	defer s.sh.mu.Unlock()
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return wrap(err, "deleting profile %q", name)
	}
	defer unlock()
	defer s.stamp()
	names, err := s.readIndex(ctx)
	if err != nil {
		return err
	}
	listed := slices.Contains(names, name)
	if listed {
		if err := s.writeIndex(ctx, slices.DeleteFunc(names, func(n string) bool { return n == name })); err != nil {
			return wrap(err, "deleting profile %q", name)
		}
	}
	for _, key := range []string{tokenKey(name), refreshKey(name)} {
		if _, err := s.deleteRecord(ctx, key); err != nil {
			return wrap(err, "deleting profile %q", name)
		}
	}
	if _, err := s.deleteRecord(ctx, profileKey(name)); err != nil {
		return wrap(err, "deleting profile %q", name)
	}
	if !listed {
		return fmt.Errorf("profile %q: %w", name, tokens.ErrNotFound)
	}
	return nil
}

// LoadToken implements TokenCache. The token is returned only when it was
// fetched with the stored profile's request (Token.FetchedFor).
func (s *keyringStore) LoadToken(ctx context.Context, name string) (*tokens.Token, error) {
	s.sh.mu.Lock()
	defer s.sh.mu.Unlock()
	p, _, err := s.readProfile(ctx, name)
	if err != nil {
		return nil, s.companionErr("token", name, err)
	}
	raw, _, err := s.readRecord(ctx, tokenKey(name))
	return s.decodeToken(p, raw, err)
}

// decodeToken is LoadToken for p's token record read as raw, err.
func (s *keyringStore) decodeToken(p tokens.Profile, raw string, err error) (*tokens.Token, error) {
	name := p.Name
	if err != nil {
		return nil, s.companionErr("token", name, err)
	}
	t, err := tokens.DecodeToken(raw)
	if err != nil {
		return nil, &tokens.ProfileError{Name: name, Err: corrupt(tokenKey(name), "%v", err)}
	}
	if !t.FetchedFor(p) {
		return nil, tokens.StaleToken(name)
	}
	return t, nil
}

// SaveToken implements TokenCache.
func (s *keyringStore) SaveToken(ctx context.Context, name string, t *tokens.Token) error {
	if t == nil {
		return tokens.ErrNilToken
	}
	if t.RequestFingerprint == "" {
		return tokens.ErrUnboundToken
	}
	raw, err := tokens.EncodeToken(t)
	if err != nil {
		return err
	}
	return s.saveCompanion(ctx, "token", name, tokenKey(name), raw)
}

// DeleteToken implements tokens.TokenDropper.
func (s *keyringStore) DeleteToken(ctx context.Context, name string) error {
	return s.deleteCompanion(ctx, "token", name, tokenKey(name), true)
}
