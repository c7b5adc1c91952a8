package e2e

// End-to-end tests of fetches shared across processes and of tokens bound
// to their request: the real binary, the real Secret Service (through
// .ci/session), a loopback token server counting requests, and the engine
// of the tray app running in this test process against the same keyring.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/keyring"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// newCountingServer is a loopback token endpoint that issues "at-CLIENT-N"
// tokens to any client, holding each request until release.
func newCountingServer(t testing.TB) (srv *tokentest.Endpoint, release func()) {
	srv = tokentest.NewEndpoint(t, tokentest.Tokens(func(n int, r tokentest.Request) string {
		id, _, _ := r.Client()
		return fmt.Sprintf("at-%s-%d", id, n)
	}))
	return srv, srv.Hold()
}

// releaseAtFetchLock calls release (the token server's held answer) once
// each of pids (the test's own for the app's engine running in it) has the
// profile's fetch lock file of service open: the one whose request the
// server holds has the lock, and every other one is waiting for it (a
// waiter keeps the file open, trying the lock, until it gets it). So the
// contention is certain, where a sleep made it likely. It releases and
// fails the test if they do not all get there within 60 s.
func releaseAtFetchLock(tb testing.TB, release func(), service string, pids ...int) {
	tb.Helper()
	defer release()
	prefix, err := keyring.RuntimePath(service, ".fetch-")
	if err != nil {
		tb.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		at := 0
		for _, pid := range pids {
			if hasOpen(pid, prefix, ".lock") {
				at++
			}
		}
		if at == len(pids) {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("after 60 s, %d of %d processes have reached the fetch lock", at, len(pids))
		}
	}
}

// hasOpen reports whether process pid has a file open whose path starts
// with prefix and ends with suffix (Linux: /proc/PID/fd).
func hasOpen(pid int, prefix, suffix string) bool {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	fds, _ := os.ReadDir(dir)
	for _, fd := range fds {
		if p, err := os.Readlink(filepath.Join(dir, fd.Name())); err == nil && strings.HasPrefix(p, prefix) && strings.HasSuffix(p, suffix) {
			return true
		}
	}
	return false
}

// Thirty `tokentray token` processes started at once on a profile with no
// cached token make one request between them, and print the same token.
func TestCLIConcurrentProcessesShareOneRequest(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	if n := concurrentCLIRequests(t, 30); n != 1 {
		t.Fatalf("30 processes made %d token requests, want 1", n)
	}
}

// BenchmarkCLIConcurrentProcesses reports the token requests 30 concurrent
// `tokentray token` processes make (goal: 1). Run with -benchtime 1x.
func BenchmarkCLIConcurrentProcesses(b *testing.B) {
	requireSession(b, "secret-tool")
	n := 0
	for b.Loop() {
		n = concurrentCLIRequests(b, 30)
	}
	b.ReportMetric(float64(n), "requests")
}

// concurrentCLIRequests starts procs `tokentray token` processes at once on
// a new profile, checks they all print the same token, and returns the
// requests the token server saw.
func concurrentCLIRequests(tb testing.TB, procs int) int {
	srv, release := newCountingServer(tb)
	u := newCLIUser(tb)
	u.mustRun("s3cret\n", "add", "c", "--token-url", srv.URL+"/token", "--client-id", "shared-client")

	outs := make([]string, procs)
	errs := make([]error, procs)
	cmds := make([]*exec.Cmd, procs)
	var wg sync.WaitGroup
	for i := range procs {
		cmd := u.command("", "token", "c")
		cmds[i] = cmd
		var out strings.Builder
		cmd.Stdout = &out
		if err := cmd.Start(); err != nil {
			tb.Fatal(err)
		}
		wg.Go(func() { errs[i] = cmd.Wait(); outs[i] = strings.TrimSpace(out.String()) })
	}
	srv.WaitEntered(tb)
	pids := make([]int, procs)
	for i, cmd := range cmds {
		pids[i] = cmd.Process.Pid
	}
	releaseAtFetchLock(tb, release, u.service, pids...)
	wg.Wait()
	for i := range procs {
		if errs[i] != nil || outs[i] != outs[0] || outs[i] == "" {
			tb.Fatalf("process %d: %v, token %q (process 0: %q)", i, errs[i], outs[i], outs[0])
		}
	}
	return srv.Requests()
}

