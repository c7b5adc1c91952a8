package wire_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/testenv"
	"github.com/tokentray/tokentray/ui/cli"
	"github.com/tokentray/tokentray/ui/platform/instance"
	"github.com/tokentray/tokentray/ui/wire"
)

const hint = "app-answered token tests: run via `make test` or `.ci/session go test ./wire/`"

// issuer is a loopback token and revocation endpoint: tok-1, tok-2, … each
// valid for an hour.
type issuer struct {
	*httptest.Server
	issued, revoked atomic.Int32
}

func newIssuer(t *testing.T) *issuer {
	is := &issuer{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"tok-%d","token_type":"Bearer","expires_in":3600}`, is.issued.Add(1))
	})
	mux.HandleFunc("POST /revoke", func(w http.ResponseWriter, r *http.Request) { is.revoked.Add(1) })
	is.Server = httptest.NewServer(mux)
	t.Cleanup(is.Close)
	return is
}

// session gives the test a profile set of its own (keyring service and
// runtime folder, so its own instance socket and change stamp) and returns
// the service and the socket's path.
func session(t *testing.T) (service, sock string) {
	t.Helper()
	testenv.RequireSession(t, hint)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	service = "tokentray-wire-" + hex.EncodeToString(b)
	t.Setenv("TOKENTRAY_KEYRING_SERVICE", service)
	dir, err := os.MkdirTemp("", "ttw") // short: unix socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	t.Setenv("XDG_RUNTIME_DIR", dir)
	sock, err = instance.Path(service)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = wire.Keyring(service, 0).Delete(context.Background(), "lat") })
	return service, sock
}

// tt runs the command line as `tokentray ARGS…` would, in-process, with
// the real wiring (keyring, HTTP client, the running app).
func tt(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	env := wire.CLI()
	var out, errb bytes.Buffer
	env.Stdin, env.Stdout, env.Stderr = strings.NewReader(stdin), &out, &errb
	code := cli.Main(context.Background(), args, env)
	return code, out.String(), errb.String()
}

// app is the tray app's side: the engine over the AppStore, answering on
// the instance socket. It reloads only when the test says so (reload).
type app struct {
	mgr   *tokens.Manager
	store *wire.AppStore
}

func startApp(t *testing.T, service, sock string) *app {
	t.Helper()
	store := wire.NewAppStore(wire.Keyring(service, 0), service)
	if store == nil {
		t.Fatal("NewAppStore refused the keyring store")
	}
	mgr := tokens.NewManager(tokens.ManagerOptions{Fetcher: wire.HTTPClient(), Store: store})
	t.Cleanup(mgr.Close)
	store.SetEngine(mgr)
	srv, err := instance.Listen(sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	srv.SetAnswerer(store)
	a := &app{mgr: mgr, store: store}
	a.reload(t)
	return a
}

func (a *app) reload(t *testing.T) {
	t.Helper()
	if _, _, err := a.mgr.LoadProfiles(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// ask is the command line's question to the app, with a generous deadline
// (the tests are about what is answered, not how fast).
func ask(t *testing.T, sock string, minValid time.Duration) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tok, _, err := instance.AskToken(ctx, sock, "lat", minValid)
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// askUntil asks until the app answers want: a token the engine just
// fetched reaches the keyring (and becomes one the app may hand out) a
// moment after the engine has it.
func askUntil(t *testing.T, sock, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := ask(t, sock, 0)
		if got == want && err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the app's answer: %q, %v; want %s", got, err, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func mustRun(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	code, out, errs := tt(t, stdin, args...)
	if code != 0 {
		t.Fatalf("tokentray %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

// TestAppAnswersOnlyWhatTheKeyringPathWould: the app hands out its token
// only for the profile's current request, valid for --min-valid, and
// never after the keyring changed behind it or the command line revoked
// it, even when the app was not told (a lost message) and reloaded since.
func TestAppAnswersOnlyWhatTheKeyringPathWould(t *testing.T) {
	service, sock := session(t)
	is := newIssuer(t)
	mustRun(t, "sec", "add", "lat", "--token-url", is.URL+"/token", "--client-id", "c", "--revocation-url", is.URL+"/revoke")
	a := startApp(t, service, sock)
	if _, err := a.mgr.Token(context.Background(), "lat", 0); err != nil {
		t.Fatal(err)
	}
	askUntil(t, sock, "tok-1")
	if out := mustRun(t, "", "token", "lat"); out != "tok-1\n" || is.issued.Load() != 1 {
		t.Fatalf("token: %q after %d requests", out, is.issued.Load())
	}

	// --min-valid: an hour's token is not handed out for two hours.
	if got, err := ask(t, sock, 2*time.Hour); !errors.Is(err, instance.ErrNoAnswer) {
		t.Fatalf("--min-valid 2h: the app answered %q, %v", got, err)
	}

	// The profile's request changes in another process: the app's token
	// belongs to the old request and is not handed out, before and after
	// the app reloads.
	mustRun(t, "", "edit", "lat", "--scope", "other")
	if got, err := ask(t, sock, 0); !errors.Is(err, instance.ErrNoAnswer) {
		t.Fatalf("after edit, before the app reloaded: answered %q, %v", got, err)
	}
	if out := mustRun(t, "", "token", "lat"); out != "tok-2\n" {
		t.Fatalf("token after edit: %q, want a new token", out)
	}
	a.reload(t)
	if got, err := ask(t, sock, 0); got == "tok-1" {
		t.Fatalf("after edit and reload: answered the old request's token (%v)", err)
	}

	// Revoked by the command line: the app forgets it at once.
	if _, err := a.mgr.Refresh(context.Background(), "lat"); err != nil {
		t.Fatal(err)
	}
	askUntil(t, sock, "tok-3")
	mustRun(t, "", "revoke", "lat")
	if is.revoked.Load() != 1 {
		t.Fatal("revoke did not reach the issuer")
	}
	if got, err := ask(t, sock, 0); !errors.Is(err, instance.ErrNoAnswer) {
		t.Fatalf("after revoke: the app answered %q, %v", got, err)
	}
	if ps, _ := a.mgr.Snapshot().Find("lat"); ps.Token != nil {
		t.Fatalf("after revoke the app still holds %s", ps.Token.AccessToken)
	}
	a.reload(t)
	if got, err := ask(t, sock, 0); !errors.Is(err, instance.ErrNoAnswer) {
		t.Fatalf("after revoke and reload: the app answered %q, %v", got, err)
	}

	// A token deleted by a process that does not tell the app (a lost
	// message): not answered, even after an unrelated reload, although
	// the app still holds it in memory.
	if _, err := a.mgr.Token(context.Background(), "lat", 0); err != nil {
		t.Fatal(err)
	}
	askUntil(t, sock, "tok-4")
	if err := wire.Keyring(service, 0).(tokens.TokenDropper).DeleteToken(context.Background(), "lat"); err != nil {
		t.Fatal(err)
	}
	if got, err := ask(t, sock, 0); !errors.Is(err, instance.ErrNoAnswer) {
		t.Fatalf("token deleted behind the app: answered %q, %v", got, err)
	}
	a.reload(t)
	if ps, _ := a.mgr.Snapshot().Find("lat"); ps.Token == nil || ps.Token.AccessToken != "tok-4" {
		t.Fatalf("the engine was expected to keep tok-4 in memory: %+v", ps.Token)
	}
	if got, err := ask(t, sock, 0); !errors.Is(err, instance.ErrNoAnswer) {
		t.Fatalf("token deleted behind the app, after a reload: answered %q, %v", got, err)
	}

	// rm: the app answers nothing for the profile.
	mustRun(t, "", "rm", "lat")
	if got, err := ask(t, sock, 0); !errors.Is(err, instance.ErrNoAnswer) {
		t.Fatalf("after rm: answered %q, %v", got, err)
	}
}

// TestCommandLineFallsBackWhenTheAppHangs: a process that holds the
// instance socket and never answers costs the command line its short
// deadline (wire.AskAppTimeout), then the keyring answers, with no error.
func TestCommandLineFallsBackWhenTheAppHangs(t *testing.T) {
	_, sock := session(t)
	is := newIssuer(t)
	mustRun(t, "sec", "add", "lat", "--token-url", is.URL+"/token", "--client-id", "c")
	mustRun(t, "", "token", "lat")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c // held open, never answered
		}
	}()
	defer func() {
		for len(accepted) > 0 {
			(<-accepted).Close()
		}
	}()
	done := make(chan struct{})
	var code int
	var out, errs string
	go func() { code, out, errs = tt(t, "", "token", "lat"); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second): // a watchdog, not a speed goal (see make bench-cli)
		t.Fatal("token hung behind an app that does not answer")
	}
	if code != 0 || out != "tok-1\n" || errs != "" || is.issued.Load() != 1 {
		t.Fatalf("token with a hung app: exit %d, %q, stderr %q, %d requests", code, out, errs, is.issued.Load())
	}
	if len(accepted) == 0 {
		t.Fatal("the command line did not ask the app")
	}
}
