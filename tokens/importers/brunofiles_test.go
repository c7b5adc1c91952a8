package importers

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens/testenv"
)

// A Bruno collection reads only regular files inside its folder: links
// (to another collection's environment, or inside the folder) and paths
// leaving the folder are refused.
func TestBrunoSymlinks(t *testing.T) {
	testenv.SkipUnlessLinux(t, "symbolic links need no privilege on Linux")
	base := testenv.TempDir(t)
	victim := filepath.Join(base, "victim")
	writeFile(t, victim, "environments/Prod.bru", "vars {\n  client_id: victim\n}\nvars:secret [\n  nothing\n]\n")
	writeFile(t, victim, "bruno.json", `{"name":"Victim"}`)
	for _, c := range []struct {
		name  string
		setup func(root string) error
		env   string
		want  error
	}{
		{"environment linked outside", func(root string) error {
			os.Remove(filepath.Join(root, "environments", "Dev.bru"))
			return os.Symlink(filepath.Join(victim, "environments", "Prod.bru"), filepath.Join(root, "environments", "Dev.bru"))
		}, "", ErrSymlink},
		{"environment linked inside", func(root string) error {
			os.Rename(filepath.Join(root, "environments", "Dev.bru"), filepath.Join(root, "Dev.env"))
			return os.Symlink("../Dev.env", filepath.Join(root, "environments", "Dev.bru"))
		}, "Dev", ErrSymlink},
		{"environments folder linked", func(root string) error {
			os.RemoveAll(filepath.Join(root, "environments"))
			return os.Symlink(filepath.Join(victim, "environments"), filepath.Join(root, "environments"))
		}, "Prod", ErrSymlink},
		{"environment name leaving the folder", func(root string) error { return nil }, "../../victim/environments/Prod", nil},
		{"bruno.json linked", func(root string) error {
			os.Remove(filepath.Join(root, "bruno.json"))
			return os.Symlink(filepath.Join(victim, "bruno.json"), filepath.Join(root, "bruno.json"))
		}, "", ErrSymlink},
		{"folder.bru linked", func(root string) error {
			os.Remove(filepath.Join(root, "Payments", "folder.bru"))
			return os.Symlink(filepath.Join(root, "collection.bru"), filepath.Join(root, "Payments", "folder.bru"))
		}, "", ErrSymlink},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := filepath.Join(base, strings.ReplaceAll(c.name, " ", "-"), "coll")
			if err := os.CopyFS(root, os.DirFS("testdata/bruno/own-edge")); err != nil {
				t.Fatal(err)
			}
			if err := c.setup(root); err != nil {
				t.Fatal(err)
			}
			r, err := Read(Bruno, root, Options{Environment: c.env})
			if err == nil || (c.want != nil && !errors.Is(err, c.want)) {
				t.Fatalf("Read: %v %+v", err, r)
			}
			t.Log(err)
		})
	}
	// A link to a folder is not followed; the collection reads without it.
	root := filepath.Join(base, "dirlink")
	if err := os.CopyFS(root, os.DirFS("testdata/bruno/own-edge")); err != nil {
		t.Fatal(err)
	}
	os.Symlink(filepath.Join(base, "victim"), filepath.Join(root, "Linked"))
	if r := mustRead(t, Bruno, root, ""); len(r.Candidates) != 2 {
		t.Fatalf("%+v", r)
	}
}
