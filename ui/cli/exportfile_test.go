package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens/testenv"
)

// TestExportWithSecretsOverAnExistingFile: a file left by an earlier
// `export > FILE` under umask 022 is 0644; `export --with-secrets FILE`
// must not write the secrets into it as it is (it did: the mode stayed
// 0644), and a symlink at FILE must not lead the secrets elsewhere.
func TestExportWithSecretsOverAnExistingFile(t *testing.T) {
	testenv.SkipUnlessLinux(t, "file modes and symlinks")
	h := newHarness(t)
	h.mustRun(secret, "add", "one", "--token-url", "https://a.example/t", "--client-id", "c1")
	dir := testenv.TempDir(t)

	file := filepath.Join(dir, "profiles.json")
	if err := os.WriteFile(file, []byte("an earlier export\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(file, 0o644); err != nil { // whatever the test's umask
		t.Fatal(err)
	}
	if code, _, errs := h.run("", "export", "--with-secrets", file); code != 0 {
		t.Fatalf("export over an existing file: exit %d, %s", code, errs)
	}
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("the export with secrets is %v, want -rw-------", fi.Mode())
	}
	if b, _ := os.ReadFile(file); !strings.Contains(string(b), secret) {
		t.Errorf("the export lacks the secret: %s", b)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}

	// A symlink at the target is refused, and what it points to is untouched.
	victim := filepath.Join(dir, "victim.txt")
	if err := os.WriteFile(victim, []byte("keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	code, _, errs := h.run("", "export", "--with-secrets", link)
	if code == 0 || !strings.Contains(errs, "symbolic link") {
		t.Errorf("export to a symlink: exit %d, stderr %q; want it refused", code, errs)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep me\n" {
		t.Errorf("the symlink's target was written: %q", b)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced: %v %v", fi, err)
	}

	// A hard link to another file would share its inode: renaming over it
	// leaves the other file alone.
	other := filepath.Join(dir, "other.txt")
	if err := os.WriteFile(other, []byte("other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.json")
	if err := os.Link(other, hard); err != nil {
		t.Fatal(err)
	}
	h.mustRun("", "export", "--with-secrets", hard)
	if b, _ := os.ReadFile(other); string(b) != "other\n" {
		t.Errorf("the secrets went into a hard-linked file: %q", b)
	}
}
