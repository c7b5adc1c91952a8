package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/ui/platform/portal"
)

const importFixtures = "../tokens/importers/testdata/"

func TestImportDialogPreviewsThenImports(t *testing.T) {
	h, m := openWindow(t)
	var p *importPreview
	m.previewImport(importFixtures+"postman/Oauth2Folder.postman_collection.json", "", nil, func(got *importPreview) { p = got })
	h.settle()
	if p == nil || m.dlg != p.dlg {
		t.Fatal("no preview shown")
	}
	// A checklist: one row per profile, new and ticked; no secret shown.
	if len(p.checks) != 3 {
		t.Fatalf("%d rows, want 3", len(p.checks))
	}
	for i, c := range p.checks {
		if !c.Checked || c.Disabled() || p.results[i].Text != "New profile" {
			t.Errorf("row %d: ticked %v, disabled %v, %q", i, c.Checked, c.Disabled(), p.results[i].Text)
		}
	}
	shownNames := 0
	walk(m.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "folder-client-secret") {
			t.Errorf("the checklist shows a secret: %q", l.Text)
		} else if ok && strings.HasPrefix(l.Text, "Oauth2 Folder - Inherited Folder") {
			shownNames++
		}
	})
	if shownNames != 3 {
		t.Errorf("%d profile names in the checklist, want 3", shownNames)
	}
	if p.replace.Checked {
		t.Error("Replace is ticked for a collection")
	}
	if p.importBtn.Text != "Import 3 profiles" || p.importBtn.Disabled() {
		t.Fatalf("import button %q disabled=%v", p.importBtn.Text, p.importBtn.Disabled())
	}
	// Only the ticked rows are imported.
	p.checks[1].SetChecked(false)
	p.checks[2].SetChecked(false)
	if p.importBtn.Text != "Import 1 profile" {
		t.Errorf("import button %q, want the singular", p.importBtn.Text)
	}
	p.checks[2].SetChecked(true)
	test.Tap(p.importBtn)
	h.settle()
	names := []string{"Oauth2 Folder - Inherited Folder", "Oauth2 Folder - Inherited Folder - Emptied Prefix", "Oauth2 Folder - Inherited Folder - Query Placement No Prefix"}
	for i, name := range names {
		got, ok := h.store.get(name)
		if i == 1 {
			if ok {
				t.Errorf("the unticked %q was imported", name)
			}
			continue
		}
		if !ok || got.ClientSecret == "" {
			t.Fatalf("profile %q not saved with its secret: %+v", name, got)
		}
	}
	// No dialog to dismiss: the first imported profile is selected and
	// the message is in its details.
	if m.dlg != nil {
		t.Fatal("a dialog after the import")
	}
	if m.selected != names[0] || m.details.name != names[0] || m.details.message.Text != "Imported 2 profiles." {
		t.Errorf("after the import: selected %q, details %q, message %q", m.selected, m.details.name, m.details.message.Text)
	}
	// Again: two names exist now; they are skipped, the third is new.
	m.previewImport(importFixtures+"postman/Oauth2Folder.postman_collection.json", "", nil, func(got *importPreview) { p = got })
	h.settle()
	if p.importBtn.Text != "Import 1 profile" || !p.checks[0].Disabled() || !strings.HasPrefix(p.results[0].Text, "Skipped: a profile of this name is stored") {
		t.Fatalf("second preview: button %q, row 0 %q", p.importBtn.Text, p.results[0].Text)
	}
}

func TestImportDialogAsksForSecretsTheCollectionLacks(t *testing.T) {
	h, m := openWindow(t)
	var p *importPreview
	m.previewImport(importFixtures+"bruno/own-edge", "", nil, func(got *importPreview) { p = got })
	h.settle()
	if p == nil || p.format != "bruno" || len(p.secrets) != 2 || p.secrets["client_secret"] == nil {
		t.Fatalf("preview %+v", p)
	}
	p.secrets["client_secret"].SetText("typed-secret-value")
	test.Tap(p.importBtn)
	h.settle()
	if got, _ := h.store.get("Shop APIs"); got.ClientSecret != "typed-secret-value" {
		t.Fatalf("Shop APIs secret %q", got.ClientSecret)
	}
	if got, ok := h.store.get("Shop APIs - Payments"); !ok || got.ClientSecret != "" {
		t.Fatalf("Payments, left empty, saved %+v (%v)", got, ok)
	}
}

