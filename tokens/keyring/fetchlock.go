package keyring

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// The keyring store's cross-process fetch locks (see tokens/sharedfetch.go): one
// advisory lock file per profile beside the service's write lock, named by
// a hash of the profile name so any name makes a safe file name. The files
// hold nothing and are never removed (removing a lock file another process
// may be about to lock would split the lock in two).

// LockFetch implements FetchLocker: it takes the named profile's fetch lock,
// shared by every process using this keyring service, waiting until it is
// free or ctx ends. A store over an in-process keyring (tests) has no other
// process to share with and returns at once.
func (s *keyringStore) LockFetch(ctx context.Context, name string) (func(), error) {
	if s.fetchLocks == nil {
		return func() {}, nil
	}
	l, err := s.fetchLocks(name)
	if err != nil {
		return nil, err
	}
	return l.lock(ctx)
}

// fetchLockFor returns the fetch lock of a profile of a keyring service.
func fetchLockFor(service, name string) (writeLock, error) {
	sum := sha256.Sum256([]byte(name))
	path, err := RuntimePath(service, ".fetch-"+hex.EncodeToString(sum[:8])+".lock")
	if err != nil {
		return nil, fmt.Errorf("fetch lock of profile %q: %w", name, err)
	}
	return &fileLock{path: path}, nil
}
