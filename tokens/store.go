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

// ErrKeyringUnavailable is wrapped by every store error caused by the OS
// keyring being unreachable: no D-Bus session bus, no Secret Service on it,
// an unsupported platform. The wrapping error names the cause. There is no
// fallback to a file: profiles hold secrets.
var ErrKeyringUnavailable = errors.New("OS keyring unavailable")

// ErrKeyringTimeout is wrapped when one keyring call did not answer within
// the store's timeout (keyring.Options.Timeout), for example because an
// unlock prompt was left unanswered or the keyring daemon hangs. The operation is abandoned at a
// point where the stored data is still consistent.
var ErrKeyringTimeout = errors.New("OS keyring did not answer in time")

// ErrKeyringLocked is wrapped when the OS keyring answered but refused to
// give up or take an item because it is locked: the Secret Service said
// IsLocked, or its unlock prompt was dismissed. The person at the desktop
// can unlock it (explain words what to do); retrying without that fails
// again.
var ErrKeyringLocked = errors.New("OS keyring is locked")

// ErrCorruptItem is wrapped when a keyring item of the store holds something
// the store did not write or cannot read back (bad JSON, a missing or altered
// chunk, an unknown format version). Load reports it per profile.
var ErrCorruptItem = errors.New("keyring item is corrupt")

// ErrKeyringBusy is wrapped, together with ErrKeyringTimeout, when a write
// waited longer than the store's timeout for another process (another
// Tokentray, or its command line) to finish writing to the same service.
// Nothing was written.
var ErrKeyringBusy = errors.New("another process is writing to the keyring")
