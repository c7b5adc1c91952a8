package keyring

import (
	"context"
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
		return nil, s.companionErr("refresh token", name, err)
	}
	raw, _, err := s.readRecord(ctx, refreshKey(name))
	if err != nil {
		return nil, s.companionErr("refresh token", name, err)
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

// SaveRefresh implements tokens.RefreshStore.
func (s *keyringStore) SaveRefresh(ctx context.Context, name string, r *tokens.RefreshToken) error {
	raw, err := tokens.EncodeRefresh(r)
	if err != nil {
		return err
	}
	return s.saveCompanion(ctx, "refresh token", name, refreshKey(name), raw)
}

// DeleteRefresh implements tokens.RefreshStore.
func (s *keyringStore) DeleteRefresh(ctx context.Context, name string) error {
	return s.deleteCompanion(ctx, "refresh token", name, refreshKey(name), false)
}
