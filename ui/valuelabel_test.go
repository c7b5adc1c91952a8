package ui

import (
	"reflect"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestValueLabelKeys: a details value reached with Tab copies its whole
// text on Ctrl+C (a selectable label copied an empty selection over the
// clipboard), passes the window's other shortcuts on, and Escape hides
// the window.
func TestValueLabelKeys(t *testing.T) {
	tok := token("tok-1", t0.Add(-18*time.Minute), time.Hour)
	h, m := openWindow(t, freshState("dev-api", tok))
	m.selectProfile("dev-api")
	v := m.details.profile.values[1]
	if v.Text != "dev-api-client" {
		t.Fatalf("second profile value %q", v.Text)
	}
	c := m.win.Canvas()
	order := tabCycle(c, m.addBtn, 60)
	reached := false
	for _, o := range order {
		reached = reached || o == fyne.Focusable(v)
	}
	if !reached {
		t.Fatal("the client ID value is not reached with Tab")
	}
	h.app.Clipboard().SetContent("before")
	c.Focus(v)
	v.TypedShortcut(&fyne.ShortcutCopy{})
	if got := h.app.Clipboard().Content(); got != "dev-api-client" {
		t.Errorf("Ctrl+C on the value copied %q", got)
	}
	empty := newValueLabel(nil)
	empty.TypedShortcut(&fyne.ShortcutCopy{})
	if got := h.app.Clipboard().Content(); got != "dev-api-client" {
		t.Errorf("Ctrl+C on an empty value changed the clipboard to %q", got)
	}

	v.TypedShortcut(shortcutNew)
	if m.form == nil {
		t.Fatal("Ctrl+N on a value did not open a new profile")
	}
	m.form.close()
	c.Focus(v)
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if m.visible {
		t.Error("Escape on a value did not hide the window")
	}
}

// TestValueLabelRightClickCopy: a right click offers Copy, which copies
// the value.
func TestValueLabelRightClickCopy(t *testing.T) {
	tok := token("tok-1", t0.Add(-18*time.Minute), time.Hour)
	h, m := openWindow(t, freshState("dev-api", tok))
	m.selectProfile("dev-api")
	v := m.details.profile.values[0]
	test.TapSecondary(v)
	c := m.win.Canvas()
	if len(c.Overlays().List()) == 0 {
		t.Fatal("no menu after a right click")
	}
	menu := c.Overlays().Top()
	copied := false
	for _, o := range test.LaidOutObjects(menu) {
		if item, ok := o.(fyne.Tappable); ok && itemLabel(o) == "Copy" {
			item.Tapped(&fyne.PointEvent{})
			copied = true
			break
		}
	}
	if !copied {
		t.Fatal("the menu has no Copy")
	}
	if got := h.app.Clipboard().Content(); got != v.Text || got == "" {
		t.Errorf("Copy from the menu gave %q, want %q", got, v.Text)
	}
}

// itemLabel is the label of a Fyne menu item (an unexported widget
// holding its *fyne.MenuItem), or "".
func itemLabel(o fyne.CanvasObject) string {
	v := reflect.Indirect(reflect.ValueOf(o))
	if v.Kind() != reflect.Struct {
		return ""
	}
	if f := v.FieldByName("Item"); f.IsValid() {
		if item, ok := f.Interface().(*fyne.MenuItem); ok && item != nil {
			return item.Label
		}
	}
	return ""
}
