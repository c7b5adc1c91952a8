//go:build unix

package ui_test

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/ui/traytest"
)

// TestE2EPickOpensPicker: `tokentray pick` reaches the running app over
// its instance socket and the picker window comes up; with no app running
// it says so and fails.
func TestE2EPickOpensPicker(t *testing.T) {
	bin := e2eBinaryWithOwnKeyring(t, "pick-")

	out, err := exec.Command(bin, "pick").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "not running") {
		t.Fatalf("pick without an app: %v\n%s", err, out)
	}

	add := exec.Command(bin, "add", "e2e-pick", "--token-url", "http://127.0.0.1:9/token", "--client-id", "e2e-pick")
	add.Stdin = strings.NewReader("e2e-secret-value\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("tokentray add: %v\n%s", err, out)
	}
	conn, w := e2ePanel(t)
	app := e2eStart(t, bin)
	it := e2eWaitItem(t, app, w, 90*time.Second)
	e2eWaitMenu(t, app, conn, it, 60*time.Second, func(root traytest.MenuItem) bool {
		_, ok := root.Find(e2eProfileEntry("e2e-pick"))
		return ok
	})
	if out, err := exec.Command(bin, "pick").CombinedOutput(); err != nil {
		t.Fatalf("tokentray pick: %v\n%s", err, out)
	}
	id := e2eWaitWindow(t, app, "Copy a token", 30*time.Second)
	e2eWaitRendered(t, app, id, "picker-real.png")
	// Escape closes it (the filter field has the keyboard focus). The
	// window is looked up again before each try: once in a CI run the id
	// found above was gone (BadWindow) by the time the key was sent.
	var keyErr error
	for try := 0; try < 3; try++ {
		if try > 0 {
			time.Sleep(500 * time.Millisecond)
			id = e2eWaitWindow(t, app, "Copy a token", 10*time.Second)
		}
		out, err := exec.Command("xdotool", "key", "--window", id, "Escape").CombinedOutput()
		if keyErr = err; err == nil {
			break
		}
		t.Logf("xdotool key --window %s Escape: %v: %s", id, err, out)
	}
	if keyErr != nil {
		t.Fatalf("xdotool could not send Escape to the picker: %v", keyErr)
	}
	if !e2ePoll(t, app, 10*time.Second, func() bool {
		return exec.Command("xdotool", "search", "--onlyvisible", "--name", "Copy a token").Run() != nil
	}) {
		t.Error("Escape did not close the picker")
	}
}
