// Package instance keeps Tokentray to one running tray app per profile set
// (keyring service) and lets other processes talk to it: a second launch
// asks the running app to show its window and exits, and the command line
// asks it to reload the profiles after changing them. It has no Fyne
// dependency.
//
// The channel is a unix socket at keyring.RuntimePath(service, ".sock") (in
// $XDG_RUNTIME_DIR, or in a tokentray folder of the user's cache directory
// that Listen makes 0700 every time), speaking one line each way: a
// command, then "ok". On Linux the app serves only processes of its own
// user: the peer's uid is checked on each connection (SO_PEERCRED). On
// other systems the folder's mode is the only guard; on Windows a named
// pipe with a same-user ACL would be the equivalent (future work).
//
// Besides the commands, which carry no data and no secret, the command line
// may ask the running app for a profile's token (answer.go): the one
// exchange that carries a secret, hence the uid check.
// One command is a question: Status is answered with the line the app's
// status function gives (the profiles' refresh state, for `tokentray
// list`: names and worded errors, never a token or a secret).
package instance

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tokentray/tokentray/tokens/keyring"
)

// Command is a request to the running app.
type Command string

const (
	// Show asks the app to open and raise its window.
	Show Command = "show"
	// Reload asks the app to read the profiles from the keyring again,
	// because another process changed them.
	Reload Command = "reload"
	// Pick asks the app to open its quick picker (`tokentray pick`).
	Pick Command = "pick"
	// Status asks the app for its status line (Server.SetStatus), for
	// `tokentray list` to show what the app knows of each profile.
	Status Command = "status"
)

// MaxStatus caps a status answer.
const MaxStatus = 1 << 20

// ErrRunning is returned by Listen when another process already serves the
// socket: the app is running.
var ErrRunning = errors.New("instance: the app is already running")

// ErrNotRunning is returned by Send when no app serves the socket.
var ErrNotRunning = errors.New("instance: the app is not running")

// ioTimeout bounds each exchange on the socket.
const ioTimeout = 2 * time.Second

// Server is the running app's end of the socket.
type Server struct {
	status   atomic.Pointer[func() []byte] // answers Status; nil: not offered
	ln       net.Listener
	commands chan Command
	closed   chan struct{}
	once     sync.Once
	wg       sync.WaitGroup
	answerer atomic.Pointer[answererBox]
	// wantUID is the uid a peer must have (Linux); peerUID reads it.
	wantUID int
	peerUID func(net.Conn) (int, error)
}

// Path is the socket of service ("" is the default service).
func Path(service string) (string, error) {
	p, err := keyring.RuntimePath(service, ".sock")
	if err != nil {
		return "", fmt.Errorf("instance: %w", err)
	}
	return p, nil
}

// Listen claims the socket at path. It returns ErrRunning when another
// process answers there; a socket left behind by a process that died is
// replaced. The caller must Close the Server.
func Listen(path string) (*Server, error) { return listenAs(path, os.Getuid(), peerUID) }

// listenAs is Listen serving peers of uid wantUID, as peerUID tells them.
func listenAs(path string, wantUID int, peerUID func(net.Conn) (int, error)) (*Server, error) {
	if err := privateDir(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("instance: %w", err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		if _, statErr := os.Lstat(path); statErr != nil {
			return nil, fmt.Errorf("instance: %w", err)
		}
		// Something is there: a live app, or the socket of one that died.
		if c, dialErr := net.DialTimeout("unix", path, ioTimeout); dialErr == nil {
			c.Close()
			return nil, ErrRunning
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("instance: removing the stale socket: %w", err)
		}
		if ln, err = net.Listen("unix", path); err != nil {
			return nil, fmt.Errorf("instance: %w", err)
		}
	}
	s := &Server{ln: ln, commands: make(chan Command, 8), closed: make(chan struct{}), wantUID: wantUID, peerUID: peerUID}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Commands delivers the commands received, in order. A command that
// arrives while 8 are waiting is dropped (each is idempotent). The channel
// is closed by Close.
func (s *Server) Commands() <-chan Command { return s.commands }

// SetStatus sets the function answering Status: one line (no newline),
// at most MaxStatus bytes. It is called on the socket's goroutine, so it
// must be safe for concurrent use. Safe to call at any time.
func (s *Server) SetStatus(f func() []byte) { s.status.Store(&f) }

// Close stops serving and removes the socket. It is safe to call more than
// once and from any goroutine.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		close(s.closed)
		err = s.ln.Close()
		s.wg.Wait()
		close(s.commands)
	})
	return err
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serve(c)
		}()
	}
}

// serve answers one connection of a process of the app's user: one
// command line in, one line out.
func (s *Server) serve(c net.Conn) {
	defer c.Close()
	if !s.sameUser(c) {
		return
	}
	_ = c.SetDeadline(time.Now().Add(ioTimeout))
	line, err := bufio.NewReader(io.LimitReader(c, maxRequest)).ReadString('\n')
	if err != nil {
		return
	}
	if s.answer(c, strings.TrimSuffix(line, "\n")) {
		return
	}
	cmd := Command(strings.TrimSpace(line))
	if cmd == Status {
		f := s.status.Load()
		if f == nil {
			fmt.Fprintf(c, "unknown command\n")
			return
		}
		answer := (*f)()
		if len(answer) > MaxStatus || bytes.ContainsAny(answer, "\r\n") {
			fmt.Fprintf(c, "status too long\n")
			return
		}
		_, _ = c.Write(append(append([]byte("ok "), answer...), '\n'))
		return
	}
	if cmd != Show && cmd != Reload && cmd != Pick {
		fmt.Fprintf(c, "unknown command\n")
		return
	}
	select {
	case <-s.closed:
		return
	case s.commands <- cmd:
	default: // a burst; the ones waiting do the same
	}
	fmt.Fprintf(c, "ok\n")
}

// Ask sends Status to the app serving path and returns its answer (the
// line after "ok "). It returns ErrNotRunning when no app serves the
// socket.
func Ask(ctx context.Context, path string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, ioTimeout)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotRunning, err)
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	if _, err := fmt.Fprintf(c, "%s\n", Status); err != nil {
		return nil, fmt.Errorf("instance: asking status: %w", err)
	}
	answer, err := bufio.NewReader(io.LimitReader(c, MaxStatus+1)).ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("instance: asking status: %w", err)
	}
	answer = bytes.TrimSuffix(answer, []byte("\n"))
	if !bytes.HasPrefix(answer, []byte("ok ")) {
		return nil, fmt.Errorf("instance: the app answered %q to %s", answer, Status)
	}
	return answer[3:], nil
}

// Send delivers cmd to the app serving path and waits for its answer. It
// returns ErrNotRunning when no app serves the socket.
func Send(ctx context.Context, path string, cmd Command) error {
	ctx, cancel := context.WithTimeout(ctx, ioTimeout)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNotRunning, err)
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	if _, err := fmt.Fprintf(c, "%s\n", cmd); err != nil {
		return fmt.Errorf("instance: sending %s: %w", cmd, err)
	}
	answer, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return fmt.Errorf("instance: sending %s: %w", cmd, err)
	}
	if a := strings.TrimSpace(answer); a != "ok" {
		return fmt.Errorf("instance: the app answered %q to %s", a, cmd)
	}
	return nil
}
