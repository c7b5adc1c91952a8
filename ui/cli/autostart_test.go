package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens/testenv"
)

// `autostart on|status|off` through the command line writes, reports and
// removes the XDG autostart file of this program. The Windows Run value is
// checked under Wine by `make test-windows` (wine reg query).
func TestAutostartOnStatusOff(t *testing.T) {
	testenv.SkipUnlessLinux(t, "the XDG autostart file under a temporary XDG_CONFIG_HOME (elsewhere this would change the user's real login items)")
	cfg := testenv.TempDir(t)
	t.Setenv("XDG_CONFIG_HOME", cfg)
	path := filepath.Join(cfg, "autostart", "io.github.tokentray.desktop")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	exe, _ = filepath.EvalSymlinks(exe)
	h := newHarness(t)

	if out := h.mustRun("", "autostart", "status"); out != "off\n" {
		t.Fatalf("status before: %q", out)
	}
	if out := h.mustRun("", "autostart", "on"); !strings.Contains(out, path) {
		t.Fatalf("on: %q does not name %s", out, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\nExec="+exe+"\n") {
		t.Fatalf("autostart file does not start %s:\n%s", exe, data)
	}
	if out := h.mustRun("", "autostart", "status"); out != "on: "+path+" starts "+exe+"\n" {
		t.Fatalf("status after on: %q", out)
	}
	h.mustRun("", "autostart", "off")
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("autostart file left after off: %v", err)
	}
	if out := h.mustRun("", "autostart", "status"); out != "off\n" {
		t.Fatalf("status after off: %q", out)
	}
	for _, args := range [][]string{{"autostart"}, {"autostart", "yes"}, {"autostart", "on", "extra"}} {
		if code, _, errs := h.run("", args...); code != ExitUsage || errs == "" {
			t.Errorf("%q: exit %d, stderr %q; want a usage error", args, code, errs)
		}
	}
}
