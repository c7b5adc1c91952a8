package ui

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"github.com/tokentray/tokentray/assets"
	"github.com/tokentray/tokentray/tokens"
)

// trayHost is the part of desktop.App the tray needs; tests use a fake.
type trayHost interface {
	SetSystemTrayMenu(menu *fyne.Menu)
	SetSystemTrayIcon(icon fyne.Resource)
}

// copyFormat is how a token is put on the clipboard.
type copyFormat int

const (
	copyRaw    copyFormat = iota // the token alone
	copyBearer                   // "Bearer <token>"
	copyHeader                   // "Authorization: Bearer <token>"
)

// clipText is the clipboard text for a token in the given format.
func clipText(token string, f copyFormat) string {
	switch f {
	case copyBearer:
		return "Bearer " + token
	case copyHeader:
		return "Authorization: Bearer " + token
	}
	return token
}

// trayActions are what the tray menu items do. Every action is called on
// the Fyne UI goroutine and must return quickly.
type trayActions struct {
	copy    func(name string, f copyFormat)
	refresh func(name string)
	details func(name string)
	manage  func()
	quit    func()
}

// buildTrayMenu builds the whole tray menu for a model. One entry per
// profile (clicking it copies the token where the platform lets a submenu
// parent be clicked), each with a submenu whose first item copies the token
// on every platform; then "Manage profiles…" and "Quit".
func buildTrayMenu(m trayModel, notice string, a trayActions) *fyne.Menu {
	var items []*fyne.MenuItem
	if notice != "" {
		n := fyne.NewMenuItem(notice, nil)
		n.Disabled = true
		items = append(items, n, fyne.NewMenuItemSeparator())
	}
	for _, e := range m.Entries {
		name := e.Name
		sub := fyne.NewMenu(name,
			fyne.NewMenuItem("Copy token", func() { a.copy(name, copyRaw) }),
			fyne.NewMenuItem("Copy as “Bearer …”", func() { a.copy(name, copyBearer) }),
			fyne.NewMenuItem("Copy as “Authorization: Bearer …” header", func() { a.copy(name, copyHeader) }),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("Refresh now", func() { a.refresh(name) }),
			fyne.NewMenuItem("Details…", func() { a.details(name) }),
		)
		item := fyne.NewMenuItem(e.Label, func() { a.copy(name, copyRaw) })
		item.ChildMenu = sub
		items = append(items, item)
	}
	if len(m.Entries) == 0 && notice == "" {
		none := fyne.NewMenuItem("No profiles yet", nil)
		none.Disabled = true
		items = append(items, none)
	}
	manage := "Manage profiles…"
	if len(m.Entries) == 0 {
		manage = "Add a profile…"
	}
	quit := fyne.NewMenuItem("Quit", a.quit)
	quit.IsQuit = true
	items = append(items,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(manage, a.manage),
		fyne.NewMenuItemSeparator(),
		quit,
	)
	return fyne.NewMenu("Tokentray", items...)
}

// trayIcon is the icon for an overall severity.
func trayIcon(s severity) fyne.Resource {
	switch s {
	case sevBad:
		return assets.TrayError
	case sevWarn:
		return assets.TrayWarn
	}
	return assets.TrayOK
}

// trayController keeps the tray menu and icon in step with the engine. Its
// loop computes the label model off the UI goroutine once a second and on
// every snapshot, and rebuilds the menu (on the UI goroutine) only when the
// model changed: Fyne rebuilds the whole native menu on every
// SetSystemTrayMenu, which is too costly to do every second.
type trayController struct {
	host    trayHost
	actions trayActions
	now     func() time.Time
	ui      func(func())

	snap   atomic.Pointer[tokens.Snapshot]
	notice atomic.Pointer[string]
	kick   chan struct{}

	// Owned by the loop goroutine (or the test calling step).
	mu        sync.Mutex
	last      trayModel
	lastNote  string
	shown     bool
	lastIcon  severity
	iconShown bool
	lastApply time.Time
}

// timeOnlyEvery is how often the tray menu is rebuilt when only the time
// left in its labels changed. Labels show whole minutes, so a minute label
// may lag by up to this long; a change of state is shown at once. Fyne
// rebuilds the whole menu each time (fyne-io/fyne#3776, #4697), and with
// many short-lived tokens the minute labels would otherwise change several
// times a minute.
const timeOnlyEvery = 20 * time.Second

func newTrayController(host trayHost, a trayActions, now func() time.Time, ui func(func())) *trayController {
	t := &trayController{host: host, actions: a, now: now, ui: ui, kick: make(chan struct{}, 1)}
	empty := ""
	t.notice.Store(&empty)
	return t
}

// setSnapshot hands the controller a new snapshot; safe from any goroutine.
func (t *trayController) setSnapshot(s *tokens.Snapshot) {
	t.snap.Store(s)
	t.poke()
}

// setNotice sets the disabled line shown at the top of the menu ("" for
// none); safe from any goroutine.
func (t *trayController) setNotice(n string) {
	t.notice.Store(&n)
	t.poke()
}

func (t *trayController) poke() {
	select {
	case t.kick <- struct{}{}:
	default:
	}
}

// run recomputes on every kick and every second until ctx ends.
func (t *trayController) run(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		t.step()
		select {
		case <-ctx.Done():
			return
		case <-t.kick:
		case <-tick.C:
		}
	}
}

// step computes the model now and, when it differs from what is shown,
// schedules the menu and icon update on the UI goroutine. It reports
// whether it scheduled an update.
func (t *trayController) step() bool {
	apply := t.next()
	if apply == nil {
		return false
	}
	t.ui(apply)
	return true
}

// showNow shows the current model at once. Call it on the main goroutine
// before the app runs: Fyne starts its tray only if SetSystemTrayMenu was
// called before App.Run.
func (t *trayController) showNow() {
	if apply := t.next(); apply != nil {
		apply()
	}
}

// next returns the update that shows the model at this moment, or nil when
// nothing visible changed.
func (t *trayController) next() func() {
	m := buildTrayModel(t.snap.Load(), t.now())
	note := *t.notice.Load()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.shown && m.equal(t.last) && note == t.lastNote {
		return nil
	}
	now := t.now()
	if t.shown && note == t.lastNote && m.onlyTimeDiffers(t.last) && now.Sub(t.lastApply) < timeOnlyEvery {
		return nil
	}
	t.shown, t.last, t.lastNote, t.lastApply = true, m, note, now
	setIcon := !t.iconShown || m.Icon != t.lastIcon
	t.iconShown, t.lastIcon = true, m.Icon
	menu := buildTrayMenu(m, note, t.actions)
	return func() {
		t.host.SetSystemTrayMenu(menu)
		if setIcon {
			t.host.SetSystemTrayIcon(trayIcon(m.Icon))
		}
	}
}
