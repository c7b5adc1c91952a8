package importers

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// ErrSymlink is wrapped when a file a collection is read from is a
// symbolic link. A Bruno collection is often a shared Git repository: a
// link in it could make its environment another collection's, secrets
// and all, bound to the shared collection's token URL.
var ErrSymlink = errors.New("Tokentray reads only regular files inside the collection, not symbolic links")

// collectionDir is a Bruno collection's folder, opened as an os.Root: no
// path read through it can leave the folder, whatever links or ".." it
// holds. Links inside the folder are refused too, for simplicity: a
// collection has no need of them.
type collectionDir struct {
	path string // as the user gave it, for messages
	root *os.Root
}

func openCollection(path string) (collectionDir, error) {
	root, err := os.OpenRoot(path)
	if err != nil {
		return collectionDir{}, err
	}
	return collectionDir{path: path, root: root}, nil
}

// Close releases the folder.
func (d collectionDir) Close() error { return d.root.Close() }

// linked is the error for rel (relative to the folder) being a link.
func (d collectionDir) linked(rel string) error {
	return fmt.Errorf("%s is a symbolic link: %w", filepath.ToSlash(rel), ErrSymlink)
}

// read reads the regular file at rel, no larger than limit.
func (d collectionDir) read(rel string, limit int64) ([]byte, error) {
	st, err := d.root.Lstat(rel)
	if err != nil {
		return nil, err
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		return nil, d.linked(rel)
	}
	f, err := d.root.Open(rel)
	if err != nil {
		return nil, err
	}
	return readOpenFile(f, filepath.Join(d.path, rel), limit)
}

// environments names the environments (environments/NAME.bru), sorted;
// none when there is no such folder.
func (d collectionDir) environments() ([]string, error) {
	st, err := d.root.Lstat("environments")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	case st.Mode()&fs.ModeSymlink != 0:
		return nil, d.linked("environments")
	case !st.IsDir():
		return nil, nil
	}
	entries, err := fs.ReadDir(d.root.FS(), "environments")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".bru") {
			names = append(names, strings.TrimSuffix(e.Name(), ".bru"))
		}
	}
	return names, nil
}

// walk lists the collection's .bru files (environments excluded), sorted,
// within the folder limits. Folders that are links are not followed; a
// .bru file that is a link is refused.
func (d collectionDir) walk() ([]string, error) {
	var files []string
	var total int64
	seen := 0
	err := fs.WalkDir(d.root.FS(), ".", func(rel string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if rel != "." && (strings.HasPrefix(e.Name(), ".") || e.Name() == "node_modules" || rel == "environments") {
				return fs.SkipDir
			}
			if strings.Count(rel, "/") >= MaxFolderDepth {
				return fmt.Errorf("%s: folders nested deeper than %d: %w", rel, MaxFolderDepth, ErrTooLarge)
			}
			return nil
		}
		if seen++; seen > MaxFolderFiles {
			return fmt.Errorf("more than %d files in %s: %w", MaxFolderFiles, d.path, ErrTooLarge)
		}
		if !strings.HasSuffix(e.Name(), ".bru") {
			return nil
		}
		if e.Type()&fs.ModeSymlink != 0 {
			return d.linked(rel)
		}
		if !e.Type().IsRegular() {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		if total += info.Size(); total > MaxFolderBytes {
			return fmt.Errorf("the .bru files of %s pass %d bytes: %w", d.path, MaxFolderBytes, ErrTooLarge)
		}
		files = append(files, filepath.FromSlash(rel))
		return nil
	})
	if err != nil {
		return nil, err
	}
	// collection.bru first, then folders before their requests.
	slices.SortStableFunc(files, func(a, b string) int {
		return strings.Compare(brunoSortKey(a), brunoSortKey(b))
	})
	return files, nil
}

func brunoSortKey(rel string) string {
	rel = filepath.ToSlash(rel)
	switch path.Base(rel) {
	case "collection.bru":
		return "\x00"
	case "folder.bru":
		return path.Dir(rel) + "/\x00"
	}
	return rel
}
