package instance

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// fakeAnswerer answers with tok for "lat" when minValid is at most an
// hour, and records drops.
type fakeAnswerer struct {
	mu      sync.Mutex
	tok     *tokens.Token
	dropped []string
}

func (f *fakeAnswerer) CachedToken(name string, minValid time.Duration) (*tokens.Token, []string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if name != "lat x" || f.tok == nil || minValid > time.Hour {
		return nil, nil, false
	}
	return f.tok, []string{"git.example.com"}, true
}

func (f *fakeAnswerer) DropToken(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dropped = append(f.dropped, name)
	f.tok = nil
}

func quick(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestAskTokenAndDrop(t *testing.T) {
	s, path := listen(t)
	if _, _, err := AskToken(quick(t), path, "lat x", 0); !errors.Is(err, ErrNoAnswer) {
		t.Fatalf("no answerer: %v, want ErrNoAnswer", err)
	}
	tok := &tokens.Token{AccessToken: "tok-1", TokenType: "Bearer", ExpiresAt: time.Now().Add(time.Hour).UTC().Round(0), RequestFingerprint: "fp"}
	f := &fakeAnswerer{tok: tok}
	s.SetAnswerer(f)
	got, hosts, err := AskToken(quick(t), path, "lat x", time.Minute)
	if err != nil || got.AccessToken != "tok-1" || got.RequestFingerprint != "fp" || !got.ExpiresAt.Equal(tok.ExpiresAt) || len(hosts) != 1 {
		t.Fatalf("AskToken = %+v, %v, %v", got, hosts, err)
	}
	if _, _, err := AskToken(quick(t), path, "lat x", 2*time.Hour); !errors.Is(err, ErrNoAnswer) {
		t.Fatalf("minValid beyond the token: %v, want ErrNoAnswer", err)
	}
	if err := Drop(quick(t), path, "lat x"); err != nil {
		t.Fatal(err)
	}
	if len(f.dropped) != 1 || f.dropped[0] != "lat x" {
		t.Fatalf("dropped %q", f.dropped)
	}
	if c := receive(t, s); c != Reload {
		t.Fatalf("after a drop the app got %q, want a reload", c)
	}
	if _, _, err := AskToken(quick(t), path, "lat x", 0); !errors.Is(err, ErrNoAnswer) {
		t.Fatalf("after the drop: %v, want ErrNoAnswer", err)
	}
}

// TestServerAnswersOnlyItsUser: a peer of another uid gets nothing, not
// even a command through (SO_PEERCRED, checked on each connection).
func TestServerAnswersOnlyItsUser(t *testing.T) {
	testenvLinux(t)
	path := sockPath(t)
	s, err := listenAs(path, os.Getuid()+1, peerUID) // as if this process were another user
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.SetAnswerer(&fakeAnswerer{tok: &tokens.Token{AccessToken: "tok-1", ExpiresAt: time.Now().Add(time.Hour)}})
	if tok, _, err := AskToken(quick(t), path, "lat x", 0); err == nil {
		t.Fatalf("another user was answered %q", tok.AccessToken)
	}
	if err := Send(quick(t), path, Show); err == nil {
		t.Fatal("another user's command was accepted")
	}
	select {
	case c := <-s.Commands():
		t.Fatalf("another user's command %q reached the app", c)
	default:
	}
}

func TestPeerUIDIsTheConnectingProcesssUID(t *testing.T) {
	testenvLinux(t)
	path := sockPath(t)
	got := make(chan int, 1)
	s, err := listenAs(path, os.Getuid(), func(c net.Conn) (int, error) {
		uid, err := peerUID(c)
		got <- uid
		return uid, err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := Send(quick(t), path, Show); err != nil {
		t.Fatalf("own user: %v", err)
	}
	if uid := <-got; uid != os.Getuid() {
		t.Fatalf("SO_PEERCRED uid %d, want %d", uid, os.Getuid())
	}
}

// TestListenMakesAnExistingFolderPrivate: the fallback folder
// (~/.cache/tokentray) left 0755 by an earlier version or a umask is made
// 0700 again.
func TestListenMakesAnExistingFolderPrivate(t *testing.T) {
	path := sockPath(t)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(filepath.Dir(path))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("socket folder: %v %v, want mode 0700", fi.Mode(), err)
	}
}

func testenvLinux(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("SO_PEERCRED is Linux's")
	}
}
