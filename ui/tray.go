package ui

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"github.com/tokentray/tokentray/assets"
	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// trayHost is the part of desktop.App the tray needs; tests use a fake.
type trayHost interface {
	SetSystemTrayMenu(menu *fyne.Menu)
	SetSystemTrayIcon(icon fyne.Resource)
}

// tooltipHost is a trayHost that can also set the icon's tooltip.
type tooltipHost interface {
	SetSystemTrayTooltip(text string)
}

// trayNote is a line at the top of the tray menu that states the last
// action's outcome until a time.
type trayNote struct {
	text  string
	until time.Time
}

// lastActionFor is how long the outcome of a tray action stays at the top
// of the menu.
const lastActionFor = 45 * time.Second

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
	curl    func(name string) // Copy as curl (curlcopy.go); nil: not offered
	signIn  func(name string) // Sign in… (signin.go); nil: not offered
	manage  func()
	quit    func()
}

func (a trayActions) copyCurl(name string) {
	if a.curl != nil {
		a.curl(name)
	}
}

// trayCopyHeader is the disabled line above the profiles;
// trayCopyOrSignInHeader replaces it while one of them waits for a
// sign-in (a click on that one signs in).
const (
	trayCopyHeader         = "Click to copy a token:"
	trayCopyOrSignInHeader = "Click to copy a token, or to sign in:"
)

// trayActionsLabel is the submenu holding every action but the plain copy.
const trayActionsLabel = "Profile actions"

// buildTrayMenu builds the whole tray menu for a model: the lines stating
// the last action and the load state (disabled), then one plain entry per
// profile, whose click copies the token: tray hosts (xfce4-panel, KDE, the
// GNOME AppIndicator extension) open a submenu parent instead of clicking
// it, so a profile's entry has no submenu. The other actions are in a
// "Profile actions" submenu with one submenu per profile; then "Manage
// profiles…" and "Quit". Separators never come two in a row.
func buildTrayMenu(m trayModel, notes []string, a trayActions) *fyne.Menu {
	var items []*fyne.MenuItem
	sep := func() {
		if len(items) > 0 && !items[len(items)-1].IsSeparator {
			items = append(items, fyne.NewMenuItemSeparator())
		}
	}
	for _, n := range notes {
		it := fyne.NewMenuItem(n, nil)
		it.Disabled = true
		items = append(items, it)
	}
	sep()
	if len(m.Entries) > 0 {
		// Nothing else says that a click on a profile copies (issue 29).
		text := trayCopyHeader
		if slices.ContainsFunc(m.Entries, func(e trayEntry) bool { return e.WaitsForSignIn }) {
			text = trayCopyOrSignInHeader
		}
		head := fyne.NewMenuItem(text, nil)
		head.Disabled = true
		items = append(items, head)
	}
	var subs []*fyne.MenuItem
	for _, e := range m.Entries {
		items = append(items, trayEntryItem(e, a))
		subs = append(subs, trayProfileActions(e, a))
	}
	if len(subs) > 0 {
		sep()
		more := fyne.NewMenuItem(trayActionsLabel, nil)
		more.ChildMenu = fyne.NewMenu(trayActionsLabel, subs...)
		items = append(items, more)
	}
	if len(m.Entries) == 0 && len(notes) == 0 {
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
	sep()
	items = append(items, fyne.NewMenuItem(manage, a.manage))
	sep()
	items = append(items, quit)
	return fyne.NewMenu("Tokentray", items...)
}

// trayTooltip sums up every profile's state for the tray icon's tooltip,
// so the state can be read without opening the menu (and without a
// notification server): "Tokentray" and one line per profile.
func trayTooltip(m trayModel, notes []string) string {
	var b strings.Builder
	b.WriteString("Tokentray")
	for _, n := range notes {
		b.WriteString("\n" + n)
	}
	if len(m.Entries) == 0 {
		b.WriteString("\nNo profiles yet")
	}
	for _, e := range m.Entries {
		b.WriteString("\n" + e.Label)
	}
	if len(m.Entries) > 0 {
		b.WriteString("\n(time left rounded down to the minute; click a profile to copy its token)")
	}
	return b.String()
}

// trayIcon is the icon for an overall severity.
func trayIcon(s explain.Severity) fyne.Resource {
	switch s {
	case explain.SeverityBad:
		return assets.TrayError
	case explain.SeverityWarn:
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
	action atomic.Pointer[trayNote]
	kick   chan struct{}

	// Owned by the loop goroutine (or the test calling step).
	mu        sync.Mutex
	last      trayModel
	lastNotes []string
	lastTip   string
	shown     bool
	lastIcon  explain.Severity
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

// setLastAction shows text at the top of the menu for lastActionFor, in
// place of an earlier one; safe from any goroutine.
func (t *trayController) setLastAction(text string) { t.setLastActionUntil(text, time.Time{}) }

// setLastActionUntil is setLastAction for a statement that stops being
// true at until (zero: no limit), when that is sooner.
func (t *trayController) setLastActionUntil(text string, until time.Time) {
	end := t.now().Add(lastActionFor)
	if !until.IsZero() && until.Before(end) {
		end = until
	}
	t.action.Store(&trayNote{text: text, until: end})
	t.poke()
}

// notes are the disabled lines at the top of the menu at now.
func (t *trayController) notes(now time.Time) []string {
	var out []string
	if a := t.action.Load(); a != nil && now.Before(a.until) {
		out = append(out, a.text)
	}
	if n := *t.notice.Load(); n != "" {
		out = append(out, n)
	}
	return out
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
	now := t.now()
	m := buildTrayModel(t.snap.Load(), now)
	notes := t.notes(now)
	t.mu.Lock()
	defer t.mu.Unlock()
	sameNotes := slices.Equal(notes, t.lastNotes)
	if t.shown && m.equal(t.last) && sameNotes {
		return nil
	}
	if t.shown && sameNotes && m.onlyTimeDiffers(t.last) && now.Sub(t.lastApply) < timeOnlyEvery {
		return nil
	}
	t.shown, t.last, t.lastNotes, t.lastApply = true, m, notes, now
	setIcon := !t.iconShown || m.Icon != t.lastIcon
	t.iconShown, t.lastIcon = true, m.Icon
	menu := buildTrayMenu(m, notes, t.actions)
	tip := trayTooltip(m, notes)
	setTip := tip != t.lastTip
	t.lastTip = tip
	return func() {
		t.host.SetSystemTrayMenu(menu)
		if setIcon {
			t.host.SetSystemTrayIcon(trayIcon(m.Icon))
		}
		if th, ok := t.host.(tooltipHost); ok && setTip {
			th.SetSystemTrayTooltip(tip)
		}
	}
}
