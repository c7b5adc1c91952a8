package e2e

// Secrets in token URLs, and hostile import text, through the real binary and the real
// keyring: a secret carried in the token URL's query (or its user info)
// never reaches a listing, an export or an error, and a file's text never
// reaches the terminal with its control characters.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writePostman writes a Postman v2.0 collection whose collection-level
// OAuth 2.0 settings are auth, with one request per entry of items (each
// a name and its own oauth2 settings).
func writePostman(t *testing.T, name string, auth map[string]any, items ...map[string]any) string {
	t.Helper()
	coll := map[string]any{
		"info": map[string]any{"name": name, "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"},
	}
	if auth != nil {
		coll["auth"] = map[string]any{"type": "oauth2", "oauth2": auth}
	}
	var list []any
	for _, it := range items {
		list = append(list, map[string]any{"name": it["name"], "request": map[string]any{"method": "GET", "url": "https://api.example.com/x",
			"auth": map[string]any{"type": "oauth2", "oauth2": it["oauth2"]}}})
	}
	coll["item"] = list
	b, err := json.Marshal(coll)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "collection.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func sendAs(key, value, where string) map[string]any {
	return map[string]any{"key": key, "value": value, "enabled": true, "send_as": where}
}

// TestImportQuerySecretsNeverShown: a Postman collection that sends the
// client secret (and an API key) in the token URL's query must not put
// them in the import table, the keyring's profile, `list`, or `export`
// without --with-secrets.
func TestImportQuerySecretsNeverShown(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	u := newCLIUser(t)
	u.extra = []string{"LC_ALL=en_US.UTF-8"}
	querySecret := "query-secret-" + randomHex(8)
	headerSecret := "header-secret-" + randomHex(8)
	apiKey := "api-key-" + randomHex(8)
	secrets := []string{querySecret, headerSecret, apiKey}
	path := writePostman(t, "Leaky", nil,
		map[string]any{"name": "in query", "oauth2": map[string]any{
			"grant_type": "client_credentials", "accessTokenUrl": "https://auth.example.com/token?tenant=acme",
			"clientId": "leaky-client", "clientSecret": "the-real-secret-" + randomHex(4),
			"tokenRequestParams": []any{sendAs("client_secret", querySecret, "request_url"), sendAs("client_secret", headerSecret, "request_header")},
		}},
		map[string]any{"name": "api key in query", "oauth2": map[string]any{
			"grant_type": "client_credentials", "accessTokenUrl": "https://auth.example.com/token",
			"clientId": "key-client", "clientSecret": "another-secret-" + randomHex(4),
			"tokenRequestParams": []any{sendAs("api_key", apiKey, "request_url")},
		}},
	)
	check := func(what, out string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s shows a secret of the token URL's query (%s):\n%s", what, s, out)
			}
		}
	}

	_, out, errs := u.run("", "import", "--from", "postman", path, "--dry-run")
	check("the import table", out+errs)
	if !strings.Contains(out, "api_key") {
		t.Errorf("the table does not say why the api_key profile is refused:\n%s", out)
	}
	code, out, errs := u.run("", "import", "--from", "postman", path)
	check("the import", out+errs)
	if code == 0 {
		t.Errorf("a token URL with an API key in its query was imported:\n%s%s", out, errs)
	}
	out = u.mustRun("", "list")
	check("list", out)
	if !strings.Contains(out, "Leaky - in query") || !strings.Contains(out, "auth.example.com/token") {
		t.Errorf("list lacks the imported profile:\n%s", out)
	}
	check("list --json", u.mustRun("", "list", "--json"))
	check("export", u.mustRun("", "export"))
	check("the keyring", u.keyringItems())
}

