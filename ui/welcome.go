package ui

import (
	"os"
	"os/exec"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/ui/explain"

	"github.com/tokentray/tokentray/ui/kit"
)

// The first run: an empty window says what Tokentray does and offers a
// way in; a keyring that is locked or absent is explained with what to do.

// Wording of the first-run panel.
const (
	welcomeTitle = "Welcome to Tokentray"
	welcomeLine1 = "Tokentray keeps OAuth 2.0 client credentials in your system keyring and fetches access tokens with them."
	welcomeLine2 = "Click a profile in the tray to copy a fresh token; it is refreshed before it expires."
)

// newWelcome builds the first-run panel: two lines on what Tokentray
// does, then "Add profile", "Import…" and "Try the demo".
func (m *manageWindow) newWelcome() *fyne.Container {
	title := widget.NewLabelWithStyle(welcomeTitle, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	l1 := widget.NewLabel(welcomeLine1)
	l1.Wrapping = fyne.TextWrapWord
	l2 := widget.NewLabel(welcomeLine2)
	l2.Wrapping = fyne.TextWrapWord
	add := newEscButton("Add profile", theme.ContentAddIcon(), func() { m.editProfile("") }, m.escape)
	add.Importance = widget.HighImportance
	imp := newEscButton("Import…", theme.DownloadIcon(), m.showImport, m.escape)
	demo := newEscButton("Try the demo", theme.MediaPlayIcon(), m.tryDemo, m.escape)
	if m.ctl.opts.Demo {
		demo.Hide()
	}
	m.welcomeButtons = []*escButton{add, imp, demo}
	buttons := &kit.WrapLayout{}
	w := container.NewPadded(container.NewVBox(
		layout.NewSpacer(),
		title, l1, l2,
		container.New(buttons, add, imp, demo),
		layout.NewSpacer(),
	))
	buttons.Relayout = func() { m.ctl.ui(w.Refresh) }
	return w
}

// tryDemo starts the demo (`tokentray --demo --show`, its own process: an
// embedded local token server and sample profiles, nothing written to the
// keyring) next to this app.
func (m *manageWindow) tryDemo() {
	if err := m.ctl.startDemo(); err != nil {
		m.showDialog(dialog.NewError(wordedError{"Could not start the demo: " + explain.WithPeriod(explain.Error(err))}, m.win))
	}
}

// startDemoProcess runs this executable with --demo --show, detached from
// this app's lifetime.
func startDemoProcess() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, "--demo", "--show")
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
