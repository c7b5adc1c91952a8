//go:build unix

package e2e

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/ui/traytest"
)

// The real app with the real keyring, next to the command line: a profile
// added with `tokentray add` while the app runs appears in its tray menu,
// and a second `tokentray` launch hands over to the first (its window comes
// up) and exits.
func TestE2ESecondLaunchAndCommandLineReload(t *testing.T) {
	bin := e2eBinaryWithOwnKeyring(t, "")
	cli := func(stdin string, args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Stdin = strings.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("tokentray %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// Nothing is fetched from this endpoint: nothing listens there.
	add := func(name string) {
		cli("e2e-secret-value\n", "add", name, "--token-url", "http://127.0.0.1:9/token", "--client-id", name)
	}
	add("e2e-first") // no app runs yet: nobody to tell, and no error

	conn, w := e2ePanel(t)
	app := e2eStart(t, bin)
	it := e2eWaitItem(t, app, w, 90*time.Second)
	e2eWaitMenu(t, app, conn, it, 60*time.Second, func(root traytest.MenuItem) bool {
		_, ok := root.Find(e2eProfileEntry("e2e-first"))
		return ok
	})

	add("e2e-second")
	root := e2eWaitMenu(t, app, conn, it, 30*time.Second, func(root traytest.MenuItem) bool {
		_, ok := root.Find(e2eProfileEntry("e2e-second"))
		return ok
	})
	t.Logf("tray menu after `tokentray add`: %q", root.Labels())

	if out, err := exec.Command("xdotool", "search", "--onlyvisible", "--name", "Tokentray").Output(); err == nil {
		t.Fatalf("a Tokentray window is already shown (%s); the second launch could not be told apart", out)
	}
	second := exec.Command(bin)
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = second.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = second.Process.Kill()
		t.Fatal("the second launch did not exit")
	}
	if err != nil || !strings.Contains(string(out), "already running") {
		t.Fatalf("second launch: %v\n%s", err, out)
	}
	e2eWaitWindow(t, app, "Tokentray", 30*time.Second)
	if ok, err := app.exited(); ok {
		t.Fatalf("the first app exited: %v", err)
	}
}
