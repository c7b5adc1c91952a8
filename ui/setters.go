package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Setters that refresh a widget only when what it shows changes: the
// window rewrites its values every second, and a refresh redraws.

// setText sets l's text, refreshing l only when it changes.
func setText(l *widget.Label, s string) {
	if l.Text != s {
		l.SetText(s)
		counted(l)
	}
}

// setImportance sets l's importance, refreshing l only when it changes.
func setImportance(l *widget.Label, i widget.Importance) {
	if l.Importance != i {
		l.Importance = i
		l.Refresh()
		counted(l)
	}
}

// setEnabled enables or disables w, refreshing it only when that changes.
func setEnabled(w interface {
	fyne.Disableable
	fyne.CanvasObject
}, on bool) {
	if on && w.Disabled() {
		w.Enable()
		counted(w)
	} else if !on && !w.Disabled() {
		w.Disable()
		counted(w)
	}
}
