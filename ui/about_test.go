package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/tokentray/tokentray/ui/buildinfo"
)

// The window's About shows what `tokentray --version` prints.
func TestAboutShowsTheVersion(t *testing.T) {
	_, m := openWindow(t, freshState("dev-api", token("T", t0, time.Hour)))
	test.Tap(m.aboutBtn)
	if m.dlg == nil {
		t.Fatal("About opened no dialog")
	}
	in := buildinfo.Info{Version: "1.2.3", Commit: "abc123", Date: "2026-12-06T10:00:00Z", GoVersion: "go1.26.8", Platform: "linux/amd64", FyneVersion: "v2.7.1"}
	l := aboutContent(in)
	if l.Text != in.String() || !strings.Contains(l.Text, "tokentray 1.2.3") || !l.Selectable {
		t.Errorf("About says %q (selectable %v), want the --version text %q", l.Text, l.Selectable, in.String())
	}
}
