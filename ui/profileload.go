package ui

import (
	"context"
	"strconv"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/platform/instance"
)

// Loading the profiles from the store: at start, on the window's Retry, and
// when another process (the command line) changed them and asked for a
// reload over ui/platform/instance; and the other requests that arrive that way.

// loadState is the outcome of loading the profiles (loadProfiles).
type loadState struct {
	loading bool
	err     error
	broken  []*tokens.ProfileError
}

// loadProfiles has the engine load every profile from the store in the
// background (Engine.LoadProfiles: unchanged profiles keep their tokens)
// and start their automatic refresh; failures are shown in the tray and
// the window. The first load (initial) opens the window when there is
// nothing to use; a reload asked for by another process does not. Of loads
// that overlap, only the latest is applied. (ui)
func (c *controller) loadProfiles(initial bool) {
	gen := c.latestLoad.Add(1)
	c.load.loading = true
	c.updateNotice()
	c.bg(func() {
		c.loadMu.Lock()
		defer c.loadMu.Unlock()
		if c.latestLoad.Load() > gen {
			return // a newer load is waiting for the lock
		}
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		// Loads run one at a time (loadMu), so the latest applies last.
		ps, broken, err := c.opts.Engine.LoadProfiles(ctx)
		if err == nil {
			// Tokens at hand from the start: the tray and the window show
			// countdowns, and background refresh begins.
			c.opts.Engine.StartAutoRefresh()
		}
		c.ui(func() {
			if gen != c.latestLoad.Load() {
				return
			}
			c.load = loadState{err: err, broken: broken}
			c.updateNotice()
			if c.win != nil {
				c.win.refreshBanner()
				c.win.setSnapshot(c.snap) // the empty-state button depends on the load
			}
			if initial && (err != nil || len(broken) > 0 || len(ps) == 0) {
				c.showManage()
			}
		})
	})
}

// updateNotice sets the tray's top line from the load state. (ui)
func (c *controller) updateNotice() {
	if c.tray == nil {
		return
	}
	c.tray.setNotice(trayNotice(c.load, c.opts.Demo))
}

// trayNotice is the disabled line at the top of the tray menu.
func trayNotice(l loadState, demo bool) string {
	switch {
	case l.loading:
		return "Loading profiles…"
	case l.err != nil:
		return "Profiles could not be loaded — see Manage profiles"
	case len(l.broken) == 1:
		return "1 profile could not be read — see Manage profiles"
	case len(l.broken) > 1:
		return strconv.Itoa(len(l.broken)) + " profiles could not be read — see Manage profiles"
	case demo:
		return "Demo mode — local test server"
	}
	return ""
}

// serveRemote carries out other processes' requests on the UI goroutine.
func (c *controller) serveRemote(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case cmd, ok := <-c.opts.Remote:
			if !ok {
				return
			}
			switch cmd {
			case instance.Show:
				c.ui(c.showManage)
			case instance.Reload:
				c.ui(func() { c.loadProfiles(false) })
			case instance.Pick:
				c.ui(c.showPicker)
			}
		}
	}
}
