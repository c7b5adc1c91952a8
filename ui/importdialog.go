package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens/importers"
	"github.com/tokentray/tokentray/ui/cli"
	"github.com/tokentray/tokentray/ui/explain"
)

// importButton is the window's entry to showImport, beside "Add profile…".
func (m *manageWindow) importButton() *widget.Button {
	return widget.NewButtonWithIcon("Import…", theme.DownloadIcon(), m.showImport)
}

// showImport starts importing profiles from another API client: a file
// (Postman collection, Insomnia export) or a folder (Bruno collection) is
// picked, its format detected, the same preview as `tokentray import
// --from … --dry-run` shown, and the profiles imported on confirmation.
func (m *manageWindow) showImport() {
	intro := widget.NewLabel("Import the client-credentials OAuth 2.0 settings of your API client: " +
		"a Postman collection or an Insomnia export (a file), or a Bruno collection (its folder); or a Tokentray export. " +
		"You see what will be created before anything is saved.")
	intro.Wrapping = fyne.TextWrapWord
	var chooser dialog.Dialog
	fileBtn := newEscButton("Choose a file…", theme.FileIcon(), func() {
		chooser.Hide()
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			r.Close()
			m.previewImport(r.URI().Path(), "", false, nil)
		}, m.win)
		d.SetFilter(storage.NewExtensionFileFilter([]string{".json", ".yaml", ".yml"}))
		d.Resize(fyne.NewSize(680, 480))
		m.showDialog(d)
	}, m.escape)
	folderBtn := widget.NewButtonWithIcon("Choose a Bruno folder…", theme.FolderIcon(), func() {
		chooser.Hide()
		d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err != nil || u == nil {
				return
			}
			m.previewImport(u.Path(), "", false, nil)
		}, m.win)
		d.Resize(fyne.NewSize(680, 480))
		m.showDialog(d)
	})
	fileBtn.Importance = widget.HighImportance
	chooser = dialog.NewCustom("Import profiles", "Cancel", container.NewVBox(intro, container.NewHBox(fileBtn, folderBtn)), m.win)
	chooser.Resize(fyne.NewSize(520, 0))
	m.showDialog(chooser)
}

// importPreview is the preview dialog of one source.
type importPreview struct {
	path      string
	format    importers.Format
	plan      cli.ImportPlan
	table     *widget.Label
	envEntry  *widget.Entry
	replace   *widget.Check
	secrets   map[string]*widget.Entry
	importBtn *escButton // coloured: an escButton for its focus ring
	dlg       dialog.Dialog
}

// previewImport reads path in the background and shows its preview; env
// is the environment (a Postman environment file, a Bruno or Insomnia
// environment name). shown, when set, gets the preview (tests).
func (m *manageWindow) previewImport(path, env string, replace bool, shown func(*importPreview)) {
	c := m.ctl
	c.bg(func() {
		plan, format, err := planImport(c, path, env, replace)
		c.ui(func() {
			if err != nil {
				m.showDialog(dialog.NewError(wordedError{"Could not import from " + path + ": " + withPeriod(explain.Error(err))}, m.win))
				return
			}
			p := m.showPreview(path, format, env, replace, plan)
			if shown != nil {
				shown(p)
			}
		})
	})
}

// planImport detects, reads and plans against the stored profiles. (bg)
func planImport(c *controller, path, env string, replace bool) (cli.ImportPlan, importers.Format, error) {
	res, err := cli.ReadExport(path) // a Tokentray export, first
	if err != nil {
		format, derr := importers.Detect(path)
		if derr != nil {
			return cli.ImportPlan{}, "", derr
		}
		if res, err = importers.Read(format, path, importers.Options{Environment: env}); err != nil {
			return cli.ImportPlan{}, format, err
		}
	}
	format := res.Format
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	existing, _, err := c.opts.Engine.LoadProfiles(ctx)
	if err != nil {
		return cli.ImportPlan{}, format, err
	}
	return cli.PlanImport(res, existing, replace), format, nil
}

