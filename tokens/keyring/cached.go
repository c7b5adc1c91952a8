package keyring

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// LoadCached implements tokens.CachedReader: the index, the profile and its
// token are read together (readRecords: one batch of headers, then one of
// chunks, if any). The profile must be listed in the index, as for Load.
func (s *keyringStore) LoadCached(ctx context.Context, name string) (tokens.Cached, error) {
	s.sh.mu.Lock()
	defer s.sh.mu.Unlock()
	keys := []string{indexKey, profileKey(name), tokenKey(name)}
	values, errs, chunked, err := s.readRecords(ctx, keys)
	if err != nil {
		return tokens.Cached{}, err
	}
	names, err := parseIndex(values[0], errs[0])
	if err != nil {
		return tokens.Cached{}, err
	}
	if !slices.Contains(names, name) {
		return tokens.Cached{}, fmt.Errorf("profile %q: %w", name, tokens.ErrNotFound)
	}
	p, err := s.cachedProfile(name, values[1], errs[1])
	if err != nil {
		return tokens.Cached{}, err
	}
	c := tokens.Cached{Profile: p}
	c.Token, c.TokenErr = s.decodeToken(p, values[2], errs[2])
	s.migrate(ctx, keys, errs, chunked)
	return c, nil
}

// LoadAllCached implements tokens.CachedReader: every item of the service
// in one read when the keyring can (serviceReader), else the index, then
// every listed profile and token in one readRecords.
func (s *keyringStore) LoadAllCached(ctx context.Context) ([]tokens.Cached, []*tokens.ProfileError, error) {
	s.sh.mu.Lock()
	defer s.sh.mu.Unlock()
	get, err := s.wholeService(ctx)
	if err != nil {
		return nil, nil, err
	}
	ivalues, ierrs, ichunked, err := s.readRecordsWith(ctx, get, []string{indexKey})
	if err != nil {
		return nil, nil, err
	}
	names, err := parseIndex(ivalues[0], ierrs[0])
	if err != nil {
		return nil, nil, err
	}
	keys := make([]string, 0, 2*len(names))
	for _, n := range names {
		keys = append(keys, profileKey(n), tokenKey(n))
	}
	values, errs, chunked, err := s.readRecordsWith(ctx, get, keys)
	if err != nil {
		return nil, nil, err
	}
	var all []tokens.Cached
	var broken []*tokens.ProfileError
	for i, n := range names {
		p, err := s.cachedProfile(n, values[2*i], errs[2*i])
		if err != nil {
			var pe *tokens.ProfileError
			if !errors.As(err, &pe) {
				return nil, nil, err
			}
			broken = append(broken, pe)
			continue
		}
		c := tokens.Cached{Profile: p}
		c.Token, c.TokenErr = s.decodeToken(p, values[2*i+1], errs[2*i+1])
		all = append(all, c)
	}
	slices.SortFunc(all, func(a, b tokens.Cached) int { return strings.Compare(a.Profile.Name, b.Profile.Name) })
	s.migrate(ctx, append([]string{indexKey}, keys...), append(ierrs, errs...), append(ichunked, chunked...))
	return all, broken, nil
}

// cachedProfile decodes the record of the listed profile name read as raw,
// err: store-wide errors as they are, others as a *tokens.ProfileError (as
// Load reports them).
func (s *keyringStore) cachedProfile(name, raw string, err error) (tokens.Profile, error) {
	if err == nil {
		var p tokens.Profile
		if p, err = decodeProfile(name, raw); err == nil {
			return p, nil
		}
	}
	if storeWide(err) {
		return tokens.Profile{}, err
	}
	if errors.Is(err, errItemNotFound) {
		err = corrupt(profileKey(name), "listed in the index but missing")
	}
	return tokens.Profile{}, &tokens.ProfileError{Name: name, Err: err}
}

// migrateLockWait bounds how long a read waits for the cross-process write
// lock to migrate what it read: a read never waits behind another
// process's write for longer; the next read migrates instead.
const migrateLockWait = 100 * time.Millisecond

// migrate rewrites inline (format version 2) the records among keys that
// were read without error in the chunked format, when the store inlines
// (NewStore) and the value fits: the first read of an old store migrates
// what it read, so the next reads are one item each. It is best effort
// and never fails the read: a record changed meanwhile is left to its
// writer, and any error leaves the record as it was (still readable).
// The caller holds s.sh.mu.
func (s *keyringStore) migrate(ctx context.Context, keys []string, errs []error, chunked []bool) {
	if !s.migrates || s.inlineMax <= 0 {
		return
	}
	var todo []string
	for i, key := range keys {
		if chunked[i] && errs[i] == nil {
			todo = append(todo, key)
		}
	}
	if len(todo) == 0 {
		return
	}
	lctx, cancel := context.WithTimeout(ctx, migrateLockWait)
	unlock, err := s.lockWrites(lctx)
	cancel()
	if err != nil {
		return
	}
	defer unlock()
	for _, key := range todo {
		value, h, err := s.readRecord(ctx, key) // again, under the write lock
		if err != nil || h.inline() {
			continue
		}
		if _, fits := s.inlineHeader(*h, value); !fits {
			continue
		}
		if err := s.writeRecord(ctx, key, value); err != nil {
			return
		}
	}
}
