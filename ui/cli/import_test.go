package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens/testenv"
)

const fixtures = "../../tokens/importers/testdata/"

func TestImportFromDryRunTable(t *testing.T) {
	h := newHarness(t)
	out := h.mustRun("", "import", "--from", "postman", fixtures+"postman/own-v2.0.postman_collection.json",
		"--env", fixtures+"postman/own-cc.postman_environment.json", "--dry-run")
	for _, want := range []string{
		"From Billing API (postman):",
		"NAME", "TOKEN URL", "SECRET", "RESULT",
		"Billing API - billing", "https://login.staging.example.com/oauth2/token", "billing-staging", "client_secret_post", "billing.read billing.write", "••••••", "new",
		`skipped Billing API / Browser login: grant type "implicit"`,
		"Dry run: nothing was saved.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "st4ging-s3cret-from-env") {
		t.Fatalf("the dry run shows the secret:\n%s", out)
	}
	if profiles, _, _ := h.store.Load(context.Background()); len(profiles) != 0 {
		t.Fatalf("the dry run saved %d profiles", len(profiles))
	}
}

func TestImportFromClashReplaceAndRoundTrip(t *testing.T) {
	h := newHarness(t)
	srv := newToolServer(t)
	// A Bruno collection pointing at the loopback token server, secret in vars:secret.
	dir := testenv.TempDir(t)
	if err := os.CopyFS(dir, os.DirFS(fixtures+"bruno/own-edge")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "environments", "Dev.bru"), []byte("vars {\n  base_url: "+srv.URL+"\n  client_id: tool-client\n  payments_client_id: tool-client\n}\nvars:secret [\n  client_secret,\n  payments_secret\n]\n"), 0o600)

	// Not a terminal: saved without the secrets, each reported with the command that finishes it.
	code, out, errs := h.run("", "import", "--from", "bruno", dir)
	if code != 0 || !strings.Contains(out, "Imported 2 profiles.") || !strings.Contains(out, `Profile "Shop APIs" is saved without its client secret; give it with: tokentray edit 'Shop APIs' --read-secret`) {
		t.Fatalf("import without a terminal: exit %d\n%s%s", code, out, errs)
	}
	h.mustRun(secret+"\n", "edit", "Shop APIs", "--read-secret")
	if tok := strings.TrimSpace(h.mustRun("", "token", "Shop APIs")); !strings.HasPrefix(tok, "tok-") {
		t.Fatalf("token of the imported profile: %q", tok)
	}

	// Again: both names exist, so nothing is overwritten without --replace.
	code, out, errs = h.run("", "import", "--from", "bruno", dir)
	if code != ExitFailure || strings.Count(out, "not imported: a profile by this name exists") != 2 || !strings.Contains(errs, "2 of 2 profiles were not imported") {
		t.Fatalf("clash: exit %d\n%s%s", code, out, errs)
	}
	// On a terminal the missing secrets are asked for without echo; with
	// --replace, the secret already stored for "Shop APIs" (given by edit
	// above) is kept, by import's shared merge rule, so only one is asked.
	var asked []string
	h.terminal = func(prompt string) (string, error) {
		asked = append(asked, prompt)
		return secret, nil
	}
	out = h.mustRun("", "import", "--from", "bruno", dir, "--replace")
	if len(asked) != 1 || !strings.Contains(asked[0], "payments_secret") || strings.Count(out, "replaces the stored profile") != 2 {
		t.Fatalf("prompts %q\n%s", asked, out)
	}
	if tok := strings.TrimSpace(h.mustRun("", "token", "Shop APIs - Payments")); !strings.HasPrefix(tok, "tok-") {
		t.Fatalf("token of the replaced profile: %q", tok)
	}
	profiles, _, _ := h.store.Load(context.Background())
	for _, p := range profiles {
		if p.ClientSecret != secret {
			t.Fatalf("profile %s secret %q", p.Name, p.ClientSecret)
		}
	}
}

func TestImportFromErrors(t *testing.T) {
	h := newHarness(t)
	if code, _, errs := h.run("", "import", "--from", "soapui", "x"); code != ExitUsage || !strings.Contains(errs, "postman, bruno or insomnia") {
		t.Fatalf("bad --from: %d %q", code, errs)
	}
	if code, _, errs := h.run("", "import", "--from", "bruno", fixtures+"postman/Oauth2.postman_collection.json"); code != ExitFailure || !strings.Contains(errs, "not a folder") {
		t.Fatalf("file for bruno: %d %q", code, errs)
	}
	// Unresolved variables make a row unusable, with the reason; the others still import.
	code, out, _ := h.run("", "import", "--from", "postman", fixtures+"postman/Oauth2.postman_collection.json")
	if code != ExitFailure || !strings.Contains(out, "not importable: client ID: variable {{client_id}} has no value") {
		t.Fatalf("unresolved: %d\n%s", code, out)
	}
	// The plain Tokentray import still works as before.
	if code, _, errs := h.run("", "import", filepath.Join(testenv.TempDir(t), "none.json")); code != ExitFailure || !strings.Contains(errs, "reading") {
		t.Fatalf("plain import: %d %q", code, errs)
	}
}