func TestImportDialogShowsReadErrors(t *testing.T) {
	h, m := openWindow(t)
	bad := filepath.Join(t.TempDir(), "notes.json")
	os.WriteFile(bad, []byte(`{"hello": "world"}`), 0o600)
	shown := false
	m.previewImport(bad, "", nil, func(*importPreview) { shown = true })
	h.settle()
	if shown || m.dlg == nil {
		t.Fatal("a file of no known format got a preview")
	}
}

// A Tokentray export (`tokentray export`) is previewed and imported by the
// same dialog; a profile exported without its secret asks for it.
func TestImportDialogReadsATokentrayExport(t *testing.T) {
	h, m := openWindow(t)
	path := filepath.Join(t.TempDir(), "export.json")
	export := `{"format": "tokentray-profiles", "version": 1, "profiles": [
  {"name": "from-export", "token_url": "https://auth.example.com/token", "client_id": "c9", "auth": "client_secret_basic"}]}`
	if err := os.WriteFile(path, []byte(export), 0o600); err != nil {
		t.Fatal(err)
	}
	var p *importPreview
	m.previewImport(path, "", nil, func(got *importPreview) { p = got })
	h.settle()
	if p == nil || p.format != "tokentray" || len(p.secrets) != 1 {
		t.Fatalf("preview %+v", p)
	}
	// An export replaces stored profiles by default, as `tokentray import FILE` does.
	if !p.replace.Checked {
		t.Error("Replace is not ticked for a Tokentray export")
	}
	for _, e := range p.secrets {
		e.SetText("export-secret-value")
	}
	test.Tap(p.importBtn)
	h.settle()
	if got, ok := h.store.get("from-export"); !ok || got.ClientSecret != "export-secret-value" || got.ClientID != "c9" {
		t.Fatalf("from-export saved as %+v (%v)", got, ok)
	}
}

// The desktop's chooser (the XDG portal) is asked first; without one,
// Fyne's dialog; and a path can be typed instead (issue 29: Fyne's
// dialog has no path field and wraps folder names).
func TestImportChoosers(t *testing.T) {
	h, m := openWindow(t)
	fixture := importFixtures + "postman/Oauth2Folder.postman_collection.json"
	var asked []portal.Filter
	h.c.chooseFile = func(_ context.Context, _ string, dir bool, filters []portal.Filter) (string, error) {
		asked = filters
		return fixture, nil
	}
	fellBack := false
	m.chooseImport(false, func() { fellBack = true })
	h.settle()
	if fellBack || len(asked) == 0 || !strings.Contains(strings.Join(asked[0].Patterns, " "), "*.json") {
		t.Fatalf("portal not used with a .json filter (fell back %v, filters %v)", fellBack, asked)
	}
	if m.dlg == nil {
		t.Fatal("no preview after the portal's answer")
	}
	m.closeDialog()

	h.c.chooseFile = func(context.Context, string, bool, []portal.Filter) (string, error) { return "", portal.ErrUnavailable }
	m.chooseImport(false, func() { fellBack = true })
	h.settle()
	if !fellBack {
		t.Error("no portal, and no fallback")
	}
	m.closeDialog()

	m.showImport()
	test.Type(m.importPath, fixture)
	m.importPath.OnSubmitted(m.importPath.Text)
	h.settle()
	previewed := false
	walk(m.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Text == "New profile" {
			previewed = true
		}
	})
	if !previewed {
		t.Fatal("a typed path gave no preview")
	}
}

// The checklist says how a row that signs a person in gets its tokens
// (the grant), so it is not taken for a service's profile; the others,
// client credentials, say nothing of it. Before, no row named its grant.
func TestImportChecklistShowsTheGrantOfSignInRows(t *testing.T) {
	h, m := openWindow(t)
	var p *importPreview
	m.previewImport(importFixtures+"bruno/collection_oauth2", "Local", nil, func(got *importPreview) { p = got })
	h.settle()
	if p == nil || len(p.details) != len(p.plan.Rows) || len(p.details) != 3 {
		t.Fatalf("preview %+v", p)
	}
	signIns := 0
	for i, r := range p.plan.Rows {
		got := p.details[i].Text
		signsIn := r.Profile.Normalized().Grant.SignsIn()
		if signsIn {
			signIns++
		}
		if signsIn != strings.HasPrefix(got, "authorization code sign-in · ") {
			t.Errorf("row %q (grant %q): details %q", r.Profile.Name, r.Profile.Grant, got)
		}
	}
	if signIns != 1 {
		t.Errorf("%d rows sign in, want the fixture's one", signIns)
	}
}
