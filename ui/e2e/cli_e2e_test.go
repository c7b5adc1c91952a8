package e2e

// End-to-end tests of the command line: the real binary, the real Secret
// Service (gnome-keyring on a private D-Bus session, started by `make test`
// through .ci/session), and a loopback token server.

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens/testenv"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// requireSession skips bare `go test` runs and fails when the session
// harness claims to be there but a part is missing.
func requireSession(t testing.TB, tools ...string) {
	t.Helper()
	testenv.RequireSession(t, "needs a desktop session with a Secret Service: run `make test` or `.ci/session go test ./...`")
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing (the session harness should have installed it): %v", tool, err)
		}
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// cliUser runs the binary as a user would, with its own HOME and TMPDIR so
// the leak check can search everything the program could have written.
type cliUser struct {
	t       testing.TB
	bin     string
	home    string
	tmp     string
	service string
	extra   []string
}

func newCLIUser(t testing.TB) *cliUser {
	root := t.TempDir()
	u := &cliUser{t: t, bin: tokentrayBin, home: filepath.Join(root, "home"), tmp: filepath.Join(root, "tmp"),
		service: "tokentray-e2e-" + randomHex(4)}
	os.MkdirAll(u.home, 0o700)
	os.MkdirAll(u.tmp, 0o700)
	t.Cleanup(func() { exec.Command("secret-tool", "clear", "service", u.service).Run() })
	return u
}

func (u *cliUser) command(stdin string, args ...string) *exec.Cmd {
	cmd := exec.Command(u.bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+u.home, "TMPDIR="+u.tmp, "TOKENTRAY_KEYRING_SERVICE="+u.service)
	cmd.Env = append(cmd.Env, u.extra...)
	cmd.Stdin = strings.NewReader(stdin)
	return cmd
}

func (u *cliUser) run(stdin string, args ...string) (code int, stdout, stderr string) {
	u.t.Helper()
	cmd := u.command(stdin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		u.t.Fatalf("running tokentray %v: %v", args, err)
	}
	return code, out.String(), errb.String()
}

