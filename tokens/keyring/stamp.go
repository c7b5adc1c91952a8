package keyring

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// The change stamp of a keyring service: a small file beside the write
// lock (RuntimePath(service, ".stamp")) that every write that must stop a
// running tray app from handing out a token it holds in memory replaces
// with a new random value, under the cross-process write lock: a profile
// saved or deleted, a token deleted (revoked), the index repaired. A token
// saved (a refresh) does not: the token in memory stays good while it is
// valid. The tray app notes the stamp when it reads the keyring and answers
// the command line from memory only while the stamp is unchanged (see
// ui/platform/instance and wire.go), so a process that changed the keyring while
// the app was not told, or before the app caught up, is never answered
// with what the keyring no longer holds. The file holds no secret.

// ChangeStamp returns the current change stamp of service ("" is
// DefaultService): "" when no change was stamped yet. A stamp that cannot
// be read is an error; callers treat it as "changed".
func ChangeStamp(service string) (string, error) {
	path, err := RuntimePath(service, ".stamp")
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	return string(b), err
}

// stamp replaces the change stamp after a write (see above). The caller
// holds the write lock. Best effort: a stamp that cannot be written is
// removed, which a reader that noted a value sees as a change too.
func (s *keyringStore) stamp() {
	if s.stampPath == "" {
		return
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	if err := os.MkdirAll(filepath.Dir(s.stampPath), 0o700); err == nil {
		tmp := s.stampPath + ".tmp"
		if err = os.WriteFile(tmp, []byte(hex.EncodeToString(b)), 0o600); err == nil {
			if err = os.Rename(tmp, s.stampPath); err == nil {
				return
			}
		}
	}
	_ = os.Remove(s.stampPath)
}
