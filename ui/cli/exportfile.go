package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// errNotRegularFile is returned by writePrivateFile for a target that is
// a symbolic link or not a regular file.
var errNotRegularFile = errors.New("is a symbolic link or not a regular file; give a new file name or a regular file to replace")

// writePrivateFile writes data to path readable by the owner only (0600,
// whatever mode and links a file already at path has): into a new 0600
// temporary file in the same directory, synced, then renamed over path.
// os.WriteFile would keep an existing file's mode (0644 after an earlier
// `export > FILE`) and follow a symbolic link. A symlink or a non-regular
// file at path is refused, and nothing is written. A hard link at path is
// replaced, so the file it shares an inode with keeps its content.
func writePrivateFile(path string, data []byte) (err error) {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("%s %w", path, errNotRegularFile)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp") // 0600
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
