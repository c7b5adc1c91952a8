package tokens

import (
	"context"
	"errors"
	"fmt"
)

// Store keeps profiles (secrets included) and their current tokens.
// Implementations must be safe for concurrent use; writes are serialised
// and each leaves either the old or the new profile, never a mix.
type Store interface {
	// Load returns every readable profile, sorted by name. A profile that
	// cannot be read is reported in broken, naming it, while the others
	// load. err is for the store as a whole (e.g. ErrKeyringUnavailable).
	Load(ctx context.Context) (profiles []Profile, broken []*ProfileError, err error)
	// Save creates or replaces the profile named p.Name. It does not validate;
	// callers do.
	Save(ctx context.Context, p Profile) error
	// Delete removes the profile and its cached token. Deleting a missing
	// profile returns an error wrapping ErrNotFound.
	Delete(ctx context.Context, name string) error
	TokenCache
}

// TokenCache persists the current token of each profile so a restart reuses
// a still-valid token. Implementations must be safe for concurrent use.
type TokenCache interface {
	// LoadToken returns the cached token, or an error wrapping ErrNotFound.
	LoadToken(ctx context.Context, name string) (*Token, error)
	// SaveToken stores t as the profile's current token.
	SaveToken(ctx context.Context, name string, t *Token) error
}

// ErrNotFound is wrapped by store errors for a missing profile or token.
var ErrNotFound = errors.New("not found")

// ProfileError names a profile that could not be read and why.
type ProfileError struct {
	Name string
	Err  error
}

func (e *ProfileError) Error() string { return fmt.Sprintf("profile %q: %v", e.Name, e.Err) }
func (e *ProfileError) Unwrap() error { return e.Err }
