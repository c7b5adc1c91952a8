package servertest

// The sign-in end to end: the real binary, the real Secret Service
// (through .ci/session), the Fosite server and the scripted person.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/keyring"
	"github.com/tokentray/tokentray/tokens/testenv"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// tokentrayBinary builds the app once per test run.
func tokentrayBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tokentray-servertest-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "tokentray")
		// Built in the app's own module (two folders up), with its go.sum.
		build := exec.Command("go", "build", "-o", binPath, ".")
		build.Dir = filepath.Join("..", "..")
		if out, err := build.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// person runs the binary as one user, with its own keyring service, HOME
// and TMPDIR, and the scripted browser as $BROWSER.
type person struct {
	t                  *testing.T
	bin, service, home string
	env                []string
}

func newPerson(t *testing.T, browserScript string) *person {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	root := t.TempDir()
	p := &person{t: t, bin: tokentrayBinary(t), service: "tokentray-signin-" + hex.EncodeToString(b), home: filepath.Join(root, "home")}
	tmp := filepath.Join(root, "tmp")
	_ = os.MkdirAll(p.home, 0o700)
	_ = os.MkdirAll(tmp, 0o700)
	p.env = append(os.Environ(), "HOME="+p.home, "TMPDIR="+tmp, "TOKENTRAY_KEYRING_SERVICE="+p.service, "BROWSER="+browserScript)
	t.Cleanup(func() { _ = exec.Command("secret-tool", "clear", "service", p.service).Run() })
	return p
}

func (p *person) run(args ...string) (code int, stdout, stderr string) {
	cmd := exec.Command(p.bin, args...)
	cmd.Env = p.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		p.t.Fatalf("tokentray %v: %v", args, err)
	}
	return code, out.String(), errb.String()
}

func (p *person) mustRun(args ...string) string {
	p.t.Helper()
	code, out, errs := p.run(args...)
	if code != 0 {
		p.t.Fatalf("tokentray %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

func TestTenProcessesAfterExpiryMakeOneRefreshWithTheRealKeyring(t *testing.T) {
	testenv.RequireSession(t, "needs the Secret Service: run through .ci/session")
	const life = 4 * time.Second
	srv := newFositeUser(t, life)
	script, _ := personBrowser(t, userPassword)
	me := newPerson(t, script)
	me.mustRun("add", "me", "--grant", "authorization_code", "--auth", "none", "--client-id", userClientID,
		"--issuer", srv.URL, "--scope", "offline_access", "--scope", "api.read")

	code, out, errs := me.run("login", "me")
	if code != 0 || out != "" || !strings.Contains(errs, srv.URL+"/authorize?") {
		t.Fatalf("login: exit %d, stdout %q (must be empty), stderr %s", code, out, errs)
	}
	first := strings.TrimSpace(me.mustRun("token", "me", "--min-valid", "1s"))
	time.Sleep(life + 500*time.Millisecond)

	// Ten processes find the token expired at once.
	got := make([]string, 10)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			c, out, errs := me.run("token", "me", "--min-valid", "1s")
			got[i] = strings.TrimSpace(out)
			if c != 0 {
				t.Errorf("process %d: exit %d: %s", i, c, errs)
			}
		})
	}
	wg.Wait()
	for i, tok := range got {
		if tok == "" || tok == first || tok != got[0] {
			t.Fatalf("process %d got %q; process 0 got %q (the expired one was %q)", i, tok, got[0], first)
		}
	}
	if n := srv.refreshes.Load(); n != 1 {
		t.Fatalf("%d refreshes for ten processes, want 1", n)
	}
	// The sign-in survived: the next refresh works.
	time.Sleep(life + 500*time.Millisecond)
	if next := strings.TrimSpace(me.mustRun("token", "me", "--min-valid", "1s")); next == got[0] || srv.refreshes.Load() != 2 {
		t.Fatalf("the next refresh: %q, %d refreshes", next, srv.refreshes.Load())
	}

	// The refresh token is deleted on the server (an administrator revokes
	// it): sign-in needed, exit 8, and the command to run.
	st := keyring.NewStore(keyring.Options{Service: me.service})
	rt, err := st.(tokens.RefreshStore).LoadRefresh(context.Background(), "me")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.PostForm(srv.URL+"/revoke", url.Values{"token": {rt.Value}, "token_type_hint": {"refresh_token"}, "client_id": {userClientID}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("revoking on the server: %v %v", resp, err)
	}
	resp.Body.Close()
	time.Sleep(life + 500*time.Millisecond)
	code, out, errs = me.run("token", "me", "--min-valid", "1s")
	if code != 8 || out != "" || !strings.Contains(errs, "tokentray login me") {
		t.Fatalf("token after the server deleted the sign-in: exit %d, stdout %q, stderr %s", code, out, errs)
	}
	if list := me.mustRun("list"); !strings.Contains(list, "sign-in needed") {
		t.Errorf("list does not say the profile needs a sign-in:\n%s", list)
	}

	// The redirect port asked for is taken: login says so.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	me.mustRun("edit", "me", "--redirect-port", port)
	code, out, errs = me.run("login", "me")
	if code == 0 || out != "" || !strings.Contains(errs, "redirect port "+port) || !strings.Contains(errs, "taken") {
		t.Fatalf("login on a taken port: exit %d, stdout %q, stderr %s", code, out, errs)
	}
	// Signing in again mends the profile.
	me.mustRun("edit", "me", "--redirect-port", "0")
	me.mustRun("login", "me")
	me.mustRun("token", "me", "--min-valid", "1s")
}