// TestTokenURLSecretsRefused: add and edit refuse a token URL whose query
// names a reserved or secret-looking parameter, or which holds user
// credentials, and a header named like a reserved parameter; the refusal
// does not repeat the value.
func TestTokenURLSecretsRefused(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	u := newCLIUser(t)
	u.extra = []string{"LC_ALL=en_US.UTF-8"}
	value := "v4lue-" + randomHex(8)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"client_secret in the query", []string{"--token-url", "https://auth.example.com/token?client_secret=" + value}, "client_secret"},
		{"api key in the query", []string{"--token-url", "https://auth.example.com/token?x=1&Api-Key=" + value}, "Api-Key"},
		{"access_token in the query", []string{"--token-url", "https://auth.example.com/token?access_token=" + value}, "access_token"},
		{"user info", []string{"--token-url", "https://user:" + value + "@auth.example.com/token"}, "credentials"},
		{"issuer with a secret", []string{"--issuer", "https://auth.example.com/?password=" + value}, "password"},
		{"reserved header", []string{"--token-url", "https://auth.example.com/token", "--header", "client_secret: " + value}, "client_secret"},
		{"reserved param", []string{"--token-url", "https://auth.example.com/token", "--param", "client_assertion=" + value}, "client_assertion"},
	} {
		t.Run(c.name, func(t *testing.T) {
			u := &cliUser{t: t, bin: u.bin, home: u.home, tmp: u.tmp, service: u.service, extra: u.extra}
			args := append([]string{"add", "refused", "--client-id", "c"}, c.args...)
			code, out, errs := u.run("s3cret-s3cret", args...)
			if code == 0 {
				u.run("", "rm", "refused")
				t.Fatalf("accepted: %s%s", out, errs)
			}
			if !strings.Contains(errs, c.want) {
				t.Errorf("the refusal does not name %q: %s", c.want, errs)
			}
			if strings.Contains(out+errs, value) {
				t.Errorf("the refusal repeats the value: %s%s", out, errs)
			}
		})
	}
	// A query without secrets is fine, and shown with its values masked.
	u.mustRun("s3cret-s3cret", "add", "plain", "--client-id", "c", "--token-url", "https://auth.example.com/token?tenant="+value)
	t.Cleanup(func() { u.run("", "rm", "plain") })
	if out := u.mustRun("", "list"); strings.Contains(out, value) || !strings.Contains(out, "tenant=") {
		t.Errorf("list shows the query's value or not its name:\n%s", out)
	}
	code, out, errs := u.run("", "edit", "plain", "--token-url", "https://auth.example.com/token?client_secret="+value)
	if code == 0 || strings.Contains(out+errs, value) {
		t.Errorf("edit: exit %d\n%s%s", code, out, errs)
	}
}

// TestImportTableIsPrintable: every cell and every problem of the import
// table is made printable, so a crafted file cannot move the cursor, erase
// a line or set the window title to fake a row.
func TestImportTableIsPrintable(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	u := newCLIUser(t)
	u.extra = []string{"LC_ALL=en_US.UTF-8"}
	const esc = "\x1b[1A\r\x1b[2K\x1b]0;title\x07\u202e"
	path := writePostman(t, "Coll"+esc, map[string]any{
		"grant_type": "client_credentials", "accessTokenUrl": "https://auth.example.com/token",
		"clientId": "id" + esc + "fake", "clientSecret": "a-secret-value", "scope": "read" + esc,
		"tokenName": "tok" + esc,
	},
		map[string]any{"name": "bad url" + esc, "oauth2": map[string]any{
			"grant_type": "client_credentials", "accessTokenUrl": "https://auth.example.com/t" + esc,
			"clientId": "c" + esc, "clientSecret": "x",
		}},
		map[string]any{"name": "missing var" + esc, "oauth2": map[string]any{
			"grant_type": "client_credentials", "accessTokenUrl": "https://auth.example.com/token",
			"clientId": "{{id" + esc + "}}", "clientSecret": "x",
		}},
		map[string]any{"name": "grant" + esc, "oauth2": map[string]any{"grant_type": "implicit" + esc}},
	)
	for _, args := range [][]string{
		{"import", "--from", "postman", path, "--dry-run"},
		{"import", "--from", "postman", path},
		{"list"},
		{"list", "--json"},
	} {
		_, out, errs := u.run("", args...)
		if strings.ContainsAny(out+errs, "\x1b\r\x07\u202e") {
			t.Errorf("tokentray %s writes control characters:\n%q\n%q", strings.Join(args, " "), out, errs)
		}
		if !strings.Contains(out, "fake") && args[0] == "import" {
			t.Errorf("the table lacks the client ID:\n%s", out)
		}
		// Sequences go whole: no "[2K" left to fake a name with.
		if strings.Contains(out+errs, "[2K") || strings.Contains(out+errs, "0;title") {
			t.Errorf("tokentray %s writes the rest of an escape sequence:\n%s%s", strings.Join(args, " "), out, errs)
		}
	}
}

