package keyring

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/tokentray/tokentray/tokens"
)

// The refresh tokens (tokens.RefreshStore): one record per signed-in
// profile, apart from its access token, so a reader of the token cache
// (every `tokentray token`) never decodes a refresh token.
//
//	refresh/NAME               record: {"v":1,"refresh":{…RefreshToken JSON…}}
//
// Delete removes it with the profile's other records.

func refreshKey(name string) string { return "refresh/" + url.PathEscape(name) }

// LoadRefresh implements tokens.RefreshStore. The refresh token is
// returned only when it was stored for the stored profile's sign-in
// (RefreshToken.For).
func (s *keyringStore) LoadRefresh(ctx context.Context, name string) (*tokens.RefreshToken, error) {
	s.sh.mu.Lock()
	defer s.sh.mu.Unlock()
	p, _, err := s.readProfile(ctx, name)
	if err != nil {
		return nil, s.refreshErr(name, err)
	}
	raw, _, err := s.readRecord(ctx, refreshKey(name))
	if err != nil {
		return nil, s.refreshErr(name, err)
	}
	r, err := tokens.DecodeRefresh(raw)
	if err != nil {
		return nil, &tokens.ProfileError{Name: name, Err: corrupt(refreshKey(name), "%v", err)}
	}
	if !r.For(p) {
		return nil, fmt.Errorf("refresh token of profile %q is for another sign-in: %w", name, tokens.ErrNotFound)
	}
	return r, nil
}

func (s *keyringStore) refreshErr(name string, err error) error {
	if errors.Is(err, errItemNotFound) {
		return fmt.Errorf("refresh token of profile %q: %w", name, tokens.ErrNotFound)
	}
	if storeWide(err) {
		return err
	}
	return &tokens.ProfileError{Name: name, Err: err}
}

// SaveRefresh implements tokens.RefreshStore.
func (s *keyringStore) SaveRefresh(ctx context.Context, name string, r *tokens.RefreshToken) error {
	raw, err := tokens.EncodeRefresh(r)
	if err != nil {
		return err
	}
	s.sh.mu.Lock()
	defer s.sh.mu.Unlock()
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return wrap(err, "saving refresh token of profile %q", name)
	}
	defer unlock()
	_, err = s.readHeader(ctx, profileKey(name))
	if errors.Is(err, errItemNotFound) {
		return fmt.Errorf("saving refresh token of profile %q: %w", name, tokens.ErrNotFound)
	}
	if err != nil {
		return wrap(err, "saving refresh token of profile %q", name)
	}
	if err := s.writeRecord(ctx, refreshKey(name), raw); err != nil {
		return wrap(err, "saving refresh token of profile %q", name)
	}
	return nil
}

// DeleteRefresh implements tokens.RefreshStore.
func (s *keyringStore) DeleteRefresh(ctx context.Context, name string) error {
	s.sh.mu.Lock()
	defer s.sh.mu.Unlock()
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return wrap(err, "deleting refresh token of profile %q", name)
	}
	defer unlock()
	if _, err := s.deleteRecord(ctx, refreshKey(name)); err != nil {
		return wrap(err, "deleting refresh token of profile %q", name)
	}
	return nil
}
