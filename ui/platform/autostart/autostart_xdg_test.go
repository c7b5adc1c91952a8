//go:build !windows && !darwin

package autostart

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens/testenv"
)

// Enable writes the XDG autostart file, Get reports it, Disable removes it
// and leaves other autostart entries alone.
func TestXDGEnableStatusDisable(t *testing.T) {
	cfg := testenv.TempDir(t)
	t.Setenv("XDG_CONFIG_HOME", cfg)
	other := filepath.Join(cfg, "autostart", "other.desktop")
	if err := os.MkdirAll(filepath.Dir(other), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, []byte("[Desktop Entry]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := Entry{Name: "Tokentray", ID: "io.github.tokentray", Command: []string{"/opt/tokentray/tokentray"}}
	path := filepath.Join(cfg, "autostart", "io.github.tokentray.desktop")

	if st, err := Get(e); err != nil || st.Enabled || st.Where != path {
		t.Fatalf("before Enable: %+v, %v", st, err)
	}
	if err := Enable(e); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\nExec=/opt/tokentray/tokentray\n") {
		t.Fatalf("autostart file:\n%s", data)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	st, err := Get(e)
	if err != nil || !st.Enabled || !st.Current || st.Command != "/opt/tokentray/tokentray" {
		t.Fatalf("after Enable: %+v, %v", st, err)
	}

	// The program moved: still on, but no longer current; Enable rewrites.
	moved := e
	moved.Command = []string{"/usr/local/bin/tokentray"}
	if st, _ := Get(moved); !st.Enabled || st.Current {
		t.Fatalf("after a move: %+v", st)
	}
	if err := Enable(moved); err != nil {
		t.Fatal(err)
	}
	if st, _ := Get(moved); !st.Current {
		t.Fatalf("after re-enabling: %+v", st)
	}

	if err := Disable(e); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("autostart file still there: %v", err)
	}
	if err := Disable(e); err != nil {
		t.Fatalf("second Disable: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("another app's autostart file went away: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(cfg, "autostart", ".tokentray-autostart-*"))
	if len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

// Without XDG_CONFIG_HOME (or with a relative one, which the spec says to
// ignore) the file goes to ~/.config/autostart.
func TestXDGDefaultsToHomeConfig(t *testing.T) {
	home := testenv.TempDir(t)
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "relative/dir")
	got, err := desktopPath("io.github.tokentray")
	if want := filepath.Join(home, ".config", "autostart", "io.github.tokentray.desktop"); err != nil || got != want {
		t.Fatalf("desktopPath = %s, %v; want %s", got, err, want)
	}
}
