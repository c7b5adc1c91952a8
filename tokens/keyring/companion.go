package keyring

import (
	"context"
	"errors"
	"fmt"

	"github.com/tokentray/tokentray/tokens"
)

// A profile's companion items: its cached access token (tokenKey) and a
// sign-in's refresh token (refreshKey). Each is read, written and deleted
// the same way; what names the item in errors ("token", "refresh token").

// companionErr is the error of reading a profile's companion item: not
// found wraps tokens.ErrNotFound, a store-wide failure stays as it is, and
// anything else is the profile's own (*tokens.ProfileError).
func (s *keyringStore) companionErr(what, name string, err error) error {
	if errors.Is(err, errItemNotFound) {
		return fmt.Errorf("%s of profile %q: %w", what, name, tokens.ErrNotFound)
	}
	if storeWide(err) {
		return err
	}
	return &tokens.ProfileError{Name: name, Err: err}
}

// saveCompanion writes raw as profile name's companion item key, under the
// write lock, if the profile exists (else an error wrapping
// tokens.ErrNotFound). Its header is enough to know it does: the item
// carries the fingerprint it was made for.
func (s *keyringStore) saveCompanion(ctx context.Context, what, name, key, raw string) error {
	s.sh.mu.Lock()
	defer s.sh.mu.Unlock()
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return wrap(err, "saving %s of profile %q", what, name)
	}
	defer unlock()
	_, err = s.readHeader(ctx, profileKey(name))
	if errors.Is(err, errItemNotFound) {
		return fmt.Errorf("saving %s of profile %q: %w", what, name, tokens.ErrNotFound)
	}
	if err != nil {
		return wrap(err, "saving %s of profile %q", what, name)
	}
	if err := s.writeRecord(ctx, key, raw); err != nil {
		return wrap(err, "saving %s of profile %q", what, name)
	}
	return nil
}

// deleteCompanion deletes profile name's companion item key under the
// write lock; stamp replaces the change stamp too (a dropped access token
// must stop the running app's answers).
func (s *keyringStore) deleteCompanion(ctx context.Context, what, name, key string, stamp bool) error {
	s.sh.mu.Lock()
	defer s.sh.mu.Unlock()
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return wrap(err, "deleting %s of profile %q", what, name)
	}
	defer unlock()
	if stamp {
		defer s.stamp()
	}
	if _, err := s.deleteRecord(ctx, key); err != nil {
		return wrap(err, "deleting %s of profile %q", what, name)
	}
	return nil
}
