package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/ui/buildinfo"
)

// aboutButton is the "About Tokentray" button under the settings: it
// opens a dialog with what `tokentray --version` prints.
func (m *manageWindow) aboutButton() *widget.Button {
	b := widget.NewButtonWithIcon("About Tokentray", theme.InfoIcon(), func() {
		m.showDialog(dialog.NewCustom("About Tokentray", "Close", aboutContent(buildinfo.Read()), m.win))
	})
	b.Importance = widget.LowImportance
	b.Alignment = widget.ButtonAlignLeading
	return b
}

// aboutContent shows in: the version, commit and date, Go and Fyne, in
// monospace so the lines align as in a terminal, and selectable, for a
// bug report.
func aboutContent(in buildinfo.Info) *widget.Label {
	l := widget.NewLabel(in.String())
	l.TextStyle = fyne.TextStyle{Monospace: true}
	l.Selectable = true
	return l
}
