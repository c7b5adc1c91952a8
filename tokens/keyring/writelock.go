package keyring

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// Writes to one keyring service are serialised across processes by an
// advisory lock on an empty file: the tray app refreshing a token and a
// script running `tokentray token` at the same moment must not interleave
// the chunks of one record, and two processes adding profiles must not each
// write an index missing the other's name. Within a process serviceLock
// already orders operations; the file lock is taken after it, for each
// writing operation (Save, Delete, SaveToken). Reads take no lock: a record
// replaced while being read is read again (see chunk.go).
//
// The lock file holds nothing and lives where RuntimePath says: never in a
// shared temporary directory, where another user could hold it.

// writeLock is a cross-process exclusive lock. lock blocks until the lock is
// held or ctx ends, and returns the function that releases it.
type writeLock interface {
	lock(ctx context.Context) (unlock func(), err error)
}

// fileLock locks path with the platform's advisory file lock (flock on
// unix, LockFileEx on Windows). Locks of two opens of one file exclude each
// other even within a process.
type fileLock struct {
	path string
}

// newServiceWriteLock returns the write lock of a keyring service. Without
// a directory to put it in (no $XDG_RUNTIME_DIR and no home directory) the
// returned lock fails every write with that error rather than risk one.
func newServiceWriteLock(service string) writeLock {
	path, err := RuntimePath(service, ".lock")
	if err != nil {
		return noLockDir{fmt.Errorf("keyring write lock: %w", err)}
	}
	return &fileLock{path: path}
}

// RuntimePath returns the path of a per-user runtime file of a keyring
// service ("" is DefaultService), such as its write lock or the
// running app's socket: "tokentray-HASH"+suffix in $XDG_RUNTIME_DIR on Linux
// when set, else in os.UserCacheDir()/tokentray, never in a shared
// temporary directory. These files never hold secrets. The directory may not
// exist yet; create it with mode 0700.
func RuntimePath(service, suffix string) (string, error) {
	if service == "" {
		service = DefaultService
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if runtime.GOOS != "linux" || dir == "" || !isDir(dir) {
		cache, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(cache, "tokentray")
	}
	sum := sha256.Sum256([]byte(service))
	return filepath.Join(dir, "tokentray-"+hex.EncodeToString(sum[:8])+suffix), nil
}

// noLockDir is the write lock when there is nowhere to keep the lock file.
type noLockDir struct{ err error }

func (n noLockDir) lock(context.Context) (func(), error) { return nil, n.err }

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// lockPoll is how often a busy lock is tried again: writes take
// milliseconds, so a waiter is not kept long after the holder is done.
const lockPoll = 5 * time.Millisecond

func (l *fileLock) lock(ctx context.Context) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(l.path), 0o700); err != nil {
		return nil, fmt.Errorf("keyring write lock: %w", err)
	}
	f, err := os.OpenFile(l.path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("keyring write lock: %w", err)
	}
	for {
		ok, err := tryLockFile(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("keyring write lock %s: %w", l.path, err)
		}
		if ok {
			// Closing the file releases the lock.
			return func() { f.Close() }, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

// lockWrites takes the store's cross-process write lock, if it has one,
// waiting at most the store's timeout. The caller holds s.sh.mu.
func (s *keyringStore) lockWrites(ctx context.Context) (func(), error) {
	if s.writes == nil {
		return func() {}, nil
	}
	wctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	unlock, err := s.writes.lock(wctx)
	switch {
	case err == nil:
		return unlock, nil
	case ctx.Err() != nil:
		return nil, fmt.Errorf("keyring write lock: %w", ctx.Err())
	case errors.Is(err, context.DeadlineExceeded):
		return nil, fmt.Errorf("%w: %w for more than %s", tokens.ErrKeyringTimeout, tokens.ErrKeyringBusy, s.timeout)
	}
	return nil, err
}
