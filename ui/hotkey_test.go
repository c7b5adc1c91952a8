package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/tokentray/tokentray/ui/explain"
	"github.com/tokentray/tokentray/ui/platform/hotkey"
)

// TestHotkeySettingGrabsAndOpensPicker: the window's setting grabs the
// hotkey, a press opens the picker, unticking releases it, and a key taken
// by another program is said next to the setting.
func TestHotkeySettingGrabsAndOpensPicker(t *testing.T) {
	h := newHarness(t, Options{})
	var press func()
	grabs, stops := 0, 0
	var fail error
	h.c.hotkeySupported = func() bool { return true }
	h.c.hotkey = func(onPress func()) (func(), error) {
		if fail != nil {
			return nil, fail
		}
		grabs++
		press = onPress
		return func() { stops++ }, nil
	}
	h.c.load.loading = false
	h.publish(freshState("dev-api", token("tok", t0, time.Hour)))
	h.c.showManage()
	check, note := h.c.win.newHotkeySetting()
	test.Tap(check)
	if grabs != 1 || press == nil {
		t.Fatalf("ticking the setting grabbed %d times", grabs)
	}
	press() // from the X event goroutine
	h.settle()
	if h.c.picker == nil {
		t.Fatal("the hotkey did not open the picker")
	}
	test.Tap(check)
	if stops != 1 {
		t.Errorf("unticking released %d times", stops)
	}
	fail = hotkey.ErrTaken
	test.Tap(check)
	if !note.Visible() || note.Text != explain.Sentence(explain.WithPeriod(hotkey.ErrTaken.Error())) {
		t.Errorf("note %v %q", note.Visible(), note.Text)
	}
}
