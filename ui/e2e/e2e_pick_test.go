//go:build unix

package e2e

import (
	"os/exec"
	"strconv"
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
	// Escape closes it (the filter field has the keyboard focus). xdotool
	// may then fail with BadWindow although the key arrived: the picker
	// closes on the key press, and xdotool still has the release to send to
	// the window that is gone (CI saw this twice). So what counts is whether
	// the window goes; the key is sent again only if it stays. And the key
	// is released whatever happened: a press sent through XTEST without its
	// release leaves Escape held down, and the X server's auto-repeat then
	// closed every window and menu of the tests that came after.
	gone := func() bool {
		return exec.Command("xdotool", "search", "--onlyvisible", "--pid", strconv.Itoa(app.pid()), "--name", "Copy a token").Run() != nil
	}
	for try := 1; ; try++ {
		out, err := exec.Command("xdotool", "key", "--window", id, "Escape").CombinedOutput()
		if err != nil {
			t.Logf("xdotool key --window %s Escape: %v: %s", id, err, out)
		}
		if out, err := exec.Command("xdotool", "keyup", "Escape").CombinedOutput(); err != nil {
			t.Errorf("xdotool keyup Escape: %v: %s", err, out)
		}
		if e2ePoll(t, app, 5*time.Second, gone) {
			break
		}
		if try == 3 {
			t.Fatal("Escape did not close the picker")
		}
		id = e2eWaitWindow(t, app, "Copy a token", 10*time.Second)
	}
}
