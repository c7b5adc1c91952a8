package keyring

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/testenv"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// A "process" in these tests is a keyring store of its own over one shared
// fake keyring, with its fetch locks as real advisory file locks in a
// shared directory: separate opens of a lock file exclude each other just
// as separate processes do. The command-line end-to-end tests
// (fetch_e2e_test.go at the top level) do the same with real processes.

func processStore(f *fakeKeyring, lockDir string) *keyringStore {
	s := newKeyringStore(f, Options{Service: "svc"})
	s.fetchLocks = func(name string) (writeLock, error) {
		return &fileLock{path: filepath.Join(lockDir, "fetch-"+url.PathEscape(name)+".lock")}, nil
	}
	return s
}

func TestSharedTokenOneRequestAcrossProcesses(t *testing.T) {
	f, dir := newFakeKeyring(), testenv.TempDir(t)
	p := tokentest.Profile("c")
	if err := processStore(f, dir).Save(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	fetcher := &tokentest.CountingFetcher{Delay: 30 * time.Millisecond}
	const procs = 30
	got := make([]string, procs)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range procs {
		wg.Go(func() {
			st := processStore(f, dir)
			<-start
			tok, err := tokens.SharedToken(context.Background(), p, time.Minute, tokens.SharedTokenOptions{Cache: st, Fetcher: fetcher})
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = tok.AccessToken
		})
	}
	close(start)
	wg.Wait()
	if n := fetcher.Requests(); n != 1 {
		t.Fatalf("%d processes asking at once made %d requests, want 1", procs, n)
	}
	for i, tok := range got {
		if tok != got[0] {
			t.Fatalf("process %d got %q, process 0 %q: want the one token", i, tok, got[0])
		}
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
	f, dir := newFakeKeyring(), testenv.TempDir(t)
	p := tokentest.Profile("c")
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
	fetcher := &tokentest.CountingFetcher{}
	// While the child holds the lock, a fetch waits.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := tokens.SharedToken(ctx, p, 0, tokens.SharedTokenOptions{Cache: st, Fetcher: fetcher}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("tokens.SharedToken while another process holds the lock: %v, want it to wait", err)
	}
	// The holder dies without unlocking: the next fetch goes ahead at once.
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	start := time.Now()
	tok, err := tokens.SharedToken(context.Background(), p, 0, tokens.SharedTokenOptions{Cache: st, Fetcher: fetcher})
	if err != nil || tok == nil {
		t.Fatalf("after the holder died: %v", err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Fatalf("waited %v for a dead holder", waited)
	}
}
