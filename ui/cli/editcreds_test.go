package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens/testenv"
)

// A profile whose credential header and parameter an export without
// secrets blanked moves like one without its client secret: without a
// terminal it is saved as a draft with the one edit that finishes it, and
// that edit (values from a pipe, never argv) makes it fetch tokens; on a
// terminal the import asks for each value. It used to be refused
// outright ("header has no value").
func TestBlankCredentialHeadersImportAsDrafts(t *testing.T) {
	srv := newTokenServer(t, secret)
	path := filepath.Join(testenv.TempDir(t), "export.json")
	os.WriteFile(path, []byte(`{"format":"tokentray-profiles","version":1,"profiles":[
	 {"name":"keyed","token_url":"`+srv.URL+`/token","client_id":"cli-client","headers":{"X-Api-Key":"","X-Tenant":"acme"},"params":{"api_key":""}}]}`), 0o600)

	h := newHarness(t)
	out := h.mustRun("", "import", path)
	want := `Profile "keyed" is saved without its client secret, header X-Api-Key, parameter api_key; give it with: tokentray edit keyed --read-secret --read-header X-Api-Key --read-param api_key`
	if !strings.Contains(out, "Imported 1 profiles") || !strings.Contains(out, want) {
		t.Fatalf("import without a terminal:\n%s", out)
	}
	if code, _, _ := h.run("", "token", "keyed"); code == 0 {
		t.Fatal("a draft fetched a token")
	}
	// Step by step: the secret first, the draft says what is left.
	out = h.mustRun(secret+"\n", "edit", "keyed", "--read-secret")
	if !strings.Contains(out, `saved without header X-Api-Key, parameter api_key; give it with: tokentray edit keyed --read-header X-Api-Key --read-param api_key`) {
		t.Fatalf("edit --read-secret:\n%s", out)
	}
	h.mustRun("header-value\nparam-value\n", "edit", "keyed", "--read-header", "X-Api-Key", "--read-param", "api_key")
	p, err := loadProfile(t.Context(), h.store, "keyed")
	if err != nil || p.Headers["X-Api-Key"] != "header-value" || p.Headers["X-Tenant"] != "acme" || p.Params["api_key"] != "param-value" || p.ClientSecret != secret {
		t.Fatalf("finished: %+v %v", p, err)
	}
	h.mustRun("", "token", "keyed")
	if got := srv.Last(t).Header.Get("X-Api-Key"); got != "header-value" {
		t.Fatalf("the token request carried X-Api-Key %q", got)
	}
	// Too few lines for the values asked: nothing is changed.
	if code, _, errs := h.run("only-one\n", "edit", "keyed", "--read-header", "X-Api-Key", "--read-param", "api_key"); code != ExitUsage || !strings.Contains(errs, "2 values were asked for") {
		t.Fatalf("too few lines: exit %d %q", code, errs)
	}

	h = newHarness(t)
	var asked []string
	h.terminal = func(prompt string) (string, error) {
		asked = append(asked, prompt)
		return "typed-" + prompt[len(prompt)-10:len(prompt)-2], nil
	}
	h.mustRun("", "import", path)
	p, _ = loadProfile(t.Context(), h.store, "keyed")
	if len(asked) != 3 || !strings.Contains(asked[1], "header X-Api-Key of keyed") || !strings.Contains(asked[2], "parameter api_key of keyed") ||
		p.Headers["X-Api-Key"] == "" || p.Params["api_key"] == "" || p.ClientSecret == "" {
		t.Fatalf("prompts %q, stored %+v", asked, p)
	}
}
