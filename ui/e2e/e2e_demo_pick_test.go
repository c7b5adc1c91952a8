//go:build unix

package e2e

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestE2EPickReachesARunningDemo: a new user runs `make run` (the demo)
// and tries `tokentray pick`. With no real app running, pick reaches the
// demo and says it is the demo; `pick --demo` asks the demo alone. With
// no demo running, `pick --demo` says how to start one.
func TestE2EPickReachesARunningDemo(t *testing.T) {
	bin := e2eBinaryWithOwnKeyring(t, "demo-pick-")
	_, w := e2ePanel(t)
	app := e2eStart(t, bin, "--demo")
	e2eWaitItem(t, app, w, 90*time.Second)

	var out []byte
	var err error
	if !e2ePoll(t, app, 30*time.Second, func() bool {
		out, err = exec.Command(bin, "pick").CombinedOutput()
		return err == nil
	}) {
		t.Fatalf("tokentray pick with only a demo running: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "demo") {
		t.Errorf("pick reached the demo without saying so: %q", out)
	}
	e2eWaitWindow(t, app, "Copy a token", 30*time.Second)
	if out, err := exec.Command(bin, "pick", "--demo").CombinedOutput(); err != nil {
		t.Fatalf("tokentray pick --demo: %v\n%s", err, out)
	}

	app.stop()
	out, err = exec.Command(bin, "pick", "--demo").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "tokentray --demo") {
		t.Errorf("pick --demo with no demo running: %v\n%s", err, out)
	}
	out, err = exec.Command(bin, "pick").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "not running") {
		t.Errorf("pick with nothing running: %v\n%s", err, out)
	}
}
