//go:build linux || freebsd || openbsd || netbsd

package hotkey

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestX11Grab presses Ctrl+Alt+K with xdotool on the session's X
// server (Xvfb) and expects the grab to see it; a second grab of the same
// key is refused as taken, and a released key can be grabbed again.
func TestX11Grab(t *testing.T) {
	if os.Getenv("TOKENTRAY_SESSION") != "1" {
		t.Skip("needs the private desktop session's X server: run `make test` or `.ci/session go test ./ui/hotkey`")
	}
	if !Supported() {
		t.Fatal("TOKENTRAY_SESSION=1 but no X display")
	}
	pressed := make(chan struct{}, 4)
	stop, err := Start(func() { pressed <- struct{}{} })
	if err != nil {
		t.Fatalf("grab: %v", err)
	}
	if _, err := Start(func() {}); err != ErrTaken {
		t.Errorf("a second grab: %v, want %v", err, ErrTaken)
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
	stop() // a second stop does nothing
	stop2, err := Start(func() {})
	if err != nil {
		t.Fatalf("grab after release: %v", err)
	}
	stop2()
}