// Each format, imported and then used: the profile gets a token from a
// loopback server. The sources are the fixtures with the server's URL and
// the client's credentials put in their environments.
func TestImportFromRoundTripEveryFormat(t *testing.T) {
	srv := newToolServer(t)
	dir := testenv.TempDir(t)
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	read := func(name string) string {
		b, err := os.ReadFile(fixtures + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	postmanEnv := strings.NewReplacer("https://login.staging.example.com", srv.URL, "billing-staging", "tool-client", "st4ging-s3cret-from-env", secret).
		Replace(read("postman/own-cc.postman_environment.json"))
	insomniaV4 := strings.NewReplacer("https://auth.dev.example.com", srv.URL, "inv-base", "tool-client", "dev-s3cret-value", secret).
		Replace(read("insomnia/own-v4.json"))
	insomniaV5 := strings.NewReplacer("https://auth.example.com/oauth/token", srv.URL+"/token", "inv-v5", "tool-client", "v5-s3cret-value", secret).
		Replace(read("insomnia/own-v5.yaml"))
	for _, tc := range []struct {
		args    []string
		profile string
	}{
		{[]string{"--from", "postman", fixtures + "postman/own-v2.0.postman_collection.json", "--env", write("env.json", postmanEnv)}, "Billing API - billing"},
		{[]string{"--from", "insomnia", write("v4.json", insomniaV4), "--env", "Dev"}, "Inventory - Stock"},
		{[]string{"--from", "insomnia", write("v5.yaml", insomniaV5)}, "Inventory v5 - Stock"},
	} {
		h := newHarness(t)
		h.run("", append([]string{"import"}, tc.args...)...) // the skipped grants make the exit 0 or 1; the profile counts
		before := srv.Requests()
		if tok := strings.TrimSpace(h.mustRun("", "token", tc.profile)); !strings.HasPrefix(tok, "tok-") || srv.Requests() != before+1 {
			t.Fatalf("%s: token %q", tc.profile, tok)
		}
	}
}

// An export goes through the same plan as a collection: --dry-run prints
// its table and saves nothing; a new profile without its client secret is
// saved as a draft with the command that finishes it, or, on a terminal,
// gets the secret asked for.
func TestImportExportDryRunAndDrafts(t *testing.T) {
	path := filepath.Join(testenv.TempDir(t), "export.json")
	os.WriteFile(path, []byte(`{"format":"tokentray-profiles","version":1,"profiles":[
	 {"name":"needs secret","token_url":"https://a.example/t","client_id":"c"}]}`), 0o600)

	h := newHarness(t)
	out := h.mustRun("", "import", path, "--dry-run")
	if !strings.Contains(out, "needs secret  new") || !strings.Contains(out, "to be given (client secret of needs secret)") || !strings.Contains(out, "Dry run: nothing was saved.") {
		t.Fatalf("dry run:\n%s", out)
	}
	if profiles, _, _ := h.store.Load(context.Background()); len(profiles) != 0 {
		t.Fatalf("the dry run saved %d profiles", len(profiles))
	}

	out = h.mustRun("", "import", path)
	if !strings.Contains(out, "Imported 1 profiles (1 new, 0 replaced).") || !strings.Contains(out, `Profile "needs secret" is saved without its client secret; give it with: tokentray edit 'needs secret' --read-secret`) {
		t.Fatalf("import without a terminal:\n%s", out)
	}
	if p, err := loadProfile(t.Context(), h.store, "needs secret"); err != nil || p.ClientSecret != "" {
		t.Fatalf("draft: %+v, %v", p, err)
	}

	h = newHarness(t)
	var asked []string
	h.terminal = func(prompt string) (string, error) {
		asked = append(asked, prompt)
		return secret, nil
	}
	h.mustRun("", "import", path)
	if p, _ := loadProfile(t.Context(), h.store, "needs secret"); len(asked) != 1 || !strings.Contains(asked[0], "client secret of needs secret") || p.ClientSecret != secret {
		t.Fatalf("prompts %q, stored %+v", asked, p)
	}
}

// The table names each row's grant, so a sign-in profile is told apart
// from a client credentials one before it is imported (it asks for a
// sign-in once saved). Before, the table had no grant column.
func TestImportTableShowsTheGrant(t *testing.T) {
	h := newHarness(t)
	out := h.mustRun("", "import", "--from", "bruno", fixtures+"bruno/collection_oauth2", "--env", "Local", "--dry-run")
	grants := map[string]string{
		"OAuth2 Demo - auth - oauth2 - authorization_code - token with authorize": "authorization code",
		"OAuth2 Demo - auth - oauth2 - client_credentials - token":                "client credentials",
	}
	lines := strings.Split(out, "\n")
	header := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "NAME") {
			header = i
		}
	}
	if header < 0 {
		t.Fatalf("no table header:\n%s", out)
	}
	col := strings.Index(lines[header], "GRANT")
	if col < 0 {
		t.Fatalf("the table has no GRANT column:\n%s", out)
	}
	for name, grant := range grants {
		found := false
		for _, l := range lines[header+1:] {
			if strings.HasPrefix(l, name+" ") {
				found = true
				if got := l[col:]; !strings.HasPrefix(got, grant+" ") {
					t.Errorf("row %q: GRANT column reads %q, want %q", name, got, grant)
				}
			}
		}
		if !found {
			t.Errorf("no row %q:\n%s", name, out)
		}
	}
}
