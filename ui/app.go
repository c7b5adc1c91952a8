// Package ui is Tokentray's desktop interface, built with Fyne: the system
// tray menu (one entry per profile with its time left; copy, refresh,
// details), the "Manage profiles" window with live countdowns, token details
// and the profile form, clipboard handling and notifications.
//
// Threading: engine snapshots reach widgets only through fyne.Do, from a
// goroutine reading Engine.Subscribe; keyring and network calls (Store,
// Engine.Token/Refresh, Fetcher) always run on background goroutines, with
// their results handed back through fyne.Do. The window's and tray's
// wording lives here; errors are worded by package explain, shared with
// the command line.
package ui

import (
	"context"
	"errors"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/tokentray/tokentray/assets"
	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/curlcmd"
	"github.com/tokentray/tokentray/ui/platform/hotkey"
	"github.com/tokentray/tokentray/ui/platform/instance"
	"github.com/tokentray/tokentray/ui/platform/portal"
	"github.com/tokentray/tokentray/ui/platform/secretclip"

	"github.com/tokentray/tokentray/ui/kit"
)

// AppID is the application's unique ID (preferences, notifications).
const AppID = "io.github.tokentray"

// Timeouts for background work started by the user.
const (
	fetchTimeout = 60 * time.Second // a copy or refresh that must fetch
	storeTimeout = 60 * time.Second // a keyring read or write (may prompt to unlock)
	copyMinValid = time.Minute      // a copied token stays valid at least this long
	alertQuiet   = 15 * time.Second // no streak alert this soon after a user action said it
)

// Options wires the UI to the rest of Tokentray.
type Options struct {
	// Engine caches and refreshes tokens; *tokens.Manager. Required. Run
	// does not start or close it: the caller runs Engine.Run and closes it
	// after Run returns.
	// Profiles are read and written only through it (LoadProfiles,
	// SaveProfile, DeleteProfile): it owns the store.
	Engine Engine
	// TestProfiles shows the form's "Test": a fetch with the unsaved
	// settings, through Engine.TryProfile. False hides Test.
	TestProfiles bool
	// Requests describes a profile's token request for "Copy as curl"
	// (oauth.Client, which discovers an issuer's token endpoint); nil:
	// Copy as curl reports that it cannot.
	Requests curlcmd.Describer
	// SignIn, when set, offers "Sign in…" for a browser sign-in profile
	// (oauth.Client); nil: the tray says to run tokentray login.
	SignIn tokens.Signer
	// Inspector, when set, shows Verify, Introspect and Revoke in the
	// details (oauth.Client); nil hides them.
	Inspector tokens.Inspector
	// Demo marks demo mode in the tray and window title.
	Demo bool
	// Show opens the Manage profiles window at start.
	Show bool
	// Remote carries requests of other processes (ui/platform/instance): Show opens
	// and raises the window (a second launch), Reload reads the Store again
	// (the command line changed profiles). nil: none. Run reads it until it
	// is closed or the app quits.
	Remote <-chan instance.Command
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Run starts the tray application and blocks until the user quits or ctx
// ends. It must be called from the main goroutine (a Fyne requirement). It
// returns an error only when the options are unusable.
func Run(ctx context.Context, o Options) error {
	if o.Engine == nil {
		return errors.New("ui: Engine is required")
	}
	a := app.NewWithID(AppID)
	kit.UseTheme(a) // a focus and dim text that show (apptheme.go)
	md := a.Metadata()
	if md.Name == "" {
		// Not packaged by the fyne tool and no FyneApp.toml next to the
		// binary: supply what FyneApp.toml says.
		md.ID, md.Name = AppID, "Tokentray"
		if md.Migrations == nil {
			md.Migrations = map[string]bool{}
		}
		md.Migrations["fyneDo"] = true
	}
	// The windows' and notifications' icon: the embedded 128 px one, in the
	// metadata only (not App.SetIcon as well), so a single small copy is
	// decoded; the packaged 512 px icon is for the desktop entry.
	md.Icon = assets.AppIcon
	app.SetMetadata(md)
	var host trayHost
	if d, ok := a.(desktop.App); ok {
		host = systrayHost{App: d, title: md.Name}
	}
	board, err := secretclip.Open()
	if err != nil && !errors.Is(err, secretclip.ErrUnsupported) {
		log.Printf("tokentray: clipboard without the secret mark: %v", err)
	}
	if board != nil {
		defer board.Close()
	}
	c := newController(o, env{
		app:    a,
		host:   host,
		secret: board,
		ui:     fyne.Do,
		bg:     func(f func()) { go f() },
		after:  realAfter,
		notify: func(title, body string) { a.SendNotification(fyne.NewNotification(title, body)) },
	})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c.start(ctx)
	stopped := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done(): // a signal: quit cleanly (clears our clipboard)
			fyne.Do(c.quit)
		case <-stopped:
		}
	}()
	a.Run()
	close(stopped)
	return nil
}