// TestErrorLinesArePrintable: an error that quotes a file's text (here
// the environment names of an Insomnia export) reaches stderr without its
// control characters.
func TestErrorLinesArePrintable(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	u := newCLIUser(t)
	u.extra = []string{"LC_ALL=en_US.UTF-8"}
	const esc = "\x1b[1A\r\x1b[2K\x1b]0;title\x07\u202e"
	b, _ := json.Marshal(map[string]any{"_type": "export", "__export_format": 4, "resources": []any{
		map[string]any{"_id": "wrk_1", "_type": "workspace", "name": "W"},
		map[string]any{"_id": "env_base", "_type": "environment", "parentId": "wrk_1", "name": "Base", "data": map[string]any{}},
		map[string]any{"_id": "env_a", "_type": "environment", "parentId": "env_base", "name": "Dev" + esc, "data": map[string]any{}},
		map[string]any{"_id": "env_b", "_type": "environment", "parentId": "env_base", "name": "Prod" + esc, "data": map[string]any{}},
	}})
	path := filepath.Join(t.TempDir(), "insomnia.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := u.run("", "import", "--from", "insomnia", path, "--env", "nosuch", "--dry-run")
	if code == 0 || !strings.Contains(errs, "Prod") {
		t.Fatalf("exit %d, want the refusal listing the environments:\n%s%s", code, out, errs)
	}
	if strings.ContainsAny(out+errs, "\x1b\r\x07\u202e") {
		t.Errorf("the error writes control characters: %q", errs)
	}
}

// TestExportWithoutSecretsDropsSecretHeaders: the values of headers and
// parameters named like credentials are secrets: an export without
// --with-secrets leaves them out, and importing it back keeps the stored
// ones (same client), as for the client secret.
func TestExportWithoutSecretsDropsSecretHeaders(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	u := newCLIUser(t)
	u.extra = []string{"LC_ALL=en_US.UTF-8"}
	key, param := "hdr-key-"+randomHex(8), "param-key-"+randomHex(8)
	u.mustRun("s3cret-s3cret", "add", "keyed", "--client-id", "c", "--token-url", "https://auth.example.com/token",
		"--header", "X-Api-Key: "+key, "--header", "X-Trace: visible", "--param", "api_key="+param, "--param", "tenant=acme")
	export := u.mustRun("", "export")
	if strings.Contains(export, key) || strings.Contains(export, param) {
		t.Fatalf("export without --with-secrets holds a secret header or parameter:\n%s", export)
	}
	if !strings.Contains(export, "visible") || !strings.Contains(export, "acme") {
		t.Fatalf("export lost ordinary headers or parameters:\n%s", export)
	}
	path := filepath.Join(t.TempDir(), "export.json")
	if err := os.WriteFile(path, []byte(export), 0o600); err != nil {
		t.Fatal(err)
	}
	u.mustRun("", "import", path)
	if all := u.mustRun("", "export", "--with-secrets"); !strings.Contains(all, key) || !strings.Contains(all, param) {
		t.Fatalf("the re-import lost the stored header or parameter:\n%s", all)
	}
	// Another client gets neither the stored key nor an empty header.
	other := strings.ReplaceAll(export, "https://auth.example.com/token", "https://evil.example.com/token")
	if err := os.WriteFile(path, []byte(other), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := u.run("", "import", path); code == 0 {
		t.Fatalf("another client's import was accepted:\n%s%s", out, errs)
	}
}
