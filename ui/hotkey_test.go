package ui

import (
	"os"
	"os/exec"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
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
	fail = errHotkeyTaken
	test.Tap(check)
	if !note.Visible() || note.Text != sentence(withPeriod(errHotkeyTaken.Error())) {
		t.Errorf("note %v %q", note.Visible(), note.Text)
	}
}

// TestX11HotkeyGrab presses Ctrl+Alt+K with xdotool on the session's X
// server (Xvfb) and expects the grab to see it; a second grab of the same
// key is refused as taken, and a released key can be grabbed again.
func TestX11HotkeyGrab(t *testing.T) {
	if os.Getenv("TOKENTRAY_SESSION") != "1" {
		t.Skip("needs the private desktop session's X server: run `make test` or `.ci/session go test ./ui -run X11Hotkey`")
	}
	if !hotkeySupported() {
		t.Fatal("TOKENTRAY_SESSION=1 but no X display")
	}
	pressed := make(chan struct{}, 4)
	stop, err := startHotkey(func() { pressed <- struct{}{} })
	if err != nil {
		t.Fatalf("grab: %v", err)
	}
	if _, err := startHotkey(func() {}); err != errHotkeyTaken {
		t.Errorf("a second grab: %v, want %v", err, errHotkeyTaken)
	}
	if out, err := exec.Command("xdotool", "key", "ctrl+alt+k").CombinedOutput(); err != nil {
		t.Fatalf("xdotool: %v: %s", err, out)
	}
	select {
	case <-pressed:
	case <-time.After(10 * time.Second):
		t.Fatal("the grab did not see Ctrl+Alt+K")
	}
	// Other keys are not taken.
	if out, err := exec.Command("xdotool", "key", "ctrl+alt+j").CombinedOutput(); err != nil {
		t.Fatalf("xdotool: %v: %s", err, out)
	}
	select {
	case <-pressed:
		t.Error("Ctrl+Alt+J was taken as the hotkey")
	case <-time.After(500 * time.Millisecond):
	}
	stop()
	stop2, err := startHotkey(func() {})
	if err != nil {
		t.Fatalf("grab after release: %v", err)
	}
	stop2()
}