// env holds what differs between the real application and tests.
type env struct {
	app    fyne.App
	host   trayHost // nil when the driver has no system tray
	now    func() time.Time
	ui     func(func()) // run on the UI goroutine (fyne.Do)
	bg     func(func()) // run in the background (go f())
	after  afterFunc
	notify func(title, body string)
	// secret is the clipboard that marks copies as secrets; nil: Fyne's
	// clipboard only.
	secret secretBoard
	ticker func(d time.Duration) (<-chan time.Time, func()) // nil: time.NewTicker
	// startDemo starts the demo next to the app; nil: startDemoProcess.
	startDemo func() error
	// hotkey grabs the picker's global hotkey; nil: hotkey.Start.
	hotkey func(onPress func()) (stop func(), err error)
	// hotkeySupported reports whether the hotkey is offered; nil:
	// hotkey.Supported.
	hotkeySupported func() bool
	// trayCheck reports whether a tray is really shown; nil means
	// trayHostPresent.
	trayCheck func(ctx context.Context) bool
	// chooseFile shows the desktop's file chooser; nil: portal.OpenFile.
	chooseFile func(ctx context.Context, title string, directory bool, filters []portal.Filter) (string, error)
}

// controller ties the engine, the store, the tray, the window and the
// clipboard together. Fields marked (ui) are touched only on the UI
// goroutine.
type controller struct {
	opts Options
	env
	clip *clipper
	tray *trayController

	snap   *tokens.Snapshot // (ui) latest snapshot applied
	load   loadState        // (ui)
	win    *manageWindow    // (ui) created on first show
	picker *picker          // (ui) the open quick picker, if any

	stopHotkey func()                       // (ui) releases the picker's hotkey; nil when not grabbed
	hotkeyErr  error                        // (ui) why the hotkey could not be grabbed
	noTray     bool                         // (ui) no tray is visible: closing the window quits
	busy       map[string]int               // (ui) user copies/refreshes in flight, per profile
	reported   map[string]time.Time         // (ui) when a user action on a profile last ended
	testLog    map[string][]tokens.LogEntry // (ui) the form's Test exchanges by profile name, newest first (testlog.go)
	signing    map[string]*signInView       // (ui) the sign-ins under way, by profile name (signin.go)

	latestLoad atomic.Uint64 // loadProfiles calls so far: the number of the latest load
	loadMu     sync.Mutex    // one store load at a time
}

func newController(o Options, e env) *controller {
	if e.now == nil {
		e.now = o.Now
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.hotkey == nil {
		e.hotkey = hotkey.Start
	}
	if e.hotkeySupported == nil {
		e.hotkeySupported = hotkey.Supported
	}
	if e.startDemo == nil {
		e.startDemo = startDemoProcess
	}
	if e.chooseFile == nil {
		e.chooseFile = portal.OpenFile
	}
	if e.trayCheck == nil {
		e.trayCheck = trayHostPresent
	}
	if e.ticker == nil {
		e.ticker = func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTicker(d)
			return t.C, t.Stop
		}
	}
	c := &controller{opts: o, env: e, reported: map[string]time.Time{}, busy: map[string]int{}}
	c.clip = &clipper{
		clipboard: e.app.Clipboard,
		secret:    e.secret,
		delay:     func() time.Duration { return clearDelay(e.app.Preferences()) },
		after:     e.after,
		ui:        e.ui,
		now:       e.now,
	}
	if e.host != nil {
		c.tray = newTrayController(e.host, trayActions{
			copy:    func(name string, f copyFormat) { c.copyToken(name, f, nil) },
			refresh: func(name string) { c.refresh(name, true) },
			details: c.showDetails,
			curl:    func(name string) { c.copyCurl(name, nil) },
			signIn:  c.signIn,
			manage:  c.showManage,
			quit:    c.quit,
		}, e.now, e.ui)
	}
	c.snap = o.Engine.Snapshot()
	c.load.loading = true
	c.updateNotice()
	return c
}

