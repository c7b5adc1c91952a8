//go:build unix

package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens/demo"
	"github.com/tokentray/tokentray/tokens/tokentest"
	"github.com/tokentray/tokentray/ui/traytest"
)

// TestE2ETraySignsInFromTheEntry: in `tokentray --demo`, with this test as
// the panel and a $BROWSER script that follows the sign-in with curl, the
// profile no one signed in to offers Sign in… first in its actions, with
// Copy and Refresh now off, and a click on its entry (which copies for the
// others) signs in: the entry then shows the new token's time left.
func TestE2ETraySignsInFromTheEntry(t *testing.T) {
	e2eRequireSession(t)
	tokentest.CurlBrowser(t)
	conn, w := e2ePanel(t)
	app := e2eStart(t, tokentrayBin, "--demo")
	it := e2eWaitItem(t, app, w, 90*time.Second)

	name := demo.ProfileSignIn
	actions := func(root traytest.MenuItem) (traytest.MenuItem, bool) {
		more, ok := root.Find(e2eLabelIs("Profile actions"))
		if !ok {
			return more, false
		}
		return more.Find(e2eLabelIs(name))
	}
	root := e2eWaitMenu(t, app, conn, it, 60*time.Second, func(root traytest.MenuItem) bool {
		e, ok := root.Find(e2eProfileEntry(name))
		_, hasActions := actions(root)
		return ok && strings.HasSuffix(e.Label(), "not signed in") && hasActions
	})
	sub, _ := actions(root)
	var got []string
	for _, c := range sub.Children {
		if c.Type() == "separator" {
			continue
		}
		l := c.Label()
		if !c.Enabled() {
			l = "(" + l + ")"
		}
		got = append(got, l)
	}
	if len(got) < 6 || got[0] != "Sign in…" || got[1] != "(Copy token)" || !strings.Contains(strings.Join(got, "|"), "(Refresh now)") {
		t.Errorf("%s's actions over dbusmenu: %q", name, got)
	}

	// The menu is rebuilt as snapshots arrive (new item IDs), so a click
	// may miss: read the layout again and retry. A second click during the
	// sign-in only shows its dialog again.
	signedIn := func() bool {
		_, root, err := traytest.Layout(conn, it)
		e, ok := root.Find(e2eProfileEntry(name))
		return err == nil && ok && e2eTimeLeftRE.MatchString(e.Label())
	}
	for attempt := 1; ; attempt++ {
		_, root, err := traytest.Layout(conn, it)
		if err != nil {
			t.Fatalf("read menu: %v", err)
		}
		entry, _ := root.Find(e2eProfileEntry(name))
		if err := traytest.Click(conn, it, entry.ID); err != nil {
			t.Fatalf("click %s: %v", name, err)
		}
		if e2ePoll(t, app, 10*time.Second, signedIn) {
			break
		}
		if attempt == 3 {
			t.Fatalf("a click on %s's entry did not sign in", name)
		}
	}
	e2eWaitTimeLeft(t, app, conn, it, name)
}
