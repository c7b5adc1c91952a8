package tokens

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokentray/tokentray/internal/testplatform"
)

// A "process" in these tests is a keyring store of its own over one shared
// fake keyring, with its fetch locks as real advisory file locks in a
// shared directory: separate opens of a lock file exclude each other just
// as separate processes do. The command-line end-to-end tests
// (fetch_e2e_test.go at the top level) do the same with real processes.

func processStore(f *fakeKeyring, lockDir string) *keyringStore {
	s := newKeyringStore(f, KeyringOptions{Service: "svc"})
	s.fetchLocks = func(name string) (writeLock, error) {
		return &fileLock{path: filepath.Join(lockDir, "fetch-"+url.PathEscape(name)+".lock")}, nil
	}
	return s
}

// countingFetcher issues "at-N" tokens living an hour by the real clock,
// each request taking delay.
type countingFetcher struct {
	requests atomic.Int32
	delay    time.Duration
}

func (c *countingFetcher) Fetch(ctx context.Context, p Profile) (*Token, error) {
	n := c.requests.Add(1)
	select {
	case <-time.After(c.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	now := time.Now()
	return &Token{AccessToken: fmt.Sprintf("at-%s-%d", p.ClientID, n), TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}, nil
}

func TestSharedTokenOneRequestAcrossProcesses(t *testing.T) {
	f, dir := newFakeKeyring(), testplatform.TempDir(t)
	p := profile("c")
	if err := processStore(f, dir).Save(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	fetcher := &countingFetcher{delay: 30 * time.Millisecond}
	const procs = 30
	got := make([]string, procs)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range procs {
		wg.Go(func() {
			st := processStore(f, dir)
			<-start
			tok, err := SharedToken(context.Background(), p, time.Minute, SharedTokenOptions{Cache: st, Fetcher: fetcher})
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = tok.AccessToken
		})
	}
	close(start)
	wg.Wait()
	if n := fetcher.requests.Load(); n != 1 {
		t.Fatalf("%d processes asking at once made %d requests, want 1", procs, n)
	}
	for i, tok := range got {
		if tok != got[0] {
			t.Fatalf("process %d got %q, process 0 %q: want the one token", i, tok, got[0])
		}
	}
}

// The app's engine and a command-line process asking at the same moment
// share one request, whichever comes first.
func TestManagerAndSharedTokenShareOneRequest(t *testing.T) {
	for _, appFirst := range []bool{true, false} {
		t.Run(fmt.Sprintf("appFirst=%v", appFirst), func(t *testing.T) {
			f, dir := newFakeKeyring(), testplatform.TempDir(t)
			p := profile("c")
			app := processStore(f, dir)
			if err := app.Save(context.Background(), p); err != nil {
				t.Fatal(err)
			}
			fetcher := &countingFetcher{delay: 50 * time.Millisecond}
			m := NewManager(ManagerOptions{Fetcher: fetcher, Store: app})
			defer m.Close()
			if _, _, err := m.LoadProfiles(context.Background()); err != nil {
				t.Fatal(err)
			}
			var appTok, cliTok *Token
			var wg sync.WaitGroup
			askApp := func() {
				var err error
				if appTok, err = m.Token(context.Background(), "c", time.Minute); err != nil {
					t.Error(err)
				}
			}
			askCLI := func() {
				var err error
				cliTok, err = SharedToken(context.Background(), p, time.Minute, SharedTokenOptions{Cache: processStore(f, dir), Fetcher: fetcher})
				if err != nil {
					t.Error(err)
				}
			}
			first, second := askApp, askCLI
			if !appFirst {
				first, second = askCLI, askApp
			}
			wg.Go(first)
			for fetcher.requests.Load() == 0 {
				runtime.Gosched()
			}
			wg.Go(second) // while the first one's request is under way
			wg.Wait()
			if n := fetcher.requests.Load(); n != 1 || appTok == nil || cliTok == nil || appTok.AccessToken != cliTok.AccessToken {
				t.Fatalf("%d requests; app got %v, command line %v: want one request and one token", n, appTok, cliTok)
			}
		})
	}
}

// A process stuck holding the fetch lock delays the others by the wait
// limit at most: then they ask the server themselves.
func TestSharedFetchWaitIsBounded(t *testing.T) {
	f, dir := newFakeKeyring(), testplatform.TempDir(t)
	p := profile("c")
	st := processStore(f, dir)
	if err := st.Save(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	stuck, err := processStore(f, dir).LockFetch(context.Background(), "c")
	if err != nil {
		t.Fatal(err)
	}
	defer stuck()
	fetcher := &countingFetcher{}
	s := sharedFetch{cache: st, fetcher: fetcher, waitLimit: 50 * time.Millisecond}
	start := time.Now()
	tok, err := s.token(context.Background(), canonical(p), func(t *Token) bool { return t.ValidFor(time.Now(), 0) })
	if err != nil || tok == nil || fetcher.requests.Load() != 1 {
		t.Fatalf("with the lock held by a stuck process: %v, %v after %d requests", tok, err, fetcher.requests.Load())
	}
	if waited := time.Since(start); waited < 50*time.Millisecond {
		t.Fatalf("fetched after %v, before the wait limit", waited)
	}
	// The caller's own cancellation ends the wait with its error.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	s.waitLimit = time.Hour
	if _, err := s.token(ctx, canonical(p), func(*Token) bool { return false }); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled wait: %v", err)
	}
}

// holdLockEnv names the lock file TestHelperProcessHoldsFetchLock holds.
const holdLockEnv = "TOKENTRAY_TEST_HOLD_LOCK"

// TestHelperProcessHoldsFetchLock is the child process of
// TestCrashedHolderNeverBlocks: it takes the lock, says so and waits to be
// killed. Run on its own it does nothing.
func TestHelperProcessHoldsFetchLock(t *testing.T) {
	path := os.Getenv(holdLockEnv)
	if path == "" {
		return
	}
	if _, err := (&fileLock{path: path}).lock(context.Background()); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("held")
	time.Sleep(time.Minute)
	os.Exit(1)
}

func TestCrashedHolderNeverBlocks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL")
	}
	f, dir := newFakeKeyring(), testplatform.TempDir(t)
	p := profile("c")
	st := processStore(f, dir)
	if err := st.Save(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	child := exec.Command(os.Args[0], "-test.run=^TestHelperProcessHoldsFetchLock$")
	child.Env = append(os.Environ(), holdLockEnv+"="+filepath.Join(dir, "fetch-c.lock"))
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer child.Process.Kill()
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "held\n" {
		t.Fatalf("child process: %q", line)
	}
	fetcher := &countingFetcher{}
	// While the child holds the lock, a fetch waits.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := SharedToken(ctx, p, 0, SharedTokenOptions{Cache: st, Fetcher: fetcher}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("SharedToken while another process holds the lock: %v, want it to wait", err)
	}
	// The holder dies without unlocking: the next fetch goes ahead at once.
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	start := time.Now()
	tok, err := SharedToken(context.Background(), p, 0, SharedTokenOptions{Cache: st, Fetcher: fetcher})
	if err != nil || tok == nil {
		t.Fatalf("after the holder died: %v", err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Fatalf("waited %v for a dead holder", waited)
	}
}

// The edit-between-fetch-and-save race, in one process: the token fetched
// for the old credentials is written after the profile changed, and must
// never be served for the new ones (see fetch_e2e_test.go for the same race
// between two processes and the real keyring).
func TestTokenFetchedBeforeAnEditIsNotServedAfterIt(t *testing.T) {
	f, dir := newFakeKeyring(), testplatform.TempDir(t)
	old := profile("c")
	app := processStore(f, dir)
	if err := app.Save(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, ManagerOptions{Cache: app}, old)
	release := e.srv.Hold()
	started := make(chan string, 1)
	e.srv.mu.Lock()
	e.srv.started = started
	e.srv.mu.Unlock()
	done := make(chan *Token)
	go func() { tok, _ := e.m.Token(context.Background(), "c", 0); done <- tok }()
	<-started
	edited := old
	edited.ClientID = "other-client"
	if err := processStore(f, dir).Save(context.Background(), edited); err != nil { // `tokentray edit` meanwhile
		t.Fatal(err)
	}
	release()
	oldTok := <-done
	e.m.Close() // waits for the cache write
	if got, err := processStore(f, dir).LoadToken(context.Background(), "c"); err == nil {
		t.Fatalf("the store serves %q, fetched for the old client ID, for the edited profile", got.AccessToken)
	}
	tok, err := SharedToken(context.Background(), edited, 0, SharedTokenOptions{Cache: processStore(f, dir), Fetcher: FetcherFunc(e.srv.Fetch)})
	if err != nil || tok.AccessToken == oldTok.AccessToken {
		t.Fatalf("token for the edited profile: %v, %v (old credentials' token %q)", tok, err, oldTok.AccessToken)
	}
}

func TestRequestFingerprintCoversTheRequestOnly(t *testing.T) {
	base := fullProfile("p")
	same := map[string]func(p *Profile){
		"Name":            func(p *Profile) { p.Name = "renamed" },
		"RefreshLead":     func(p *Profile) { p.RefreshLead = time.Hour },
		"AssumedLifetime": func(p *Profile) { p.AssumedLifetime = time.Hour },
		"ManualRefresh":   func(p *Profile) { p.ManualRefresh = false },
		"TrimmedURL":      func(p *Profile) { p.TokenURL = " " + p.TokenURL + " " },
		"MapOrder":        func(p *Profile) { p.Params = map[string]string{"x": "y z", "tenant": "t1"} },
	}
	differ := map[string]func(p *Profile){
		"TokenURL":      func(p *Profile) { p.TokenURL += "2" },
		"IssuerURL":     func(p *Profile) { p.IssuerURL += "2" },
		"ClientID":      func(p *Profile) { p.ClientID += "2" },
		"Auth":          func(p *Profile) { p.Auth = AuthClientSecretPost },
		"ClientSecret":  func(p *Profile) { p.ClientSecret += "2" },
		"PrivateKeyPEM": func(p *Profile) { p.PrivateKeyPEM += "2" },
		"KeyID":         func(p *Profile) { p.KeyID += "2" },
		"Alg":           func(p *Profile) { p.Alg = AlgES256 },
		"ClientCertPEM": func(p *Profile) { p.ClientCertPEM += "2" },
		"ClientKeyPEM":  func(p *Profile) { p.ClientKeyPEM += "2" },
		"Scopes":        func(p *Profile) { p.Scopes = []string{"write:all", "read"} },
		"Audience":      func(p *Profile) { p.Audience += "2" },
		"Resource":      func(p *Profile) { p.Resource += "2" },
		"Params":        func(p *Profile) { p.Params = map[string]string{"tenant": "t2", "x": "y z"} },
		"Headers":       func(p *Profile) { p.Headers = map[string]string{"X-Api-Key": "k2", "X-Trace": "1"} },
		"Body":          func(p *Profile) { p.Body = BodyForm },
		"CABundlePEM":   func(p *Profile) { p.CABundlePEM += "2" },
	}
	// Every Profile field is named in one of the two lists, so a new field
	// must be placed on purpose.
	for f := range reflect.TypeFor[Profile]().Fields() {
		if _, ok := same[f.Name]; !ok && differ[f.Name] == nil {
			t.Errorf("Profile.%s: say whether it shapes the token request", f.Name)
		}
	}
	fp := base.RequestFingerprint()
	for name, change := range same {
		p := fullProfile("p")
		change(&p)
		if p.RequestFingerprint() != fp {
			t.Errorf("changing %s changed the fingerprint", name)
		}
	}
	for name, change := range differ {
		p := fullProfile("p")
		change(&p)
		if p.RequestFingerprint() == fp {
			t.Errorf("changing %s kept the fingerprint: a token for other credentials would be served", name)
		}
	}
}

// A waiter must outwait the holder's whole fetch and keyring write.
func TestFetchWaitLimitOutlastsOneFetch(t *testing.T) {
	if FetchWaitLimit < DefaultTimeout+10*time.Second {
		t.Fatalf("FetchWaitLimit %v is not comfortably above the client's DefaultTimeout %v", FetchWaitLimit, DefaultTimeout)
	}
}
