package ui

import (
	"errors"
	"runtime/debug"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"

	"github.com/tokentray/tokentray/ui/kit"
)

// manageWindow is the "Manage profiles" window: the profile list with live
// countdowns on the left, the details pane on the right, a banner for
// store problems, and the clipboard setting. Closing hides it; the app
// keeps running in the tray. Touch it only on the UI goroutine.
type manageWindow struct {
	ctl *controller
	win fyne.Window

	list     *profileList
	find     *findEntry // filters the list by name
	names    []string   // profile names in list order, as filtered
	rows     listRows   // the rows the list shows (the countdown updates them)
	selected string

	details *detailsPane
	split   *container.Split // the list beside the details

	banner         *fyne.Container
	bannerText     *widget.Label
	retryBtn       *widget.Button
	repairBtn      *widget.Button
	addBtn         *widget.Button
	welcome        *fyne.Container // the first-run panel, shown while there are no profiles
	welcomeButtons []*escButton    // Add profile, Import…, Try the demo
	settings       *fyne.Container // the settings under the list; add a setting with addSetting
	settingsFold   *fyne.Container // the Settings button and, when open, the settings
	settingsBtn    *escButton      // folds and unfolds the settings (windowsettings.go)
	listTools      *fyne.Container // Add, Import and the find field above the list; hidden on the first run
	aboutBtn       *widget.Button  // opens the About dialog (about.go)
	clearSel       *escSelect
	importPath     *widget.Entry // the import chooser's path field, while it shows

	dialogSlot              // the dialog shown over the window, if any
	form       *profileForm // the open profile form, if any
	visible    bool
	iconic     func() bool // reports whether the window is minimised (iconicCheck); nil until known
	ticking    bool        // a ticker calls tick every second
	stale      bool        // a snapshot arrived that the next tick shows
	stopTick   func()
	released   bool // startup garbage handed back to the OS (after the first show)
}

func newManageWindow(c *controller) *manageWindow {
	m := &manageWindow{ctl: c}
	title := "Tokentray — Manage profiles"
	if c.opts.Demo {
		title += " (demo)"
	}
	m.win = c.app.NewWindow(title)
	m.details = newDetailsPane(c)

	m.list = newProfileList(
		func() int { return len(m.names) },
		func() fyne.CanvasObject { return newProfileRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			r := o.(*profileRow)
			m.rows.bind(id, r)
			m.updateRow(id, r, m.ctl.now(), focusedRow(&m.list.List))
		},
		m.escape,
	)
	m.find = newFindEntry(m)
	m.find.OnChanged = func(string) { m.setSnapshot(m.ctl.snap) }
	m.list.OnSelected = func(id widget.ListItemID) {
		if id >= 0 && id < len(m.names) {
			m.selected = m.names[id]
			m.refreshDetails()
		}
	}

	m.addBtn = widget.NewButtonWithIcon("Add profile…", theme.ContentAddIcon(), func() { m.editProfile("") })
	m.welcome = m.newWelcome()

	m.bannerText = newWrapped(widget.DangerImportance)
	m.retryBtn = widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), func() { c.loadProfiles(false) })
	m.repairBtn = widget.NewButtonWithIcon("Repair", theme.SettingsIcon(), c.repairStore)
	m.repairBtn.Importance = widget.HighImportance
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameError))
	bg.FillColor = withAlpha(theme.Color(theme.ColorNameError), 0x22)
	bg.CornerRadius = theme.InputRadiusSize()
	m.banner = container.NewStack(bg, container.NewPadded(
		container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), container.NewHBox(m.repairBtn, m.retryBtn), m.bannerText)))
	m.banner.Hide()

	m.newSettings()
	addWrap := &kit.WrapLayout{} // Add and Import stack in a narrow window
	leftTop, leftBottom := container.NewPadded(container.NewVBox(container.New(addWrap, m.addBtn, m.importButton()), m.find)), container.NewPadded(m.settingsFold)
	m.listTools = leftTop
	left := container.NewBorder(leftTop, leftBottom, nil, nil, m.list)
	inReadingOrder(left, leftTop, m.list, leftBottom)
	addWrap.Relayout = func() { c.ui(left.Refresh) }
	right := container.NewStack(m.details.root, m.welcome)
	split := container.NewHSplit(left, right)
	split.Offset = 0.34
	m.split = split
	top := container.NewPadded(m.banner)
	turn := kit.NewSplitLayout(split)
	turn.OnTurn = func(side bool) { c.ui(func() { m.setSettingsOpen(side) }) }
	centre := container.New(turn, split)
	content := container.NewBorder(top, nil, nil, nil, centre)
	inReadingOrder(content, top, centre)
	m.win.SetContent(content)
	m.win.Resize(fyne.NewSize(980, 660))
	m.win.SetCloseIntercept(m.closeRequested)
	m.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			m.escape()
		}
	})
	m.addShortcuts()
	m.setSnapshot(c.snap)
	m.refreshBanner()
	return m
}

