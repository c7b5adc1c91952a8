package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// The Manage window's keyboard: Esc hides the window (or closes its
// dialog), Ctrl+W hides it too, Ctrl+N adds a profile, Ctrl+C copies the
// selected profile's token (unless a text field takes the copy), Ctrl+F
// finds a profile by name. Fyne hands keys and shortcuts to the focused
// widget only, so the list and the find field pass on what they do not
// use.

// windowShortcuts are the window's shortcuts; the README lists them.
var (
	shortcutHide = &desktop.CustomShortcut{KeyName: fyne.KeyW, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutNew  = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutFind = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
)

// addShortcuts registers the window's shortcuts on its canvas.
func (m *manageWindow) addShortcuts() {
	c := m.win.Canvas()
	for _, s := range []fyne.Shortcut{shortcutHide, shortcutNew, shortcutFind, &fyne.ShortcutCopy{}} {
		c.AddShortcut(s, func(s fyne.Shortcut) { m.shortcut(s) })
	}
}

// shortcut carries out one of the window's shortcuts and reports whether
// s was one.
func (m *manageWindow) shortcut(s fyne.Shortcut) bool {
	switch s.ShortcutName() {
	case shortcutHide.ShortcutName():
		m.hide()
	case shortcutNew.ShortcutName():
		m.editProfile("")
	case shortcutFind.ShortcutName():
		m.win.Canvas().Focus(m.find)
	case (&fyne.ShortcutCopy{}).ShortcutName():
		if m.selected != "" && m.details.name == m.selected {
			m.details.copy(copyRaw)
		}
	default:
		return false
	}
	return true
}

// profileList is the profile list with the window's keys: Escape hides,
// Enter selects the focused row (as Space does).
type profileList struct {
	widget.List
	onEsc func()
}

func newProfileList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject), onEsc func()) *profileList {
	l := &profileList{onEsc: onEsc}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

func (l *profileList) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		l.onEsc()
	case fyne.KeyReturn, fyne.KeyEnter:
		l.List.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	default:
		l.List.TypedKey(k)
	}
}

// findEntry is the field that filters the list: Escape clears it (then
// hides the window), Down moves to the list, and the window's shortcuts
// other than copy work while it has focus.
type findEntry struct {
	widget.Entry
	window *manageWindow
}

func newFindEntry(m *manageWindow) *findEntry {
	e := &findEntry{window: m}
	e.PlaceHolder = "Find profile (Ctrl+F)"
	e.ExtendBaseWidget(e)
	return e
}

func (e *findEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		if e.Text != "" {
			e.SetText("")
			return
		}
		e.window.escape()
	case fyne.KeyDown, fyne.KeyReturn, fyne.KeyEnter:
		if len(e.window.names) > 0 {
			e.window.win.Canvas().Focus(e.window.list)
			if k.Name != fyne.KeyDown {
				e.window.list.Select(0)
			}
		}
	default:
		e.Entry.TypedKey(k)
	}
}

func (e *findEntry) TypedShortcut(s fyne.Shortcut) {
	if _, isCopy := s.(*fyne.ShortcutCopy); !isCopy && e.window.shortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// matchesFind reports whether a profile name matches the find text: every
// word of it appears in the name, ignoring case.
func matchesFind(name, find string) bool {
	name = strings.ToLower(name)
	for _, w := range strings.Fields(strings.ToLower(find)) {
		if !strings.Contains(name, w) {
			return false
		}
	}
	return true
}

// inReadingOrder orders a Border container's objects top to bottom, as
// they read: Tab follows the order of the objects, and NewBorder puts the
// centre first. The border layout finds its edges by identity, so the
// layout is unchanged.
func inReadingOrder(border *fyne.Container, objects ...fyne.CanvasObject) {
	border.Objects = objects
}
