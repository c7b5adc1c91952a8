package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/tokentray/tokentray/ui/explain"
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
	// The same table as `tokentray import --from … --dry-run`.
	var want strings.Builder
	explain.ImportTable(&want, p.plan)
	if p.table.Text != strings.TrimRight(want.String(), "\n") || strings.Count(p.table.Text, " new") != 3 || strings.Contains(p.table.Text, "folder-client-secret") {
		t.Fatalf("preview table:\n%s", p.table.Text)
	}
	if p.replace.Checked {
		t.Error("Replace is ticked for a collection")
	}
	if p.importBtn.Text != "Import 3 profiles" || p.importBtn.Disabled() {
		t.Fatalf("import button %q disabled=%v", p.importBtn.Text, p.importBtn.Disabled())
	}
	test.Tap(p.importBtn)
	h.settle()
	for _, name := range []string{"Oauth2 Folder - Inherited Folder", "Oauth2 Folder - Inherited Folder - Emptied Prefix", "Oauth2 Folder - Inherited Folder - Query Placement No Prefix"} {
		if got, ok := h.store.get(name); !ok || got.ClientSecret == "" {
			t.Fatalf("profile %q not saved with its secret: %+v", name, got)
		}
	}
	if m.dlg == nil || m.dlg == p.dlg {
		t.Fatal("no result dialog after the import")
	}
	// Again: every name exists now; nothing to import without Replace.
	m.previewImport(importFixtures+"postman/Oauth2Folder.postman_collection.json", "", nil, func(got *importPreview) { p = got })
	h.settle()
	if !p.importBtn.Disabled() || strings.Count(p.table.Text, "not imported: a profile by this name exists") != 3 {
		t.Fatalf("second preview:\n%s", p.table.Text)
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