// show brings the window up and starts the once-a-second countdown.
func (m *manageWindow) show() {
	m.win.Show()
	m.win.RequestFocus()
	if m.visible {
		return
	}
	m.visible = true
	m.tick()
	ch, stop := m.ctl.ticker(time.Second)
	m.ticking = ch != nil
	done := make(chan struct{})
	m.stopTick = func() { stop(); close(done) }
	release := !m.released
	m.released = true
	go func() {
		if release {
			// Building and first painting the window parses fonts and
			// leaves megabytes of garbage; hand it back to the OS once.
			select {
			case <-done:
				return
			case <-time.After(3 * time.Second):
				debug.FreeOSMemory()
			}
		}
		for {
			select {
			case <-done:
				return
			case <-ch:
				m.ctl.ui(m.tick)
			}
		}
	}()
}

// closeRequested hides the window; without a tray to come back from, it
// quits instead.
func (m *manageWindow) closeRequested() {
	if m.ctl.noTray {
		m.ctl.quit()
		return
	}
	m.hide()
}

// hide hides the window and stops the countdown ticker.
func (m *manageWindow) hide() {
	m.closeDialog()
	m.details.hideMessage() // a message belongs to the moment it was said
	m.find.SetText("")      // a reopened window shows every profile
	m.win.Hide()
	if m.visible {
		m.visible, m.ticking = false, false
		m.stopTick()
	}
	if m.stale {
		m.stale = false
		m.setSnapshot(m.ctl.snap)
	}
}

// escape closes the dialog shown over the window, else clears the find
// text (which hides profiles), else closes the window.
func (m *manageWindow) escape() {
	if m.closeDialog() {
		return
	}
	if m.find.Text != "" {
		m.find.SetText("")
		return
	}
	m.hide()
}

// tick updates the countdowns; it runs every second while shown, as one
// call on the UI goroutine. It rebuilds nothing: it rewrites the times of
// the rows on screen and of the selected profile's details, and Fyne
// repaints only when one of their texts changed. A minimised window is
// left alone (Fyne would repaint it all the same); the next tick after it
// is restored catches up.
func (m *manageWindow) tick() {
	if !m.visible {
		return
	}
	if m.iconic == nil {
		m.iconic = iconicCheck(m.win)
	}
	if m.iconic != nil && m.iconic() {
		return
	}
	if m.stale {
		m.stale = false
		m.setSnapshot(m.ctl.snap)
		return
	}
	now := m.ctl.now()
	m.updateRows(now)
	m.details.tick(now)
}

// updateRows rewrites the rows the list shows in place. Unlike
// List.Refresh it refreshes only labels whose text changed, so a second in
// which nothing visible changes costs no repaint; rows scrolled off (or
// pooled, or dropped by the list) are not touched.
func (m *manageWindow) updateRows(now time.Time) {
	focus := focusedRow(&m.list.List)
	for id, r := range m.rows.shown(&m.list.List) {
		m.updateRow(id, r, now, focus)
	}
}

// engineSnapshot takes a snapshot the engine published. While the window
// ticks, a snapshot that changes no name in the list waits for the next
// tick (at most a second), so that the once-a-second repaint shows it:
// with 20 profiles refreshing every minute, snapshots come about every
// other second, and each would cost a repaint of its own. A change in the
// names is shown at once.
func (m *manageWindow) engineSnapshot(s *tokens.Snapshot) {
	if m.ticking && slices.Equal(m.filteredNames(s), m.names) {
		m.stale = true
		return
	}
	m.setSnapshot(s)
}

