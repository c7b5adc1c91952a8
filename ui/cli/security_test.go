package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens/testenv"
)

// In-process checks of the command line's security rules, beside the
// end-to-end ones in the main package (real binary, real keyring).

func TestTokenMinValidIsAPromise(t *testing.T) {
	h := newHarness(t)
	ts := newTokenServer(t, "cli-secret-value")
	ts.SetLifetime(120)
	h.run("cli-secret-value", "add", "short", "--token-url", ts.URL, "--client-id", "cli-client")
	code, out, errs := h.run("", "token", "short", "--min-valid", "10m")
	if code != ExitTooShort || out != "" || !strings.Contains(errs, "live 2 min, less than the 10 min") {
		t.Fatalf("exit %d stdout %q stderr %q", code, out, errs)
	}
	if code, out, _ := h.run("", "token", "short", "--min-valid", "1m"); code != 0 || !strings.HasPrefix(out, "tok-") {
		t.Fatalf("a met --min-valid: exit %d stdout %q", code, out)
	}
	for _, v := range []string{"-1s", "169h"} {
		if code, _, errs := h.run("", "token", "short", "--min-valid", v); code != ExitUsage || !strings.Contains(errs, "--min-valid") {
			t.Errorf("--min-valid %s: exit %d %q", v, code, errs)
		}
	}
}

func TestImportKeepsSecretOnlyForSameClient(t *testing.T) {
	h := newHarness(t)
	ts := newTokenServer(t, "cli-secret-value")
	h.run("cli-secret-value", "add", "svc", "--token-url", ts.URL, "--client-id", "cli-client")
	export := filepath.Join(testenv.TempDir(t), "e.json")
	if code, _, errs := h.run("", "export", export); code != 0 {
		t.Fatal(errs)
	}
	data, _ := os.ReadFile(export)
	moved := strings.Replace(string(data), ts.URL, "https://attacker.example/token", 1)
	path := filepath.Join(testenv.TempDir(t), "moved.json")
	os.WriteFile(path, []byte(moved), 0o600)
	code, _, errs := h.run("", "import", path)
	if code != ExitFailure || !strings.Contains(errs, `profile "svc" not imported: it changes the token URL`) {
		t.Fatalf("exit %d stderr %q", code, errs)
	}
	p, err := loadProfile(t.Context(), h.store, "svc")
	if err != nil || p.TokenURL != ts.URL || p.ClientSecret != "cli-secret-value" {
		t.Fatalf("stored profile changed: %+v, %v", p, err)
	}
	if code, out, errs := h.run("", "import", export); code != 0 || !strings.Contains(out, "1 replaced") {
		t.Fatalf("re-import: exit %d %q %q", code, out, errs)
	}
}

// An export without secrets that lets discovery use another origin would
// send the stored secret wherever the (possibly redirected) metadata
// points: the secret is kept only when the allowed origins do not grow.
func TestImportKeepsSecretOnlyWithoutNewEndpointOrigins(t *testing.T) {
	h := newHarness(t)
	h.run("cli-secret-value", "add", "svc", "--issuer", "https://login.example.com", "--client-id", "cli-client",
		"--allow-endpoint-origin", "https://api.example.com")
	export := filepath.Join(testenv.TempDir(t), "e.json")
	if code, _, errs := h.run("", "export", export); code != 0 {
		t.Fatal(errs)
	}
	data, _ := os.ReadFile(export)
	widened := strings.Replace(string(data), `"https://api.example.com"`, `"https://api.example.com", "https://attacker.example"`, 1)
	if widened == string(data) {
		t.Fatalf("export has no endpoint origins:\n%s", data)
	}
	path := filepath.Join(testenv.TempDir(t), "widened.json")
	os.WriteFile(path, []byte(widened), 0o600)
	code, _, errs := h.run("", "import", path)
	if code != ExitFailure || !strings.Contains(errs, `profile "svc" not imported: it changes the endpoint origins`) {
		t.Fatalf("exit %d stderr %q", code, errs)
	}
	// Narrowing (or keeping) them keeps the secret.
	narrowed := strings.Replace(string(data), `"https://api.example.com"`, ``, 1)
	os.WriteFile(path, []byte(narrowed), 0o600)
	if code, out, errs := h.run("", "import", path); code != 0 || !strings.Contains(out, "1 replaced") {
		t.Fatalf("narrowed: exit %d %q %q", code, out, errs)
	}
	p, err := loadProfile(t.Context(), h.store, "svc")
	if err != nil || len(p.EndpointOrigins) != 0 || p.ClientSecret != "cli-secret-value" {
		t.Fatalf("stored profile: %+v, %v", p, err)
	}
}
