// Package testenv says what a test needs of its environment, for the tests
// of every package (tokens and ui alike). Use it only from _test.go files:
//
//   - RequireSession(t, hint) needs the private desktop session of
//     .ci/session (D-Bus, a real Secret Service, an X display): it skips
//     outside it, and fails when CI is set (see session.go).
//   - SkipUnlessLinux(t, why) skips a test of Linux behaviour (D-Bus error
//     text, secret-tool, Unix file modes) elsewhere, naming what it needs,
//     so the pure packages' tests run on Linux, on Windows and under Wine
//     (`make test-windows` compiles them with GOOS=windows and runs them
//     with wine).
//   - TempDir(t) is t.TempDir() that Wine 8 can clean up.
//   - Clock is a settable clock for simulated time; SignedJWT a JWT as a
//     server would issue it.
package testenv

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// SkipUnlessLinux skips t on every OS but Linux. why names the Linux part
// the test relies on; the skip message reads "Linux only: why".
func SkipUnlessLinux(t testing.TB, why string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skipf("Linux only: %s (this is %s)", why, runtime.GOOS)
	}
}

// TempDir is t.TempDir(), but on Windows the folder and everything in it
// are removed one by one before the testing package's own cleanup runs. That cleanup uses
// os.RemoveAll, which since Go 1.25 deletes through
// FileDispositionInformationEx; Wine 8 answers STATUS_NOT_IMPLEMENTED,
// which Go does not fall back from, so every test leaving a file in
// t.TempDir() would fail under Wine. Real Windows needs none of this.
func TempDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if runtime.GOOS == "windows" {
		// Cleanups run last-in first-out: this one before t.TempDir's.
		t.Cleanup(func() { removeTree(dir) })
	}
	return dir
}

// removeTree removes dir and everything below it with os.Remove (DeleteFile and
// RemoveDirectory on Windows), deepest first, ignoring errors: whatever is
// left makes the testing package's cleanup report it.
func removeTree(dir string) {
	var paths []string
	_ = filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err == nil {
			paths = append(paths, p)
		}
		return nil
	})
	for _, p := range slices.Backward(paths) {
		_ = os.Remove(p)
	}
}
