package keyring

import (
	"context"
	"errors"
)

// ErrLocked is returned by ProfileNames when the keyring is locked: it
// reads nothing rather than ask for the password.
var ErrLocked = errors.New("the keyring is locked")

// lockProber is the optional part of a keyringAPI that tells, without
// unlocking anything, whether reading an item would ask for the keyring's
// password.
type lockProber interface {
	Locked() (bool, error)
}

// ProfileNames returns the names in the store's profile index, for shell
// completion. It reads the index item only, never a profile, a token or a
// secret, and never unlocks: when the keyring is locked (a Secret Service
// collection whose password was not given yet) it returns ErrLocked at
// once instead of making the keyring show an unlock prompt. Each keyring
// call is bounded by the store's Timeout and by ctx. A missing index is
// an empty list. Safe for concurrent use.
func (s *keyringStore) ProfileNames(ctx context.Context) ([]string, error) {
	if p, ok := s.api.(lockProber); ok {
		v, err := s.call(ctx, "probe", "collection", func() (string, error) {
			locked, err := p.Locked()
			if locked {
				return "locked", err
			}
			return "", err
		})
		if err != nil {
			return nil, err
		}
		if v == "locked" {
			return nil, ErrLocked
		}
	}
	s.sh.mu.Lock()
	defer s.sh.mu.Unlock()
	return s.readIndex(ctx)
}
