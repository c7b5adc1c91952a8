package e2e

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tokentray/tokentray/tokens/tokentest"
)

// TestCLICurlCommandUnderAHostileCurlrcAndProxy: the command `tokentray
// curl` prints, run by sh and the real curl with a ~/.curlrc that follows
// redirects, http_proxy set, and a token endpoint answering 307 to another
// loopback origin, sends the client secret nowhere but the token endpoint
// (before: to the proxy, and re-posted to the other origin).
func TestCLICurlCommandUnderAHostileCurlrcAndProxy(t *testing.T) {
	requireSession(t, "secret-tool", "curl", "sh")
	var stolen atomic.Int32
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
		http.Error(w, "recorded", http.StatusBadGateway)
	}))
	defer thief.Close()
	secret := "e2e-curl-" + randomHex(12)
	srv := tokentest.NewEndpoint(t, tokentest.Respond(func(w http.ResponseWriter, r tokentest.Request) {
		w.Header().Set("Location", thief.URL+"/token")
		w.WriteHeader(http.StatusTemporaryRedirect)
	}))
	u := newCLIUser(t)
	u.mustRun(secret, "add", "api", "--token-url", srv.URL+"/token", "--client-id", "c", "--auth", "client_secret_post")
	command := u.mustRun("", "curl", "api")
	if err := os.WriteFile(filepath.Join(u.home, ".curlrc"), []byte("location\nlocation-trusted\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, proxy := range []string{"", thief.URL} {
		cmd := exec.Command("sh", "-c", command)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + u.home, "CLIENT_SECRET=" + secret,
			"http_proxy=" + proxy, "HTTPS_PROXY=" + proxy, "ALL_PROXY=" + proxy}
		out, err := cmd.CombinedOutput()
		if n := stolen.Load(); n != 0 {
			t.Fatalf("proxy %q: the other origin got %d requests\n%s", proxy, n, out)
		}
		if err != nil {
			t.Fatalf("the command failed: %v\n%s", err, out)
		}
	}
	if srv.Requests() != 2 {
		t.Fatalf("the token endpoint got %d requests, want 2", srv.Requests())
	}
}

// TestCLIRefusesTerminalControlsInParamsAndHeaders: with the real binary
// and keyring, a parameter or header value holding OSC 52, an OSC title,
// a screen clear or the end of a bracketed paste is refused by add and by
// import, and nothing of it is printed.
func TestCLIRefusesTerminalControlsInParamsAndHeaders(t *testing.T) {
	requireSession(t, "secret-tool")
	u := newCLIUser(t)
	dir := t.TempDir()
	for i, v := range []string{"a\x1b]52;c;ZWNobyBwd25lZA==\x07b", "a\x1b]0;pwned\x07b", "a\x1b[2J\x1b[Hb", "a\x1b[201~touch pwned b"} {
		for _, flag := range []string{"--param=tenant=" + v, "--header=X-Tenant: " + v} {
			code, out, errs := u.run("s3cret", "add", "api", "--token-url", "https://auth.example.com/token", "--client-id", "c", flag)
			if code == 0 || strings.ContainsAny(out+errs, "\x1b\x07") {
				t.Errorf("value %d, add %s: exit %d, %q", i, flag[:8], code, out+errs)
			}
		}
		path := filepath.Join(dir, "export.json")
		writeTestFile(t, path, `{"format":"tokentray-profiles","version":1,"with_secrets":true,"profiles":[`+
			`{"name":"p","token_url":"https://auth.example.com/token","client_id":"c","client_secret":"s","params":{"tenant":`+jsonString(v)+`}},`+
			`{"name":"h","token_url":"https://auth.example.com/token","client_id":"c","client_secret":"s","headers":{"X-Tenant":`+jsonString(v)+`}}]}`)
		code, out, errs := u.run("", "import", path)
		if code == 0 || strings.ContainsAny(out+errs, "\x1b\x07") {
			t.Errorf("value %d, import: exit %d, %q", i, code, out+errs)
		}
	}
	if list := u.mustRun("", "list"); strings.Contains(list, "api") || strings.Contains(list, "tenant") {
		t.Errorf("a refused profile was stored:\n%s", list)
	}
}
