package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens/importers"
	"github.com/tokentray/tokentray/ui/explain"
	"github.com/tokentray/tokentray/ui/platform/portal"
)

// importButton is the window's entry to showImport, beside "Add profile…".
func (m *manageWindow) importButton() *widget.Button {
	return widget.NewButtonWithIcon(explain.ImportButton, theme.DownloadIcon(), m.showImport)
}

// showImport starts importing profiles from another API client: a file
// (Postman collection, Insomnia export) or a folder (Bruno collection) is
// picked, its format detected, the same preview as `tokentray import
// --from … --dry-run` shown, and the profiles imported on confirmation.
func (m *manageWindow) showImport() {
	intro := widget.NewLabel(explain.ImportIntro)
	intro.Wrapping = fyne.TextWrapWord
	var chooser dialog.Dialog
	fileBtn := newEscButton(explain.ImportChooseFile, theme.FileIcon(), func() {
		chooser.Hide()
		m.chooseImport(false, func() {
			d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
				if err != nil || r == nil {
					return
				}
				r.Close()
				m.previewImport(r.URI().Path(), "", nil, nil)
			}, m.win)
			d.SetFilter(storage.NewExtensionFileFilter([]string{".json", ".yaml", ".yml"}))
			d.Resize(fyne.NewSize(680, 480))
			m.showDialog(d)
		})
	}, m.escape)
	folderBtn := widget.NewButtonWithIcon(explain.ImportChooseFolder, theme.FolderIcon(), func() {
		chooser.Hide()
		m.chooseImport(true, func() {
			d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
				if err != nil || u == nil {
					return
				}
				m.previewImport(u.Path(), "", nil, nil)
			}, m.win)
			d.Resize(fyne.NewSize(680, 480))
			m.showDialog(d)
		})
	})
	fileBtn.Importance = widget.HighImportance
	// A path typed or pasted, for when a chooser is in the way.
	path := widget.NewEntry()
	path.SetPlaceHolder(explain.ImportPathPlaceholder)
	open := func() {
		if p := strings.TrimSpace(path.Text); p != "" {
			chooser.Hide()
			m.previewImport(p, "", nil, nil)
		}
	}
	path.OnSubmitted = func(string) { open() }
	pathRow := container.NewBorder(nil, nil, nil, widget.NewButton(explain.ImportPreviewButton, open), path)
	m.importPath = path
	chooser = dialog.NewCustom(explain.ImportTitle, explain.Cancel, container.NewVBox(intro, container.NewHBox(fileBtn, folderBtn), pathRow), m.win)
	chooser.Resize(fyne.NewSize(520, 0))
	m.showDialog(chooser)
}

// importFilters are the chooser's file types for an import.
var importFilters = []portal.Filter{
	{Name: explain.ImportFilterSources, Patterns: []string{"*.json", "*.yaml", "*.yml"}},
	{Name: explain.ImportFilterAll, Patterns: []string{"*"}},
}

// chooseImport asks the desktop's own chooser (the XDG portal) for what
// to import, and previews it; where there is no portal, fallback shows
// Fyne's dialog instead. (ui)
func (m *manageWindow) chooseImport(directory bool, fallback func()) {
	c := m.ctl
	c.bg(func() {
		path, err := c.chooseFile(context.Background(), explain.ImportPortalTitle, directory, importFilters)
		c.ui(func() {
			switch {
			case err == nil:
				m.previewImport(path, "", nil, nil)
			case errors.Is(err, portal.ErrUnavailable):
				fallback()
			}
		})
	})
}

// importPreview is the preview dialog of one source: a checklist, one row
// per profile the source holds (new, replaces a stored one, or not
// importable and why), each with a check box; only the ticked rows are
// imported.
type importPreview struct {
	path      string
	format    importers.Format
	plan      importers.Plan
	checks    []*widget.Check // one per plan row; disabled for a row that cannot be imported
	results   []*widget.Label // one per plan row: new / replaces / not imported and why
	details   []*widget.Label // one per plan row: its facts (explain.ImportRowFacts)
	envEntry  *widget.Entry
	replace   *widget.Check
	secrets   map[string]*widget.Entry
	importBtn *escButton // coloured: an escButton for its focus ring
	dlg       dialog.Dialog
}

