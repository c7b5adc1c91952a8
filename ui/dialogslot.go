package ui

import "fyne.io/fyne/v2/dialog"

// dialogSlot remembers the dialog shown over a window, so Escape closes it
// first. The window and the profile form embed one. (ui goroutine only)
type dialogSlot struct {
	dlg dialog.Dialog // the dialog shown, if any
}

// showDialog shows d and remembers it until it closes.
func (s *dialogSlot) showDialog(d dialog.Dialog) {
	s.dlg = d
	d.SetOnClosed(func() {
		if s.dlg == d {
			s.dlg = nil
		}
	})
	d.Show()
}

// closeDialog hides the dialog shown, if any, and reports whether there
// was one.
func (s *dialogSlot) closeDialog() bool {
	if s.dlg == nil {
		return false
	}
	s.dlg.Hide()
	return true
}