// The tray app's engine and `tokentray token`, asking at the same moment,
// make one request, whichever asks first.
func TestAppAndCLIShareOneRequest(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	for _, appFirst := range []bool{true, false} {
		t.Run(fmt.Sprintf("appFirst=%v", appFirst), func(t *testing.T) {
			srv, release := newCountingServer(t)
			u := newCLIUser(t)
			u.mustRun("s3cret\n", "add", "c", "--token-url", srv.URL+"/token", "--client-id", "shared-client")
			store := keyring.NewStore(keyring.Options{Service: u.service})
			m := tokens.NewManager(tokens.ManagerOptions{Fetcher: oauth.NewClient(oauth.ClientOptions{}), Store: store})
			defer m.Close()
			if _, _, err := m.LoadProfiles(context.Background()); err != nil {
				t.Fatal(err)
			}
			var appTok string
			var appErr error
			askApp := func() {
				tok, err := m.Token(context.Background(), "c", time.Minute)
				if appErr = err; err == nil {
					appTok = tok.AccessToken
				}
			}
			cli := u.command("", "token", "c")
			var cliOut strings.Builder
			cli.Stdout = &cliOut
			var wg sync.WaitGroup
			if appFirst {
				wg.Go(askApp)
				srv.WaitEntered(t)
				if err := cli.Start(); err != nil {
					t.Fatal(err)
				}
			} else {
				if err := cli.Start(); err != nil {
					t.Fatal(err)
				}
				srv.WaitEntered(t)
				wg.Go(askApp)
			}
			releaseAtFetchLock(t, release, u.service, os.Getpid(), cli.Process.Pid)
			cliErr := cli.Wait()
			wg.Wait()
			cliTok := strings.TrimSpace(cliOut.String())
			if appErr != nil || cliErr != nil || appTok != cliTok {
				t.Fatalf("app: %q, %v; command line: %q, %v; want one token", appTok, appErr, cliTok, cliErr)
			}
			if n := srv.Requests(); n != 1 {
				t.Fatalf("app and command line made %d requests, want 1", n)
			}
		})
	}
}

// The race of issue 10: the app fetches a token for the profile's old
// client ID, `tokentray edit` changes the client ID before the app writes
// that token to the keyring. The next `tokentray token` must not print the
// old credentials' token. (Before tokens were bound to their request, the
// write bound it to whatever profile was stored at that moment, and it was
// served for the new client ID for its whole lifetime.)
func TestEditBetweenFetchAndSaveAcrossProcesses(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	srv, release := newCountingServer(t)
	u := newCLIUser(t)
	u.mustRun("s3cret\n", "add", "c", "--token-url", srv.URL+"/token", "--client-id", "old-client")

	// The app's engine (in this process), with the profile as loaded.
	store := keyring.NewStore(keyring.Options{Service: u.service})
	ps, _, err := store.Load(context.Background())
	if err != nil || len(ps) != 1 {
		t.Fatalf("Load: %v, %v", ps, err)
	}
	m := tokens.NewManager(tokens.ManagerOptions{Fetcher: oauth.NewClient(oauth.ClientOptions{}), Cache: store})
	m.SetProfiles(ps)
	done := make(chan string, 1)
	go func() {
		tok, err := m.Token(context.Background(), "c", 0)
		if err != nil {
			done <- "error: " + err.Error()
			return
		}
		done <- tok.AccessToken
	}()
	srv.WaitEntered(t)
	// Another process edits the profile while the app's request is out.
	u.mustRun("", "edit", "c", "--client-id", "new-client")
	release()
	oldTok := <-done
	if !strings.HasPrefix(oldTok, "at-old-client-") {
		t.Fatalf("app's token %q", oldTok)
	}
	m.Close() // waits for the app's keyring write

	got := strings.TrimSpace(u.mustRun("", "token", "c"))
	if got == oldTok || !strings.HasPrefix(got, "at-new-client-") {
		t.Fatalf("after the edit, `tokentray token` printed %q; the old client's token was %q: want one issued to new-client", got, oldTok)
	}
	// Only the request fields count: changing the refresh lead keeps it.
	u.mustRun("", "edit", "c", "--lead", "2m")
	if again := strings.TrimSpace(u.mustRun("", "token", "c")); again != got {
		t.Fatalf("after changing only the refresh lead: %q, want the cached %q", again, got)
	}
	if out, _ := exec.Command("secret-tool", "search", "--all", "service", u.service).CombinedOutput(); len(out) == 0 {
		t.Fatal("nothing in the keyring")
	}
}