// previewImport reads path in the background and shows its preview; env
// is the environment (a Postman environment file, a Bruno or Insomnia
// environment name); replace, when set, says whether stored profiles of
// the same name are replaced (nil: the format's default,
// importers.ReplacesByDefault, as on the command line). shown, when set,
// gets the preview (tests).
func (m *manageWindow) previewImport(path, env string, replace *bool, shown func(*importPreview)) {
	c := m.ctl
	c.bg(func() {
		plan, replace, err := planImport(c, path, env, replace)
		c.ui(func() {
			if err != nil {
				m.showDialog(dialog.NewError(wordedError{explain.ImportCannotRead(path, err)}, m.win))
				return
			}
			p := m.showPreview(path, env, replace, plan)
			if shown != nil {
				shown(p)
			}
		})
	})
}

// planImport detects, reads and plans against the stored profiles, through
// the one import pipeline of the command line too. (bg)
func planImport(c *controller, path, env string, replace *bool) (importers.Plan, bool, error) {
	format, err := importers.Detect(path)
	if err != nil {
		return importers.Plan{}, false, err
	}
	res, err := importers.Read(format, path, importers.Options{Environment: env})
	if err != nil {
		return importers.Plan{}, false, err
	}
	rep := importers.ReplacesByDefault(format)
	if replace != nil {
		rep = *replace
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	existing, _, err := c.opts.Engine.LoadProfiles(ctx)
	if err != nil {
		return importers.Plan{}, rep, err
	}
	plan, err := importers.NewPlan(res, existing, rep)
	return plan, rep, err
}

func (m *manageWindow) showPreview(path, env string, replace bool, plan importers.Plan) *importPreview {
	format := plan.Format
	p := &importPreview{path: path, format: format, plan: plan, secrets: map[string]*widget.Entry{}}
	list := container.NewVBox()
	for _, r := range plan.Rows {
		check, result, details, row := importRow(r)
		check.OnChanged = func(bool) { p.updateButton() }
		p.checks, p.results, p.details = append(p.checks, check), append(p.results, result), append(p.details, details)
		list.Add(row)
	}
	for _, sk := range plan.Skipped {
		list.Add(skippedRow(sk))
	}
	if len(plan.Rows) == 0 && len(plan.Skipped) == 0 {
		list.Add(widget.NewLabel(explain.ImportNothingFound))
	}
	scroll := container.NewVScroll(list)
	scroll.SetMinSize(fyne.NewSize(560, 300))

	p.envEntry = widget.NewEntry()
	p.envEntry.SetText(env)
	if format == importers.Postman {
		p.envEntry.SetPlaceHolder(explain.ImportPostmanEnvPlaceholder)
	} else {
		p.envEntry.SetPlaceHolder(explain.ImportEnvNamePlaceholder)
	}
	p.replace = widget.NewCheck(explain.ImportReplaceCheck, nil)
	p.replace.SetChecked(replace)
	again := func() {
		p.dlg.Hide()
		replace := p.replace.Checked
		m.previewImport(path, strings.TrimSpace(p.envEntry.Text), &replace, nil)
	}
	p.replace.OnChanged = func(bool) { again() }
	envRow := container.NewBorder(nil, nil, widget.NewLabel(explain.ImportEnvLabel), widget.NewButton(explain.ImportPreviewAgain, again), p.envEntry)
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
		envRow = container.NewBorder(nil, nil, widget.NewLabel(explain.ImportEnvLabel), container.NewHBox(pick, widget.NewButton(explain.ImportPreviewAgain, again)), p.envEntry)
	}
	items := []fyne.CanvasObject{scroll, envRow, p.replace}
	if format == importers.Tokentray { // an export has no environments
		items = []fyne.CanvasObject{scroll, p.replace}
	}
	if missing := plan.MissingSecrets(); len(missing) > 0 {
		form := widget.NewForm()
		for _, name := range missing {
			e := widget.NewPasswordEntry()
			e.SetPlaceHolder(explain.ImportSecretPlaceholder)
			p.secrets[name] = e
			form.Append(name, e)
		}
		items = append(items, widget.NewLabel(explain.ImportSecretsHeading), form)
	}
	p.importBtn = newEscButton("", theme.ConfirmIcon(), func() { m.applyImport(p) }, m.escape)
	p.importBtn.Importance = widget.HighImportance
	p.updateButton()
	cancel := widget.NewButton(explain.Cancel, func() { p.dlg.Hide() })
	items = append(items, container.NewHBox(layout.NewSpacer(), cancel, p.importBtn))
	p.dlg = dialog.NewCustomWithoutButtons(explain.ImportPreviewTitle(p.plan.Source, format), container.NewVBox(items...), m.win)
	p.dlg.Resize(fyne.NewSize(640, 0))
	m.showDialog(p.dlg)
	return p
}