func (m *manageWindow) showPreview(path string, format importers.Format, env string, replace bool, plan cli.ImportPlan) *importPreview {
	p := &importPreview{path: path, format: format, plan: plan, secrets: map[string]*widget.Entry{}}
	var table strings.Builder
	plan.WriteTable(&table)
	p.table = widget.NewLabelWithStyle(strings.TrimRight(table.String(), "\n"), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	scroll := container.NewScroll(p.table)
	scroll.SetMinSize(fyne.NewSize(820, 220))

	p.envEntry = widget.NewEntry()
	p.envEntry.SetText(env)
	if format == importers.Postman {
		p.envEntry.SetPlaceHolder("Postman environment file (resolves {{variables}})")
	} else {
		p.envEntry.SetPlaceHolder("environment name (default: the only one)")
	}
	p.replace = widget.NewCheck("Replace stored profiles of the same name", nil)
	p.replace.SetChecked(replace)
	again := func() {
		p.dlg.Hide()
		m.previewImport(path, strings.TrimSpace(p.envEntry.Text), p.replace.Checked, nil)
	}
	p.replace.OnChanged = func(bool) { again() }
	envRow := container.NewBorder(nil, nil, widget.NewLabel("Environment"), widget.NewButton("Preview again", again), p.envEntry)
	if format == importers.Postman {
		pick := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() {
			d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
				if err != nil || r == nil {
					return
				}
				r.Close()
				p.envEntry.SetText(r.URI().Path())
				again()
			}, m.win)
			d.Resize(fyne.NewSize(680, 480))
			d.Show()
		})
		envRow = container.NewBorder(nil, nil, widget.NewLabel("Environment"), container.NewHBox(pick, widget.NewButton("Preview again", again)), p.envEntry)
	}
	items := []fyne.CanvasObject{scroll, envRow, p.replace}
	if missing := plan.MissingSecrets(); len(missing) > 0 {
		form := widget.NewForm()
		for _, name := range missing {
			e := widget.NewPasswordEntry()
			e.SetPlaceHolder("kept outside the collection; empty: add it later with Edit")
			p.secrets[name] = e
			form.Append(name, e)
		}
		items = append(items, widget.NewLabel("Secrets the collection does not hold:"), form)
	}
	importable := 0
	for _, r := range plan.Rows {
		if r.Action == cli.ImportNew || r.Action == cli.ImportReplace {
			importable++
		}
	}
	p.importBtn = newEscButton(fmt.Sprintf("Import %d profiles", importable), theme.ConfirmIcon(), func() { m.applyImport(p) }, m.escape)
	p.importBtn.Importance = widget.HighImportance
	if importable == 0 {
		p.importBtn.Disable()
	}
	cancel := widget.NewButton("Cancel", func() { p.dlg.Hide() })
	items = append(items, container.NewHBox(layout.NewSpacer(), cancel, p.importBtn))
	p.dlg = dialog.NewCustomWithoutButtons(fmt.Sprintf("Import from %s (%s)", explain.Printable(p.plan.Source), format), container.NewVBox(items...), m.win)
	p.dlg.Resize(fyne.NewSize(880, 0))
	m.showDialog(p.dlg)
	return p
}

// applyImport saves the previewed profiles in the background, then
// reloads the profiles and says what was done.
func (m *manageWindow) applyImport(p *importPreview) {
	secrets := map[string]string{}
	for name, e := range p.secrets {
		secrets[name] = e.Text
	}
	p.importBtn.Disable()
	c := m.ctl
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		saved, needSecret, err := cli.ApplyImport(ctx, c.opts.Engine, p.plan, secrets)
		c.ui(func() {
			p.dlg.Hide()
			c.loadProfiles(false)
			msg := fmt.Sprintf("Imported %d profiles.", len(saved))
			if len(needSecret) > 0 {
				msg += " No client secret yet for: " + strings.Join(needSecret, ", ") + " — give it with Edit."
			}
			if err != nil {
				m.showDialog(dialog.NewError(wordedError{msg + " Then it stopped: " + withPeriod(explain.Error(err))}, m.win))
				return
			}
			m.showDialog(dialog.NewInformation("Import done", msg, m.win))
		})
	})
}
