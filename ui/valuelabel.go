package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// valueLabel is a label whose whole text can be copied: a Tab stop with a
// focus ring, where Ctrl+C copies the text, and a right click offers
// "Copy". It stands in for Fyne's selectable label, which takes the focus
// without showing it, copies an empty selection over the clipboard on
// Ctrl+C and keeps Escape from closing the window (issue 11).
type valueLabel struct {
	widget.Label
	onEsc   func()
	focused bool // (ui)
}

// OwnLabel is the label it draws with (kit.LabelOwner: the key/value
// layout keeps its words whole).
func (v *valueLabel) OwnLabel() *widget.Label { return &v.Label }

// newValueLabel returns an empty, word-wrapped value label; Escape on it
// calls onEsc (nil: nothing).
func newValueLabel(onEsc func()) *valueLabel {
	v := &valueLabel{onEsc: onEsc}
	v.Wrapping = fyne.TextWrapWord
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer is the label's own, with a focus ring on its edge while
// focused.
func (v *valueLabel) CreateRenderer() fyne.WidgetRenderer {
	r := newRingRenderer(v, v.Label.CreateRenderer(), func() bool { return v.focused })
	r.inset = true // a ring outside would touch the details' scroll bar
	return r
}

// FocusGained shows the ring and brings the label into view.
func (v *valueLabel) FocusGained() {
	v.focused = true
	v.Refresh()
	revealFocused(v)
}

// FocusLost hides the ring.
func (v *valueLabel) FocusLost() {
	v.focused = false
	v.Refresh()
}

// TypedRune ignores typing: the text is read-only.
func (v *valueLabel) TypedRune(rune) {}

// TypedKey passes Escape to onEsc.
func (v *valueLabel) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && v.onEsc != nil {
		v.onEsc()
	}
}

// TypedShortcut copies the text on Ctrl+C and hands every other shortcut
// to the window (Fyne gives shortcuts to the focused widget only).
func (v *valueLabel) TypedShortcut(s fyne.Shortcut) {
	if _, ok := s.(*fyne.ShortcutCopy); ok {
		v.copyText()
		return
	}
	if c, ok := fyne.CurrentApp().Driver().CanvasForObject(v).(fyne.Shortcutable); ok {
		c.TypedShortcut(s)
	}
}

// Tapped focuses the label, so a click shows where Ctrl+C will copy from.
func (v *valueLabel) Tapped(*fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil {
		c.Focus(v)
	}
}

// TappedSecondary offers "Copy" in a menu at the pointer.
func (v *valueLabel) TappedSecondary(e *fyne.PointEvent) {
	c := fyne.CurrentApp().Driver().CanvasForObject(v)
	if c == nil || v.Text == "" {
		return
	}
	menu := fyne.NewMenu("", fyne.NewMenuItem("Copy", v.copyText))
	widget.ShowPopUpMenuAtPosition(menu, c, e.AbsolutePosition)
}

// copyText puts the whole text on the clipboard; an empty label leaves
// the clipboard alone. The values shown are never secrets (the token is
// copied by the Copy buttons, through the clipper).
func (v *valueLabel) copyText() {
	if v.Text != "" {
		fyne.CurrentApp().Clipboard().SetContent(v.Text)
	}
}
