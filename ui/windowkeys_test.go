package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestWindowTabOrder: Tab reaches every control of the window in reading
// order, the profile list included (issue 11).
func TestWindowTabOrder(t *testing.T) {
	tok := token("tok", t0.Add(-18*time.Minute), time.Hour)
	_, m := openWindow(t, freshState("dev-api", tok))
	order := tabCycle(m.win.Canvas(), m.addBtn, 40)
	d := m.details
	want := []fyne.Focusable{m.addBtn, m.find, m.list, m.settingsBtn, m.clearSel, d.copyBtn, d.headerBtn, d.refreshBtn, d.editBtn, d.deleteBtn, d.revealBtn}
	names := []string{"Add", "Find", "list", "clearing setting", "Copy", "Copy as header", "Refresh", "Edit", "Delete", "Reveal"}
	last := -1
	for i, w := range want {
		p := -1
		for j, o := range order {
			if o == w {
				p = j
				break
			}
		}
		if p < 0 {
			t.Errorf("%s not reachable with Tab", names[i])
			continue
		}
		if p <= last {
			t.Errorf("%s comes out of reading order (at %d, after %d)", names[i], p, last)
		}
		last = p
	}
}

// TestWindowShortcuts: Ctrl+N, Ctrl+F, Ctrl+C, Ctrl+W and Escape do what
// the README says, from the list and from the find field.
func TestWindowShortcuts(t *testing.T) {
	tok := token("tok-1", t0.Add(-18*time.Minute), time.Hour)
	h, m := openWindow(t, freshState("dev-api", tok), freshState("billing", token("tok-2", t0, time.Hour)))
	m.selectProfile("dev-api")

	m.shortcut(&fyne.ShortcutCopy{})
	h.settle()
	if got := h.app.Clipboard().Content(); got != "tok-1" {
		t.Errorf("Ctrl+C copied %q", got)
	}
	m.shortcut(shortcutFind)
	if m.win.Canvas().Focused() != fyne.Focusable(m.find) {
		t.Error("Ctrl+F did not focus the find field")
	}
	test.Type(m.find, "bill")
	if len(m.names) != 1 || m.names[0] != "billing" {
		t.Errorf("find %q shows %q", m.find.Text, m.names)
	}
	m.find.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if m.selected != "billing" || m.win.Canvas().Focused() != fyne.Focusable(m.list) {
		t.Errorf("Enter in find: selected %q", m.selected)
	}
	m.find.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if m.find.Text != "" || len(m.names) != 2 {
		t.Errorf("Escape in find did not clear it: %q %q", m.find.Text, m.names)
	}
	// The window's shortcuts work while the find field has focus.
	m.find.TypedShortcut(shortcutNew)
	if m.form == nil || m.form.original != "" {
		t.Fatal("Ctrl+N in the find field did not open a new profile")
	}
	m.form.close()
	m.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if m.visible {
		t.Error("Escape on the list did not hide the window")
	}
	m.show()
	m.shortcut(shortcutHide)
	if m.visible {
		t.Error("Ctrl+W did not hide the window")
	}
}

// tabCycle presses Tab from start until the focus comes back to it (at
// most max stops) and returns the focused widgets in order.
func tabCycle(c fyne.Canvas, start fyne.Focusable, max int) []fyne.Focusable {
	c.Focus(start)
	var order []fyne.Focusable
	for range max {
		order = append(order, c.Focused())
		test.FocusNext(c)
		if c.Focused() == start {
			break
		}
	}
	return order
}