func (u *cliUser) mustRun(stdin string, args ...string) string {
	u.t.Helper()
	code, out, errs := u.run(stdin, args...)
	if code != 0 {
		u.t.Fatalf("tokentray %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// newE2EServer is a loopback token endpoint that issues opaque "at-…"
// tokens to clientID with secret.
func newE2EServer(t *testing.T, clientID, secret string) *tokentest.Endpoint {
	return tokentest.NewEndpoint(t, tokentest.RequireClient(clientID, secret),
		tokentest.Tokens(func(int, tokentest.Request) string { return "at-" + randomHex(24) }))
}

func TestCLIEndToEndWithRealKeyring(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	secret := "cs-" + randomHex(20)
	srv := newE2EServer(t, "e2e-client", secret)
	u := newCLIUser(t)

	u.mustRun(secret+"\n", "add", "e2e", "--token-url", srv.URL+"/oauth/token", "--client-id", "e2e-client", "--scope", "api.read")
	if out, _ := exec.Command("secret-tool", "search", "--all", "service", u.service).CombinedOutput(); !bytes.Contains(out, []byte("e2e")) {
		t.Fatalf("profile not in the Secret Service:\n%s", out)
	}

	first := strings.TrimSpace(u.mustRun("", "token", "e2e"))
	// A second process (a restart) reuses the token cached in the keyring.
	second := strings.TrimSpace(u.mustRun("", "token", "e2e"))
	if first == "" || first != second || srv.Requests() != 1 {
		t.Fatalf("second token %q vs %q after %d requests: want the cached token and one request", second, first, srv.Requests())
	}
	header := u.mustRun("", "token", "e2e", "--format", "header")
	if header != "Authorization: Bearer "+first+"\n" || srv.Requests() != 1 {
		t.Fatalf("header %q (requests %d)", header, srv.Requests())
	}
	// Asking for more life than the token has left forces a fetch (of a
	// token that lives long enough: --min-valid is a promise).
	srv.SetLifetime(4 * 3600)
	third := strings.TrimSpace(u.mustRun("", "token", "e2e", "--min-valid", "2h"))
	if third == first || srv.Requests() != 2 {
		t.Fatalf("--min-valid 2h returned %q after %d requests", third, srv.Requests())
	}
	if list := u.mustRun("", "list"); !strings.Contains(list, "e2e") || !strings.Contains(list, "fresh") || !strings.Contains(list, srv.URL) {
		t.Fatalf("list:\n%s", list)
	}

	// A wrong secret: exit ≠ 0 and the server's error code on stderr.
	u.mustRun("not-the-secret", "add", "wrong", "--token-url", srv.URL+"/oauth/token", "--client-id", "e2e-client")
	code, out, errs := u.run("", "token", "wrong")
	if code == 0 || out != "" || !strings.Contains(errs, "invalid_client") || !strings.Contains(errs, "wrong") {
		t.Fatalf("wrong secret: exit %d stdout %q stderr %q", code, out, errs)
	}

	// The secret never appears in any process's argv, checked while a
	// token request is in flight.
	release := srv.Hold()
	srv.SetLifetime(6 * 3600)
	cmd := u.command("", "token", "e2e", "--min-valid", "5h")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	srv.WaitEntered(t)
	checkArgv(t, cmd.Process.Pid, secret, first, third)
	release()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("gated token command: %v", err)
	}

	// Export with secrets, import into another keyring service.
	exportFile := filepath.Join(t.TempDir(), "export.json")
	u.mustRun("", "export", "--with-secrets", exportFile)
	other := newCLIUser(t)
	other.mustRun("", "import", exportFile)
	if tok := strings.TrimSpace(other.mustRun("", "token", "e2e")); tok == "" {
		t.Fatal("imported profile gives no token")
	}
	if l := other.mustRun("", "list", "--json"); !strings.Contains(l, `"e2e"`) || !strings.Contains(l, `"wrong"`) {
		t.Fatalf("imported list: %s", l)
	}
	os.Remove(exportFile)

	// rm removes every item of the profile from the Secret Service.
	u.mustRun("", "rm", "e2e")
	u.mustRun("", "rm", "wrong")
	out2, _ := exec.Command("secret-tool", "search", "--all", "service", u.service).CombinedOutput()
	for _, name := range []string{"e2e", "wrong"} {
		if bytes.Contains(out2, []byte("profile/"+name)) || bytes.Contains(out2, []byte("token/"+name)) {
			t.Fatalf("items of %q remain after rm:\n%s", name, out2)
		}
	}
	if bytes.Contains(out2, []byte(secret)) || bytes.Contains(out2, []byte(first)) {
		t.Fatalf("secret or token remains in the keyring after rm:\n%s", out2)
	}

	// Leak check: neither the secret nor any issued token is in a file
	// under the program's HOME or TMPDIR (the keyring's own encrypted file
	// lives in the session's XDG_DATA_HOME, outside both).
	issued := srv.Issued()
	for _, u := range []*cliUser{u, other} {
		for _, dir := range []string{u.home, u.tmp} {
			assertNotInFiles(t, dir, append([]string{secret}, issued...))
		}
	}
}

func TestCLIKeyringAbsent(t *testing.T) {
	t.Parallel()
	requireSession(t)
	u := newCLIUser(t)
	u.extra = []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(u.tmp, "no-bus")}
	start := time.Now()
	code, _, errs := u.run("", "list", "--keyring-timeout", "10s")
	if code != 3 || !strings.Contains(errs, "OS keyring unavailable") {
		t.Fatalf("no Secret Service: exit %d, stderr %q", code, errs)
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Fatalf("took %v, longer than the keyring timeout", elapsed)
	}
}

// checkArgv fails if any process's command line holds a secret.
func checkArgv(t *testing.T, pid int, secrets ...string) {
	t.Helper()
	own, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !bytes.Contains(own, []byte("token")) {
		t.Fatalf("cannot read the running command's argv: %v", err)
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Fatalf("%s holds a secret: %q", p, b)
			}
		}
	}
}

func assertNotInFiles(t *testing.T, root string, secrets []string) {
	t.Helper()
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s contains a secret or token", path)
			}
		}
		return nil
	})
}
