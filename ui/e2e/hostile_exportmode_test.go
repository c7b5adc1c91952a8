//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestExportWithSecretsNeverLeavesAReadableFile: after `export > FILE`
// under umask 022 (a 0644 file), `export --with-secrets FILE` with the
// real binary leaves FILE 0600 with the secrets (before: still 0644), and
// a symlink at FILE is refused with its target untouched.
func TestExportWithSecretsNeverLeavesAReadableFile(t *testing.T) {
	requireSession(t, "secret-tool")
	u := newCLIUser(t)
	secret := "cs-" + randomHex(16)
	u.mustRun(secret, "add", "api", "--token-url", "https://auth.example.com/token", "--client-id", "c")
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)

	file := filepath.Join(t.TempDir(), "profiles.json")
	if err := os.WriteFile(file, []byte(u.mustRun("", "export")), 0o666); err != nil { // as `export > FILE` does
		t.Fatal(err)
	}
	u.mustRun("", "export", "--with-secrets", file)
	fi, err := os.Stat(file)
	if data, _ := os.ReadFile(file); err != nil || fi.Mode().Perm() != 0o600 || !strings.Contains(string(data), secret) {
		t.Fatalf("export --with-secrets over a 0644 file: %v, %v", fi.Mode(), err)
	}

	victim := filepath.Join(t.TempDir(), "elsewhere.txt")
	os.WriteFile(victim, []byte("untouched"), 0o644)
	link := filepath.Join(filepath.Dir(file), "link.json")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := u.run("", "export", "--with-secrets", link); code == 0 || !strings.Contains(errs, "symbolic link") {
		t.Errorf("export to a symlink: exit %d, %q", code, errs)
	}
	if data, _ := os.ReadFile(victim); string(data) != "untouched" {
		t.Errorf("the symlink's target holds %q", data)
	}
}
