package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/cli"
)

// One export file gives one result whether `tokentray import FILE` or the
// window's Import… (with its defaults, importing without typing a secret)
// reads it: the same profiles stored, the same refusals. Both go through
// the one pipeline of tokens/importers.
func TestExportImportsTheSameFromCLIAndWindow(t *testing.T) {
	svc := tokens.Profile{Name: "svc", TokenURL: "https://auth.example.com/token", ClientID: "c1", ClientSecret: "stored-secret-value", Scopes: []string{"a"}}
	prof := func(name, tokenURL string, extra map[string]any) map[string]any {
		m := map[string]any{"name": name, "token_url": tokenURL, "client_id": "c1"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	many := make([]map[string]any, 501)
	for i := range many {
		many[i] = prof(fmt.Sprintf("p%d", i), "https://auth.example.com/token", map[string]any{"client_secret": "s3cret-value"})
	}
	for _, tc := range []struct {
		name     string
		stored   []tokens.Profile
		profiles []map[string]any
	}{
		{"with secrets, into an empty store", nil, []map[string]any{
			prof("one", "https://a.example/token", map[string]any{"client_secret": "s3cret-one", "refresh_lead": "90s"}),
			prof("two", "https://b.example/token", map[string]any{"client_secret": "s3cret-two", "auth": "client_secret_post"})}},
		{"without secrets, over the same client: the stored secret is kept", []tokens.Profile{svc}, []map[string]any{
			prof("svc", svc.TokenURL, map[string]any{"scopes": []string{"a", "b"}})}},
		{"without secrets, another client: refused", []tokens.Profile{svc}, []map[string]any{
			prof("svc", "https://attacker.example/token", nil)}},
		{"with its own secret, another client: replaced", []tokens.Profile{svc}, []map[string]any{
			prof("svc", "https://moved.example/token", map[string]any{"client_secret": "new-s3cret"})}},
		{"a new profile without its secret: saved as a draft", nil, []map[string]any{
			prof("draft", "https://a.example/token", nil)}},
		{"bad rows beside a good one", []tokens.Profile{svc}, []map[string]any{
			prof("good", "https://a.example/token", map[string]any{"client_secret": "s3cret-good"}),
			prof("good", "https://b.example/token", map[string]any{"client_secret": "s3cret-good"}),
			prof("insecure", "http://a.example/token", map[string]any{"client_secret": "s3cret-value"}),
			prof("nolead", "https://a.example/token", map[string]any{"client_secret": "s3cret-value", "refresh_lead": "soon"}),
			prof("esc\x1b[2J", "https://a.example/token", map[string]any{"client_secret": "s3cret-value"})}},
		{"over the profile limit: nothing", []tokens.Profile{svc}, many},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := json.Marshal(map[string]any{"format": "tokentray-profiles", "version": 1, "profiles": tc.profiles})
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "export.json")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}

			// The command line, in-process, on a memory store.
			cliStore := tokens.NewMemoryStore()
			for _, p := range tc.stored {
				cliStore.Save(context.Background(), p)
			}
			var out, errs bytes.Buffer
			code := cli.Main(t.Context(), []string{"import", path}, cli.Env{
				Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs,
				StdinIsTerminal: func() bool { return false },
				OpenStore:       func(time.Duration) tokens.Store { return cliStore },
				Now:             time.Now,
			})
			cliProfiles, _, err := cliStore.Load(context.Background())
			if err != nil {
				t.Fatal(err)
			}

			// The window: choose the file, import what the preview offers.
			h, m := openWindow(t)
			for _, p := range tc.stored {
				h.store.Save(context.Background(), p)
			}
			var p *importPreview
			m.previewImport(path, "", nil, func(got *importPreview) { p = got })
			h.settle()
			if p != nil && !p.importBtn.Disabled() {
				test.Tap(p.importBtn)
				h.settle()
			}
			winProfiles, _, _ := h.store.Load(context.Background())

			a, _ := json.Marshal(cliProfiles)
			b, _ := json.Marshal(winProfiles)
			if !bytes.Equal(a, b) {
				t.Errorf("stored profiles differ (CLI exit %d)\nCLI:    %s\nwindow: %s\nCLI stdout: %s\nCLI stderr: %s", code, a, b, out.String(), errs.String())
			}
			refusedWhole := !strings.Contains(out.String(), "Imported")
			if refusedWhole != (p == nil) {
				t.Errorf("the CLI refused the whole file: %v; the window: %v\n%s%s", refusedWhole, p == nil, out.String(), errs.String())
			}
			if p != nil && (code == 0) != (p.plan.Importable() == len(p.plan.Rows)) {
				t.Errorf("CLI exit %d, but the window imports %d of %d rows", code, p.plan.Importable(), len(p.plan.Rows))
			}
		})
	}
}
