package instance

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func sockPath(t *testing.T) string {
	// Unix socket paths are limited to about 100 bytes; t.TempDir can be longer.
	dir, err := os.MkdirTemp("", "inst")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "run", "app.sock")
}

// listen serves a fresh socket until the test ends.
func listen(t *testing.T) (*Server, string) {
	t.Helper()
	path := sockPath(t)
	s, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func receive(t *testing.T, s *Server) Command {
	t.Helper()
	select {
	case c := <-s.Commands():
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("no command arrived")
		return ""
	}
}

func TestSecondListenFindsTheFirst(t *testing.T) {
	ctx := context.Background()
	path := sockPath(t)
	if err := Send(ctx, path, Show); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Send before any app: %v, want ErrNotRunning", err)
	}
	s, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(filepath.Dir(path))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("socket directory: %v %v, want mode 0700", fi.Mode(), err)
	}
	if _, err := Listen(path); !errors.Is(err, ErrRunning) {
		t.Fatalf("second Listen: %v, want ErrRunning", err)
	}
	for _, cmd := range []Command{Show, Reload, Pick, Show} {
		if err := Send(ctx, path, cmd); err != nil {
			t.Fatalf("Send %s: %v", cmd, err)
		}
		if got := receive(t, s); got != cmd {
			t.Fatalf("received %q, want %q", got, cmd)
		}
	}
	if err := Send(ctx, path, "format-disk"); err == nil {
		t.Fatal("an unknown command was accepted")
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-s.Commands(); ok {
		t.Fatal("Commands still open after Close")
	}
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Fatalf("socket left after Close: %v", err)
	}
	if err := Send(ctx, path, Show); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Send after Close: %v, want ErrNotRunning", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestListenReplacesAStaleSocket(t *testing.T) {
	path := sockPath(t)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	// A socket whose process died: bound, never removed.
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("the stale socket is not there: %v", err)
	}
	s, err := Listen(path)
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	defer s.Close()
	if err := Send(context.Background(), path, Reload); err != nil {
		t.Fatal(err)
	}
	if got := receive(t, s); got != Reload {
		t.Fatalf("received %q", got)
	}
}

func TestBurstsDoNotBlock(t *testing.T) {
	s, path := listen(t)
	// Nobody reads Commands: senders still get answers.
	for range 20 {
		if err := Send(context.Background(), path, Reload); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.Commands()); n != cap(s.commands) {
		t.Fatalf("%d commands waiting, want %d", n, cap(s.commands))
	}
}

func TestOverlongCommandRefused(t *testing.T) {
	s, path := listen(t)
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	long := make([]byte, 4096)
	for i := range long {
		long[i] = 's'
	}
	_, _ = c.Write(long)
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 16)
	if n, _ := c.Read(buf); n != 0 {
		t.Fatalf("an overlong line got the answer %q", buf[:n])
	}
	select {
	case cmd := <-s.Commands():
		t.Fatalf("an overlong line became the command %q", cmd)
	default:
	}
}

func TestPathPerService(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	a, err := Path("")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Path("tokentray")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Path("other")
	if err != nil {
		t.Fatal(err)
	}
	if a != b || a == c || filepath.Ext(a) != ".sock" {
		t.Fatalf("paths: default %s, tokentray %s, other %s", a, b, c)
	}
}

// Status is answered by the status function, and refused without one or
// when its line would break the protocol.
func TestStatusAnswered(t *testing.T) {
	s, path := listen(t)
	if _, err := Ask(context.Background(), path); err == nil {
		t.Error("a Status with no status function was answered")
	}
	s.SetStatus(func() []byte { return []byte(`[{"name":"a"}]`) })
	got, err := Ask(context.Background(), path)
	if err != nil || string(got) != `[{"name":"a"}]` {
		t.Fatalf("Ask = %q, %v", got, err)
	}
	s.SetStatus(func() []byte { return []byte("two\nlines") })
	if got, err := Ask(context.Background(), path); err == nil {
		t.Errorf("a status with a newline was sent: %q", got)
	}
	if _, err := Ask(context.Background(), path+".none"); !errors.Is(err, ErrNotRunning) {
		t.Errorf("no app: %v", err)
	}
}
