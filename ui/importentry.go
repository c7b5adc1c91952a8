package ui

import (
	"os"
	"os/exec"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
)

// showImport is the window's way to import profiles: a file picker for a
// Tokentray export (`tokentray export`), imported by this executable's
// own `import` command, the code the command line uses, which then asks
// this app to reload. (Placeholder until the Import dialog of issue 13.)
func (m *manageWindow) showImport() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		m.c.bg(func() {
			out, err := runSelf("import", path)
			m.c.ui(func() {
				if err != nil {
					m.showDialog(dialog.NewError(wordedError{"Import failed: " + withPeriod(string(out))}, m.w))
					return
				}
				m.c.loadStore(false)
			})
		})
	}, m.w)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".json"}))
	d.Resize(fyne.NewSize(680, 480))
	m.showDialog(d)
}

// runSelf runs this executable with args and returns its combined output.
func runSelf(args ...string) ([]byte, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return exec.Command(exe, args...).CombinedOutput()
}