// filteredNames lists the names of s's profiles that match the find text.
func (m *manageWindow) filteredNames(s *tokens.Snapshot) []string {
	names := make([]string, 0)
	if s != nil {
		for i := range s.Profiles {
			if n := s.Profiles[i].Profile.Name; matchesFind(n, m.find.Text) {
				names = append(names, n)
			}
		}
	}
	sortNames(names)
	return names
}

// setSnapshot takes a new snapshot: the list's names and the selection.
func (m *manageWindow) setSnapshot(s *tokens.Snapshot) {
	names := m.filteredNames(s)
	total := 0
	if s != nil {
		total = len(s.Profiles)
	}
	changed := !slices.Equal(names, m.names)
	m.names = names
	if changed {
		m.list.UnselectAll()
		m.list.Refresh()
		if idx := slices.Index(names, m.selected); idx >= 0 {
			m.list.Select(idx)
		} else if len(names) > 0 {
			m.list.Select(0)
		} else {
			m.selected = ""
		}
	} else {
		m.updateRows(m.ctl.now())
	}
	if total == 0 && !m.ctl.load.loading && m.ctl.load.err == nil {
		// The first-run panel has its own Add and Import; an empty find
		// field over an empty list would only puzzle (issue 29).
		m.welcome.Show()
		m.details.root.Hide()
		m.listTools.Hide()
	} else {
		m.welcome.Hide()
		m.details.root.Show()
		m.listTools.Show()
	}
	m.refreshDetails()
}

// selectProfile selects name in the list.
func (m *manageWindow) selectProfile(name string) {
	m.selected = name
	if idx := slices.Index(m.names, name); idx >= 0 {
		m.list.Select(idx)
	}
	m.refreshDetails()
}

func (m *manageWindow) refreshDetails() {
	m.details.show(m.selected, m.ctl.snap, m.ctl.now())
}

func (m *manageWindow) refreshDone(name string, tok *tokens.Token, err error) {
	m.details.refreshDone(name, tok, err)
}

// updateRow shows item id in r at now; focus is the list's focused item.
func (m *manageWindow) updateRow(id widget.ListItemID, r *profileRow, now time.Time, focus widget.ListItemID) {
	r.setFocused(id >= 0 && id == focus)
	if id < 0 || id >= len(m.names) || m.ctl.snap == nil {
		return
	}
	ps, ok := m.ctl.snap.Find(m.names[id])
	if !ok {
		return
	}
	r.show(ps, now)
}

// rowFor returns the list row currently showing name, for tests.
func (m *manageWindow) rowFor(name string) *profileRow {
	for _, r := range m.rows.all() {
		if r.name.Text == name {
			return r
		}
	}
	return nil
}

// refreshBanner shows the store's load problems, if any.
func (m *manageWindow) refreshBanner() {
	l := m.ctl.load
	var msg string
	switch {
	case l.err != nil:
		msg = explain.LoadAdvice(l.err)
	case len(l.broken) > 0:
		msg = ""
		for i, b := range l.broken {
			if i > 0 {
				msg += "\n"
			}
			msg += "Profile “" + explain.Printable(b.Name) + "” could not be read: " + explain.WithPeriod(explain.Error(b.Err))
		}
		msg += "\nIt is left untouched in the keyring; the other profiles work."
	}
	if l.err != nil || len(l.broken) > 0 {
		m.retryBtn.Show()
	} else {
		m.retryBtn.Hide()
	}
	if errors.Is(l.err, tokens.ErrDamagedIndex) {
		m.repairBtn.Show()
	} else {
		m.repairBtn.Hide()
	}
	if m.ctl.noTray {
		if msg != "" {
			msg += "\n"
		}
		msg += "No system tray was found, so Tokentray lives in this window: closing it quits. " +
			"On GNOME, the AppIndicator extension adds a tray."
	}
	if msg == "" {
		m.banner.Hide()
		return
	}
	m.bannerText.SetText(msg)
	m.banner.Show()
}