// importRow is a plan row of the checklist: a check box (ticked and
// enabled for a profile that can be imported), the name and what the
// import does with it, and a line of details (the grant of a profile that
// signs in, its endpoint, client and scopes).
func importRow(r importers.Row) (check *widget.Check, result, details *widget.Label, row fyne.CanvasObject) {
	pr := r.Profile.Normalized()
	check = widget.NewCheck("", nil)
	if r.Action.Importable() {
		check.SetChecked(true)
	} else {
		check.Disable()
	}
	name := widget.NewLabelWithStyle(explain.Printable(pr.Name), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	result = newWrapped(widget.MediumImportance)
	switch r.Action {
	case importers.New:
		result.SetText(explain.ImportRowNew)
		result.Importance = widget.SuccessImportance
	case importers.Replace:
		result.SetText(explain.ImportRowReplaces)
		result.Importance = widget.WarningImportance
	case importers.Clash:
		result.SetText(explain.ImportRowClash)
		result.Importance = widget.LowImportance
	default:
		result.SetText(explain.ImportRowSkipped(r))
		result.Importance = widget.DangerImportance
	}
	details = newWrapped(widget.LowImportance)
	details.SizeName = theme.SizeNameCaptionText
	details.SetText(explain.ImportRowFacts(r))
	return check, result, details, container.NewBorder(nil, nil, container.NewVBox(check), nil,
		container.New(layout.NewCustomPaddedVBoxLayout(-theme.Padding()), name, result, details))
}

// skippedRow is a configuration of the source that made no profile.
func skippedRow(sk importers.Skipped) fyne.CanvasObject {
	check := widget.NewCheck("", nil)
	check.Disable()
	name := widget.NewLabelWithStyle(explain.Printable(sk.Origin), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	why := newWrapped(widget.LowImportance)
	why.SetText(explain.ImportSkippedConfig(sk))
	return container.NewBorder(nil, nil, container.NewVBox(check), nil, container.NewVBox(name, why))
}

// chosen is the plan with only the ticked rows.
func (p *importPreview) chosen() importers.Plan {
	plan := p.plan
	plan.Rows = nil
	for i, r := range p.plan.Rows {
		if r.Action.Importable() && p.checks[i].Checked {
			plan.Rows = append(plan.Rows, r)
		}
	}
	return plan
}

// updateButton words the Import button for the ticked rows.
func (p *importPreview) updateButton() {
	n := p.chosen().Importable()
	p.importBtn.SetText(explain.ImportApplyButton(n))
	setEnabled(p.importBtn, n > 0)
}

// applyImport saves the ticked profiles in the background, then reloads
// the profiles and selects the first one imported, saying there what was
// done (no dialog to dismiss); a failure is shown in a dialog.
func (m *manageWindow) applyImport(p *importPreview) {
	secrets := map[string]string{}
	for name, e := range p.secrets {
		secrets[name] = e.Text
	}
	plan := p.chosen()
	p.importBtn.Disable()
	c := m.ctl
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		outcome, err := importers.Apply(ctx, c.opts.Engine, plan, secrets)
		c.ui(func() {
			p.dlg.Hide()
			msg := explain.ImportDone(outcome)
			kind := msgSuccess
			if len(outcome.NeedSecret) > 0 || len(outcome.Incomplete) > 0 {
				kind = msgWarning
			}
			if saved := append(outcome.New, outcome.Replaced...); len(saved) > 0 {
				m.selected = saved[0]
				m.refreshDetails()
				m.details.say(statusMsg{title: msg, kind: kind, until: c.now().Add(time.Minute)})
			}
			c.loadProfiles(false)
			if err != nil {
				m.showDialog(dialog.NewError(wordedError{explain.ImportStopped(msg, err)}, m.win))
			}
		})
	})
}
