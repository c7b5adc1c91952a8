package instance

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// The app-answered token. A running tray app holds each profile's token in
// memory; `tokentray token NAME` may ask it over the socket instead of
// reading the keyring (a process start, a D-Bus connection, a Secret
// Service session). The exchange:
//
//	→ token NAME MINVALID      NAME path-escaped, MINVALID in nanoseconds
//	← token {"token":…,"git_hosts":[…]}   or   ← none
//	→ drop NAME                the command line revoked or removed it
//	← ok                       (after the app forgot the token)
//
// The app decides what it may hand out (its Answerer): only a token bound
// to the profile's current request and valid for MINVALID, and nothing
// once the keyring changed in a way the app has not caught up with. "none"
// sends the command line to the keyring, as does any failure or delay:
// the asker gives up after its own short deadline, silently.

// Answerer answers the command line from the app's memory. Implementations
// must be safe for concurrent use and fast: no network, no keyring.
type Answerer interface {
	// CachedToken returns the named profile's token when the app may hand
	// it out: fetched with the profile's current request and valid for at
	// least minValid. gitHosts are the profile's git hosts (for
	// git-credential). ok false: ask the keyring.
	CachedToken(name string, minValid time.Duration) (t *tokens.Token, gitHosts []string, ok bool)
	// DropToken forgets the named profile's token in memory (the command
	// line revoked it or removed the profile) and returns when it is
	// forgotten.
	DropToken(name string)
}

type answererBox struct{ a Answerer }

// ErrNoAnswer is returned by AskToken when the app has no token it may
// hand out for the request.
var ErrNoAnswer = errors.New("instance: the app has no token to hand out")

// maxRequest bounds a request line: a command, or "token" with an escaped
// profile name (at most 3 × tokens.MaxNameLen bytes) and a number.
const maxRequest = 512

// maxAnswer bounds an answer line: a token response is at most 1 MiB, its
// JSON escaping at most doubles it.
const maxAnswer = 4 << 20

// SetAnswerer makes s answer token requests through a; nil stops it. Safe
// to call at any time.
func (s *Server) SetAnswerer(a Answerer) {
	if a == nil {
		s.answerer.Store(nil)
		return
	}
	s.answerer.Store(&answererBox{a})
}

type tokenAnswer struct {
	Token    json.RawMessage `json:"token"`
	GitHosts []string        `json:"git_hosts,omitempty"`
}

// answer handles the token and drop requests; false: line is a command.
func (s *Server) answer(c net.Conn, line string) bool {
	verb, rest, _ := strings.Cut(line, " ")
	if verb != "token" && verb != "drop" {
		return false
	}
	box := s.answerer.Load()
	switch verb {
	case "token":
		var t *tokens.Token
		var hosts []string
		ok := false
		nameEsc, minStr, _ := strings.Cut(rest, " ")
		name, err := url.PathUnescape(nameEsc)
		minValid, merr := strconv.ParseInt(minStr, 10, 64)
		if box != nil && err == nil && merr == nil && minValid >= 0 {
			t, hosts, ok = box.a.CachedToken(name, time.Duration(minValid))
		}
		var raw string
		if ok {
			raw, err = tokens.EncodeToken(t)
			ok = err == nil
		}
		if !ok {
			fmt.Fprintf(c, "none\n")
			return true
		}
		b, err := json.Marshal(tokenAnswer{Token: json.RawMessage(raw), GitHosts: hosts})
		if err != nil {
			fmt.Fprintf(c, "none\n")
			return true
		}
		fmt.Fprintf(c, "token %s\n", b)
	case "drop":
		name, err := url.PathUnescape(rest)
		if err != nil {
			fmt.Fprintf(c, "bad request\n")
			return true
		}
		if box != nil {
			box.a.DropToken(name)
		}
		// The app reads the keyring again, noting what changed there.
		select {
		case <-s.closed:
			return true
		case s.commands <- Reload:
		default:
		}
		fmt.Fprintf(c, "ok\n")
	}
	return true
}

// AskToken asks the app serving path for the named profile's token, valid
// for at least minValid, within ctx (callers give it a few milliseconds).
// Errors: ErrNotRunning (no app), ErrNoAnswer (none to hand out), or the
// failed exchange; the caller then reads the keyring.
func AskToken(ctx context.Context, path, name string, minValid time.Duration) (*tokens.Token, []string, error) {
	line, err := exchange(ctx, path, fmt.Sprintf("token %s %d", url.PathEscape(name), int64(minValid)))
	if err != nil {
		return nil, nil, err
	}
	body, ok := strings.CutPrefix(line, "token ")
	if !ok {
		if line == "none" {
			return nil, nil, ErrNoAnswer
		}
		return nil, nil, fmt.Errorf("instance: the app answered %q", tokens.Printable(line, 40))
	}
	var a tokenAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		return nil, nil, fmt.Errorf("instance: the app's answer: %w", err)
	}
	t, err := tokens.DecodeToken(string(a.Token))
	if err != nil {
		return nil, nil, fmt.Errorf("instance: the app's token: %w", err)
	}
	return t, a.GitHosts, nil
}

// Drop tells the app serving path that the named profile's token was
// revoked or the profile removed, and waits until the app forgot it.
func Drop(ctx context.Context, path, name string) error {
	line, err := exchange(ctx, path, "drop "+url.PathEscape(name))
	if err != nil {
		return err
	}
	if line != "ok" {
		return fmt.Errorf("instance: the app answered %q to drop", tokens.Printable(line, 40))
	}
	return nil
}

// exchange sends one request line and returns the answer line.
func exchange(ctx context.Context, path, request string) (string, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrNotRunning, err)
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	if _, err := io.WriteString(c, request+"\n"); err != nil {
		return "", fmt.Errorf("instance: %w", err)
	}
	line, err := bufio.NewReader(io.LimitReader(c, maxAnswer)).ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("instance: %w", err)
	}
	return strings.TrimSuffix(line, "\n"), nil
}

// sameUser reports whether the peer of c runs as the app's user. Where the
// system cannot tell (peerUID fails: not Linux), the socket folder's 0700
// mode is the guard and the peer is served.
func (s *Server) sameUser(c net.Conn) bool {
	uid, err := s.peerUID(c)
	if errors.Is(err, errNoPeerCred) {
		return true
	}
	return err == nil && uid == s.wantUID
}

// privateDir makes dir (and its parents) and, unless it is the user's
// runtime directory ($XDG_RUNTIME_DIR, private by its definition), sets its
// mode to 0700 every time, whatever the umask made it or an earlier
// version left.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if rt := os.Getenv("XDG_RUNTIME_DIR"); rt != "" && sameDir(rt, dir) {
		return nil
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	return os.Chmod(dir, 0o700)
}

func sameDir(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}
