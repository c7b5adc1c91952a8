package ui

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/tokentray/tokentray/ui/platform/autostart"
)

// The check box shows the registration found on disk, writes and removes
// the XDG autostart file when clicked, and reverts when the change fails.
func TestAutostartCheck(t *testing.T) {
	test.NewTempApp(t)
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	e := autostart.Entry{Name: "Tokentray", ID: "io.github.tokentray", Command: []string{"/opt/tokentray/tokentray"}}
	path := filepath.Join(cfg, "autostart", "io.github.tokentray.desktop")
	var failures []error

	check := newAutostartCheck(e, func(err error) { failures = append(failures, err) })
	if check.Checked {
		t.Fatal("checked with no autostart file")
	}
	test.Tap(check)
	if _, err := os.Stat(path); err != nil || !check.Checked {
		t.Fatalf("after a click: checked %v, file %v", check.Checked, err)
	}
	if again := newAutostartCheck(e, nil); !again.Checked {
		t.Fatal("a new window does not show the existing registration")
	}
	test.Tap(check)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) || check.Checked {
		t.Fatalf("after a second click: checked %v, file %v", check.Checked, err)
	}

	// A folder where the autostart file would go: Enable fails.
	if err := os.MkdirAll(path, 0o755); err != nil {
		t.Fatal(err)
	}
	test.Tap(check)
	if check.Checked || len(failures) != 1 {
		t.Fatalf("after a failed change: checked %v, failures %v", check.Checked, failures)
	}
}
