package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Fyne sends keys to the focused widget only, so a window's
// Canvas.SetOnTypedKey never sees Escape while an entry has focus. These
// thin wrappers pass Escape to onEsc and everything else to the widget.

// escEntry is a widget.Entry that reports Escape.
type escEntry struct {
	widget.Entry
	onEsc func()
}

func newEscEntry(onEsc func(), multiLine, password bool) *escEntry {
	e := &escEntry{onEsc: onEsc}
	e.MultiLine = multiLine
	e.Password = password
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	} else {
		e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	}
	e.ExtendBaseWidget(e)
	return e
}

func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEsc != nil {
		e.onEsc()
		return
	}
	e.Entry.TypedKey(k)
}

// AcceptsTab is false: Tab moves on from a multi-line field too, whose
// lines (name=value, Name: value) never hold a tab; Fyne's multi-line
// Entry would keep Tab and trap a keyboard user.
func (e *escEntry) AcceptsTab() bool { return false }

// escSelect is a widget.Select that reports Escape.
type escSelect struct {
	widget.Select
	onEsc func()
}

func newEscSelect(options []string, changed func(string), onEsc func()) *escSelect {
	s := &escSelect{onEsc: onEsc}
	s.Options = options
	s.OnChanged = changed
	s.ExtendBaseWidget(s)
	return s
}

func (s *escSelect) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && s.onEsc != nil {
		s.onEsc()
		return
	}
	s.Select.TypedKey(k)
}

// escCheck is a widget.Check that reports Escape.
type escCheck struct {
	widget.Check
	onEsc func()
}

func newEscCheck(label string, changed func(bool), onEsc func()) *escCheck {
	c := &escCheck{onEsc: onEsc}
	c.Text = label
	c.OnChanged = changed
	c.ExtendBaseWidget(c)
	return c
}

func (c *escCheck) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && c.onEsc != nil {
		c.onEsc()
		return
	}
	c.Check.TypedKey(k)
}

// escButton is a widget.Button that reports Escape.
type escButton struct {
	widget.Button
	onEsc   func()
	focused bool // for its focus ring (focusring.go)
}

func newEscButton(label string, icon fyne.Resource, tapped, onEsc func()) *escButton {
	b := &escButton{onEsc: onEsc}
	b.Text = label
	b.Icon = icon
	b.OnTapped = tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *escButton) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && b.onEsc != nil {
		b.onEsc()
		return
	}
	b.Button.TypedKey(k)
}
