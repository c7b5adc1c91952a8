package keyring

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/storetest"
	"github.com/tokentray/tokentray/tokens/testenv"
)

func TestFileLockExcludesAnotherOpen(t *testing.T) {
	path := filepath.Join(testenv.TempDir(t), "sub", "x.lock")
	a, b := &fileLock{path: path}, &fileLock{path: path}
	unlockA, err := a.lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := b.lock(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second lock while the first is held: %v, want a deadline error", err)
	}
	unlockA()
	unlockB, err := b.lock(context.Background())
	if err != nil {
		t.Fatalf("second lock after the first was released: %v", err)
	}
	unlockB()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() != 0 {
		t.Errorf("lock file holds %d bytes, want none", fi.Size())
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("lock file mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestServiceWriteLockPlace(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG_RUNTIME_DIR is used on Linux only")
	}
	run, cache := testenv.TempDir(t), testenv.TempDir(t)
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("XDG_RUNTIME_DIR", run)
	a := newServiceWriteLock("a").(*fileLock)
	if filepath.Dir(a.path) != run {
		t.Errorf("lock %s, want it in XDG_RUNTIME_DIR %s", a.path, run)
	}
	if a2 := newServiceWriteLock("a").(*fileLock); a2.path != a.path {
		t.Errorf("one service, two lock files: %s and %s", a.path, a2.path)
	}
	if d := newServiceWriteLock("").(*fileLock); d.path != newServiceWriteLock(DefaultService).(*fileLock).path {
		t.Errorf("the default service has two lock files")
	}
	if b := newServiceWriteLock("b").(*fileLock); b.path == a.path {
		t.Errorf("services a and b share the lock file %s", a.path)
	}
	if strings.Contains(filepath.Base(a.path), "/") || !strings.HasSuffix(a.path, ".lock") {
		t.Errorf("lock file name %q", filepath.Base(a.path))
	}
	t.Setenv("XDG_RUNTIME_DIR", "")
	if c := newServiceWriteLock("a").(*fileLock); filepath.Dir(c.path) != filepath.Join(cache, "tokentray") {
		t.Errorf("without XDG_RUNTIME_DIR the lock is %s, want it under %s", c.path, cache)
	}
}

func TestStoreWritesWaitForAnotherProcess(t *testing.T) {
	ctx := context.Background()
	f := newFakeKeyring()
	s := newKeyringStore(f, Options{Service: "svc", Timeout: 50 * time.Millisecond})
	path := filepath.Join(testenv.TempDir(t), "svc.lock")
	s.writes = &fileLock{path: path}
	if err := s.Save(ctx, storetest.FullProfile("a")); err != nil {
		t.Fatal(err)
	}
	calls := f.callCount()

	// Another process holds the lock: writes give up after the timeout,
	// without touching the keyring; reads go on.
	other, err := (&fileLock{path: path}).lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for name, write := range map[string]func() error{
		"Save":      func() error { return s.Save(ctx, storetest.FullProfile("b")) },
		"SaveToken": func() error { return s.SaveToken(ctx, "a", storetest.FullToken("t")) },
		"Delete":    func() error { return s.Delete(ctx, "a") },
	} {
		err := write()
		if !errors.Is(err, tokens.ErrKeyringTimeout) || !errors.Is(err, tokens.ErrKeyringBusy) {
			t.Errorf("%s while another process writes: %v, want ErrKeyringTimeout and tokens.ErrKeyringBusy", name, err)
		}
	}
	if n := f.callCount(); n != calls {
		t.Errorf("refused writes made %d keyring calls", n-calls)
	}
	storetest.MustLoadNames(t, s, "a")

	// The caller's own cancellation is reported as such.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Save(cctx, storetest.FullProfile("b")); !errors.Is(err, context.Canceled) || errors.Is(err, tokens.ErrKeyringTimeout) {
		t.Errorf("Save with a cancelled context: %v, want context.Canceled", err)
	}

	other()
	if err := s.Save(ctx, storetest.FullProfile("b")); err != nil {
		t.Fatalf("Save after the other process let go: %v", err)
	}
	storetest.MustLoadNames(t, s, "a", "b")
}

func TestStoreWritesWithoutALockPlace(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	t.Setenv("LocalAppData", "")
	t.Setenv("home", "")
	s := newKeyringStore(newFakeKeyring(), Options{Service: "svc"})
	s.writes = newServiceWriteLock("svc")
	err := s.Save(context.Background(), storetest.FullProfile("a"))
	if err == nil || !strings.Contains(err.Error(), "write lock") {
		t.Fatalf("Save with nowhere to keep the lock: %v, want an error naming the write lock", err)
	}
}