// start subscribes to the engine, starts the tray loop and loads the store.
func (c *controller) start(ctx context.Context) {
	updates, cancel := c.opts.Engine.Subscribe()
	go func() {
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case s, ok := <-updates:
				if !ok {
					return
				}
				c.deliver(s)
			}
		}
	}()
	if c.tray != nil {
		c.tray.setSnapshot(c.snap)
		c.tray.showNow() // before App.Run, or Fyne never starts the tray
		go c.tray.run(ctx)
		c.bg(func() {
			cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
			defer cancel()
			if !c.trayCheck(cctx) {
				c.ui(c.trayMissing)
				c.watchForTray(ctx)
			}
		})
	} else {
		c.trayMissing()
	}
	if c.opts.Show {
		c.showManage()
	}
	if c.hotkeySupported() {
		c.applyHotkey()
	}
	c.loadProfiles(true)
	if c.opts.Remote != nil {
		go c.serveRemote(ctx)
	}
}

// trayRecheck is how often a missing tray is looked for again: at login
// the app may start before the panel does.
const trayRecheck = 5 * time.Second

// watchForTray looks for a tray host every trayRecheck until one appears
// (then the window closes to the tray again) or ctx ends.
func (c *controller) watchForTray(ctx context.Context) {
	c.after(trayRecheck, func() {
		c.bg(func() {
			if ctx.Err() != nil {
				return
			}
			cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
			defer cancel()
			if c.trayCheck(cctx) {
				c.ui(c.trayFound)
			} else {
				c.watchForTray(ctx)
			}
		})
	})
}

// trayFound undoes trayMissing once a tray host has appeared. (ui)
func (c *controller) trayFound() {
	c.noTray = false
	if c.win != nil {
		c.win.refreshBanner()
	}
}

// trayMissing makes the window the way in when no tray is shown: it
// opens, and closing it quits. (ui)
func (c *controller) trayMissing() {
	c.noTray = true
	c.showManage()
	c.win.refreshBanner()
}

// deliver hands a snapshot from the engine to the tray loop and, through
// the UI goroutine, to everything else. Safe from any goroutine.
func (c *controller) deliver(s *tokens.Snapshot) {
	if c.tray != nil {
		c.tray.setSnapshot(s)
	}
	c.ui(func() { c.applySnapshot(s) })
}

// applySnapshot takes a new engine snapshot: notifications for failure
// streaks that start or end, then the window. (ui)
func (c *controller) applySnapshot(s *tokens.Snapshot) {
	if s == nil || (c.snap != nil && s.Seq < c.snap.Seq) {
		return
	}
	prev := c.snap
	c.snap = s
	now := c.now()
	for _, al := range alertsBetween(prev, s) {
		if al.Kind == alertFailing {
			if c.suppressAlert(al.Name, now) {
				continue // the user's own action says so
			}
		}
		c.notify(alertText(al, now))
	}
	if c.win != nil {
		c.win.engineSnapshot(s)
	}
	if c.picker != nil {
		c.picker.setSnapshot(s)
	}
}

// showManage shows (creating on first use) the Manage profiles window. (ui)
func (c *controller) showManage() {
	if c.win == nil {
		c.win = newManageWindow(c)
	}
	c.win.show()
}

// showDetails shows the window with the profile selected. (ui)
func (c *controller) showDetails(name string) {
	c.showManage()
	c.win.selectProfile(name)
}

// quit clears a token we left on the clipboard and quits. (ui)
func (c *controller) quit() {
	c.clip.clearNow()
	if c.stopHotkey != nil {
		c.stopHotkey()
		c.stopHotkey = nil
	}
	c.app.Quit()
}
