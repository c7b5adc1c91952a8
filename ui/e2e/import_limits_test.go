package e2e

// Import size limits, profile names and the same-client secret rule,
// through the real binary and the real Secret Service: each refusal names
// its limit or reason, and the keyring holds nothing it should not.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// keyringItems lists what the Secret Service holds for the user's service.
func (u *cliUser) keyringItems() string {
	out, _ := exec.Command("secret-tool", "search", "--all", "service", u.service).CombinedOutput()
	return string(out)
}

func (u *cliUser) assertKeyringEmpty(t *testing.T) {
	t.Helper()
	if items := u.keyringItems(); strings.Contains(items, "[/") || strings.Contains(items, "attribute.") {
		t.Fatalf("the keyring holds items after a refused import:\n%s", items)
	}
}

func writeExport(t *testing.T, profiles []map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"format": "tokentray-profiles", "version": 1, "profiles": profiles})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "export.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func plainProfile(name, tokenURL string) map[string]any {
	return map[string]any{"name": name, "token_url": tokenURL, "client_id": "c", "client_secret": "secret-" + randomHex(8)}
}

func TestImportLimitsWithRealKeyring(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	u := newCLIUser(t)
	u.extra = []string{"LC_ALL=en_US.UTF-8"}

	t.Run("file larger than the limit is refused by its size", func(t *testing.T) {
		u := &cliUser{t: t, bin: u.bin, home: u.home, tmp: u.tmp, service: u.service, extra: u.extra}
		path := filepath.Join(t.TempDir(), "huge.json")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		// 50 MB, sparse: a reader would take long and much memory; the
		// size check must refuse it before reading.
		f.WriteString(`{"format":"tokentray-profiles","version":1,"profiles":[`)
		f.Truncate(50 << 20)
		f.Close()
		code, out, errs := u.run("", "import", path)
		if code != 1 || out != "" || !strings.Contains(errs, "larger than the import limit of 8 MiB") || !strings.Contains(errs, "nothing was imported") {
			t.Fatalf("exit %d stdout %q stderr %q", code, out, errs)
		}
		u.assertKeyringEmpty(t)
		code, _, errs = u.run(strings.Repeat(" ", 9<<20), "import", "-")
		if code != 1 || !strings.Contains(errs, "8 MiB") {
			t.Fatalf("stdin: exit %d stderr %q", code, errs)
		}
		u.assertKeyringEmpty(t)
	})

	t.Run("too many profiles: nothing is written", func(t *testing.T) {
		u := &cliUser{t: t, bin: u.bin, home: u.home, tmp: u.tmp, service: u.service, extra: u.extra}
		var ps []map[string]any
		for i := range 501 {
			ps = append(ps, plainProfile(fmt.Sprintf("p%d", i), "https://auth.example.com/token"))
		}
		code, _, errs := u.run("", "import", writeExport(t, ps))
		if code != 1 || !strings.Contains(errs, "501 profiles, more than the import limit of 500") {
			t.Fatalf("exit %d stderr %q", code, errs)
		}
		u.assertKeyringEmpty(t)
	})

	t.Run("oversized fields and hostile names are rejected by name", func(t *testing.T) {
		u := &cliUser{t: t, bin: u.bin, home: u.home, tmp: u.tmp, service: u.service, extra: u.extra}
		bigCA := plainProfile("big-ca", "https://auth.example.com/token")
		bigCA["ca_bundle_pem"] = "-----BEGIN CERTIFICATE-----\n" + strings.Repeat("A", 2<<20) + "\n-----END CERTIFICATE-----\n"
		scopes := plainProfile("many-scopes", "https://auth.example.com/token")
		many := make([]string, 101)
		for i := range many {
			many[i] = fmt.Sprintf("s%d", i)
		}
		scopes["scopes"] = many
		headers := plainProfile("big-header", "https://auth.example.com/token")
		headers["headers"] = map[string]string{"X-Big": strings.Repeat("h", 5000)}
		ps := []map[string]any{bigCA, scopes, headers,
			plainProfile("esc\x1b[2Jname", "https://auth.example.com/token"),
			plainProfile("bidi\u202egnp.exe", "https://auth.example.com/token"),
			plainProfile("c1\u0085x", "https://auth.example.com/token"),
			plainProfile(strings.Repeat("n", 101), "https://auth.example.com/token"),
		}
		code, out, errs := u.run("", "import", writeExport(t, ps))
		t.Logf("stderr:\n%s", errs)
		if code != 1 || !strings.Contains(out, "Imported 0 profiles") {
			t.Fatalf("exit %d stdout %q", code, out)
		}
		for _, want := range []string{`"big-ca" not imported: invalid profile: CA bundle is larger than the limit of 1 MiB`,
			`"many-scopes" not imported`, "100 scopes", `"big-header" not imported`, "4096 bytes",
			"must not contain control characters (found U+001B)", "bidirectional text controls (found U+202E)",
			"control characters (found U+0085)", "longer than the 100-byte limit", "7 of 7 profiles were rejected"} {
			if !strings.Contains(errs, want) {
				t.Errorf("stderr lacks %q", want)
			}
		}
		if strings.ContainsAny(errs, "\x1b\u202e\u0085") {
			t.Errorf("stderr carries the hostile characters: %q", errs)
		}
		u.assertKeyringEmpty(t)
	})

	t.Run("add refuses a hostile name", func(t *testing.T) {
		u := &cliUser{t: t, bin: u.bin, home: u.home, tmp: u.tmp, service: u.service, extra: u.extra}
		for _, name := range []string{"evil\x1b]0;title\x07", "rtl\u202eexe", "two\nlines"} {
			code, out, errs := u.run("s3cret-value", "add", name, "--token-url", "https://auth.example.com/token", "--client-id", "c")
			if code != 1 || out != "" || !strings.Contains(errs, "name must not contain") || strings.ContainsAny(errs, "\x1b\x07\u202e") {
				t.Errorf("add %q: exit %d stdout %q stderr %q", name, code, out, errs)
			}
		}
		u.assertKeyringEmpty(t)
	})

	t.Run("a stored secret is kept only for the same client", func(t *testing.T) {
		u := &cliUser{t: t, bin: u.bin, home: u.home, tmp: u.tmp, service: u.service, extra: u.extra}
		secret := "cs-" + randomHex(16)
		srv := newE2EServer(t, "svc-client", secret)
		var stolen atomic.Int32
		attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			stolen.Add(1)
			http.Error(w, "thanks", 400)
		}))
		defer attacker.Close()
		u.mustRun(secret, "add", "svc", "--token-url", srv.URL+"/token", "--client-id", "svc-client")
		defer u.run("", "rm", "svc")
		export := filepath.Join(t.TempDir(), "export.json")
		u.mustRun("", "export", export)
		data, _ := os.ReadFile(export)
		if strings.Contains(string(data), secret) {
			t.Fatal("an export without --with-secrets holds the secret")
		}
		for _, change := range []struct{ from, to, what string }{
			{srv.URL + "/token", attacker.URL + "/token", "token URL"},
			{`"client_id": "svc-client"`, `"client_id": "other"`, "client ID"},
			{`"client_id": "svc-client"`, `"client_id": "svc-client", "auth": "client_secret_post"`, "authentication"},
		} {
			hostile := strings.Replace(string(data), change.from, change.to, 1)
			if hostile == string(data) {
				t.Fatalf("export has no %q:\n%s", change.from, data)
			}
			path := filepath.Join(t.TempDir(), "hostile.json")
			os.WriteFile(path, []byte(hostile), 0o600)
			code, _, errs := u.run("", "import", path)
			if code != 1 || !strings.Contains(errs, `profile "svc" not imported: it changes the `+change.what) ||
				!strings.Contains(errs, "tokentray edit svc") {
				t.Errorf("%s changed: exit %d stderr %q", change.what, code, errs)
			}
		}
		// The stored profile is unchanged and works; the attacker got nothing.
		srv.SetLifetime(4 * 3600)
		if tok := strings.TrimSpace(u.mustRun("", "token", "svc", "--min-valid", "2h")); tok == "" {
			t.Fatal("no token from the unchanged profile")
		}
		if stolen.Load() != 0 {
			t.Fatalf("the attacker's server received %d requests", stolen.Load())
		}
		// Re-importing one's own export still works without secrets.
		if out := u.mustRun("", "import", export); !strings.Contains(out, "1 replaced") {
			t.Fatalf("re-import: %q", out)
		}
		if tok := strings.TrimSpace(u.mustRun("", "token", "svc", "--min-valid", "3h")); tok == "" {
			t.Fatal("no token after re-importing the export")
		}
	})
}

func TestCLIMinValidUsage(t *testing.T) {
	t.Parallel()
	requireSession(t)
	u := newCLIUser(t)
	for _, v := range []string{"-1s", "9000h"} {
		code, out, errs := u.run("", "token", "x", "--min-valid", v)
		if code != 2 || out != "" || !strings.Contains(errs, "--min-valid") {
			t.Errorf("--min-valid %s: exit %d stdout %q stderr %q", v, code, out, errs)
		}
	}
}
