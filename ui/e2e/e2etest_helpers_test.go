//go:build unix

package e2e

// Helpers for the end-to-end tests (e2e_*_test.go): they build real
// binaries, run them in the private desktop session of .ci/session (its own
// D-Bus session bus, gnome-keyring, Xvfb) and drive them the way a desktop
// does — through the StatusNotifierItem/dbusmenu protocol, the X clipboard
// and screenshots.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/tokentray/tokentray/ui/traytest"

	"github.com/tokentray/tokentray/tokens/testenv"
)

// e2eRequireSession skips when run outside .ci/session and, inside it, fails
// when a part the tests need is missing: there, skipping would hide a
// broken CI setup.
func e2eRequireSession(t *testing.T) {
	t.Helper()
	testenv.RequireSession(t, "end-to-end test: needs the private desktop session (D-Bus, keyring, Xvfb); run `make test` or `.ci/session go test ./ui/e2e -run E2E`")
	for _, v := range []string{"DISPLAY", "DBUS_SESSION_BUS_ADDRESS"} {
		if os.Getenv(v) == "" {
			t.Fatalf("TOKENTRAY_SESSION=1 but %s is not set", v)
		}
	}
	for _, tool := range []string{"xdotool", "import", "xclip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("TOKENTRAY_SESSION=1 but %s is missing (apt: xdotool imagemagick xclip; `make test` installs them): %v", tool, err)
		}
	}
}

// e2eRepoRoot is the module root (the directory holding go.mod).
func e2eRepoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}

// e2eBinaryWithOwnKeyring requires the desktop session, points this test's
// processes at a keyring service of their own (label names it) and returns
// the built tokentray binary.
func e2eBinaryWithOwnKeyring(t *testing.T, label string) string {
	t.Helper()
	e2eRequireSession(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	t.Setenv("TOKENTRAY_KEYRING_SERVICE", "tokentray-e2e-"+label+hex.EncodeToString(b))
	return tokentrayBin
}

// e2eArtifactDir is where screenshots and logs are kept: $TOKENTRAY_ARTIFACTS,
// else ./artifacts at the module root when that directory exists, else a
// temporary directory (removed after the test; its path is logged).
func e2eArtifactDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("TOKENTRAY_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("TOKENTRAY_ARTIFACTS: %v", err)
		}
		return d
	}
	if d := filepath.Join(e2eRepoRoot(t), "artifacts"); e2eIsDir(d) {
		return d
	}
	return t.TempDir()
}

func e2eIsDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func e2eSaveArtifact(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(e2eArtifactDir(t), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Errorf("save artifact %s: %v", name, err)
	}
	t.Logf("artifact: %s", p)
	return p
}

// e2eProc is an app under test.
type e2eProc struct {
	cmd  *exec.Cmd
	log  string        // stdout+stderr
	done chan struct{} // closed when it exited
	err  error         // its exit status, after done
}

// e2eStart runs bin with args in the session. It is stopped (SIGTERM, then
// SIGKILL) when the test ends; if the test failed, its log is kept as an
// artifact and its tail logged.
func e2eStart(t *testing.T, bin string, args ...string) *e2eProc {
	t.Helper()
	name := filepath.Base(bin)
	logPath := filepath.Join(t.TempDir(), name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	p := &e2eProc{cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			e2eSaveArtifact(t, t.Name()+"-"+name+".log", b)
			t.Logf("%s output (tail):\n%s", name, e2eTail(b, 40))
		}
	})
	return p
}

func (p *e2eProc) pid() int { return p.cmd.Process.Pid }

// exited reports whether the process has ended, with its status.
func (p *e2eProc) exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

func (p *e2eProc) stop() {
	if ok, _ := p.exited(); ok {
		return
	}
	_ = syscall.Kill(-p.pid(), syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-p.pid(), syscall.SIGKILL)
		<-p.done
	}
}

// output returns what the process printed so far.
func (p *e2eProc) output() string {
	b, _ := os.ReadFile(p.log)
	return string(b)
}

func e2eTail(b []byte, lines int) string {
	ls := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(ls) > lines {
		ls = ls[len(ls)-lines:]
	}
	return strings.Join(ls, "\n")
}

// e2ePoll calls f every interval until it returns true, the process exits or
// the timeout passes; it reports whether f succeeded.
func e2ePoll(t *testing.T, p *e2eProc, timeout time.Duration, f func() bool) bool {
	t.Helper()
	for deadline := time.Now().Add(timeout); ; time.Sleep(200 * time.Millisecond) {
		if f() {
			return true
		}
		if ok, err := p.exited(); ok {
			t.Fatalf("the app exited (%v) while the test waited", err)
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// --- windows and screenshots ---

// e2eWaitWindow waits for a visible window of the process whose title matches
// titleRE and returns its X window ID.
func e2eWaitWindow(t *testing.T, p *e2eProc, titleRE string, timeout time.Duration) string {
	t.Helper()
	var id string
	ok := e2ePoll(t, p, timeout, func() bool {
		out, err := exec.Command("xdotool", "search", "--onlyvisible", "--pid", strconv.Itoa(p.pid()), "--name", titleRE).Output()
		if err != nil { // exit status 1: none yet
			return false
		}
		id = strings.Fields(string(out))[0]
		return true
	})
	if !ok {
		t.Fatalf("no visible window titled /%s/ of pid %d after %v", titleRE, p.pid(), timeout)
	}
	return id
}

// e2eWindowRect is the window's position and size on the screen.
func e2eWindowRect(t *testing.T, id string) image.Rectangle {
	t.Helper()
	out, err := exec.Command("xdotool", "getwindowgeometry", "--shell", id).Output()
	if err != nil {
		t.Fatalf("xdotool getwindowgeometry %s: %v", id, err)
	}
	v := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if k, val, ok := strings.Cut(sc.Text(), "="); ok {
			v[k], _ = strconv.Atoi(val)
		}
	}
	r := image.Rect(v["X"], v["Y"], v["X"]+v["WIDTH"], v["Y"]+v["HEIGHT"])
	if r.Empty() {
		t.Fatalf("window %s has no area: %q", id, out)
	}
	return r
}

// e2eScreenshot captures the whole X screen (ImageMagick import -window root).
func e2eScreenshot(t *testing.T) (image.Image, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "import", "-window", "root", "png:-")
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("import -window root: %v: %s", err, stderr.String())
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode screenshot: %v", err)
	}
	return img, b
}

// e2eRenderStats describes the pixels of one screen region.
type e2eRenderStats struct {
	Pixels        int
	Distinct      int        // distinct colours
	Dominant      color.RGBA // the most common colour
	DominantShare float64    // its share of the pixels
}

// e2eMeasure computes e2eRenderStats for the part of r inside img.
func e2eMeasure(img image.Image, r image.Rectangle) e2eRenderStats {
	r = r.Intersect(img.Bounds())
	counts := map[color.RGBA]int{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			counts[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	s := e2eRenderStats{Pixels: r.Dx() * r.Dy(), Distinct: len(counts)}
	best := 0
	for c, n := range counts {
		if n > best || n == best && e2eLessRGBA(c, s.Dominant) {
			best, s.Dominant = n, c
		}
	}
	if s.Pixels > 0 {
		s.DominantShare = float64(best) / float64(s.Pixels)
	}
	return s
}

func e2eLessRGBA(a, b color.RGBA) bool {
	return uint32(a.R)<<24|uint32(a.G)<<16|uint32(a.B)<<8|uint32(a.A) < uint32(b.R)<<24|uint32(b.G)<<16|uint32(b.B)<<8|uint32(b.A)
}

// Thresholds for "a window with rendered content": anti-aliased text alone
// gives dozens of colours, and content covers more than a sliver of the
// window. A window that was mapped but never drawn is one flat colour.
const (
	e2eMinDistinctColours = 12
	e2eMaxDominantShare   = 0.998
	e2eMinWindowPixels    = 100 * 80
)

// renderedProblem says why the stats do not look like a rendered window,
// or returns "" when they do.
func (s e2eRenderStats) renderedProblem() string {
	switch {
	case s.Pixels < e2eMinWindowPixels:
		return fmt.Sprintf("window area is only %d pixels", s.Pixels)
	case s.Distinct < e2eMinDistinctColours:
		return fmt.Sprintf("only %d distinct colours (want ≥ %d): nothing drawn", s.Distinct, e2eMinDistinctColours)
	case s.DominantShare > e2eMaxDominantShare:
		return fmt.Sprintf("%.2f%% of the window is %v (want ≤ %.1f%%): blank", 100*s.DominantShare, s.Dominant, 100*e2eMaxDominantShare)
	}
	return ""
}

// e2eWaitRendered takes screenshots until the window's region looks rendered,
// keeps the last one as an artifact and returns its stats.
func e2eWaitRendered(t *testing.T, p *e2eProc, id, artifact string) e2eRenderStats {
	t.Helper()
	var last []byte
	var stats e2eRenderStats
	var r image.Rectangle
	ok := e2ePoll(t, p, 30*time.Second, func() bool {
		r = e2eWindowRect(t, id)
		var img image.Image
		img, last = e2eScreenshot(t)
		stats = e2eMeasure(img, r)
		return stats.renderedProblem() == ""
	})
	e2eSaveArtifact(t, artifact, last)
	if !ok {
		t.Fatalf("window %s at %v does not look rendered: %s (%+v)", id, r, stats.renderedProblem(), stats)
	}
	t.Logf("window %s at %v: %d colours, dominant %v covers %.1f%%", id, r, stats.Distinct, stats.Dominant, 100*stats.DominantShare)
	return stats
}

// --- tray ---

// e2ePanel owns org.kde.StatusNotifierWatcher on the session bus for the
// test, standing in for the desktop's panel.
func e2ePanel(t *testing.T) (*dbus.Conn, *traytest.Watcher) {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("connect session bus: %v", err)
	}
	w, err := traytest.StartWatcher(conn)
	if err != nil {
		conn.Close()
		t.Fatalf("start StatusNotifierWatcher: %v", err)
	}
	t.Cleanup(func() {
		_ = w.Close()
		conn.Close()
	})
	return conn, w
}

// e2eWaitItem waits until the process registers its tray item.
func e2eWaitItem(t *testing.T, p *e2eProc, w *traytest.Watcher, timeout time.Duration) traytest.Item {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	go func() {
		select {
		case <-p.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	it, err := w.Wait(ctx, func(it traytest.Item) bool { return it.PID == uint32(p.pid()) })
	if err != nil {
		if ok, perr := p.exited(); ok {
			t.Fatalf("the app exited (%v) before registering a tray item", perr)
		}
		t.Fatalf("tray item of pid %d: %v (registered: %v)", p.pid(), err, w.Items())
	}
	return it
}

// e2eWaitMenu polls the item's menu layout until ready accepts it, and returns
// it. On timeout it fails, showing the last labels seen.
func e2eWaitMenu(t *testing.T, p *e2eProc, conn *dbus.Conn, it traytest.Item, timeout time.Duration, ready func(traytest.MenuItem) bool) traytest.MenuItem {
	t.Helper()
	var root traytest.MenuItem
	var lastErr error
	ok := e2ePoll(t, p, timeout, func() bool {
		_, r, err := traytest.Layout(conn, it)
		root, lastErr = r, err
		return err == nil && ready(r)
	})
	if !ok {
		t.Fatalf("tray menu not as expected after %v (error %v); top-level labels: %q", timeout, lastErr, root.Labels())
	}
	return root
}

// e2eReadClipboard returns the X CLIPBOARD selection's text.
func e2eReadClipboard(ctx context.Context) (string, error) {
	return e2eReadClipboardAs(ctx, "UTF8_STRING")
}

// e2eReadClipboardAs returns the X CLIPBOARD selection converted to
// target, as another X client (xclip) gets it.
func e2eReadClipboardAs(ctx context.Context, target string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "xclip", "-o", "-selection", "clipboard", "-t", target).Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return "", fmt.Errorf("xclip: %v: %s", err, ee.Stderr)
	}
	return string(out), err
}

// e2eClickUntilClipboard clicks the entry that find picks in a fresh layout and
// waits for the clipboard to satisfy want. It retries a few times because
// the app may rebuild its menu (new entry IDs) between reading and clicking.
// It returns the clipboard text.
func e2eClickUntilClipboard(t *testing.T, p *e2eProc, conn *dbus.Conn, it traytest.Item, what string,
	find func(root traytest.MenuItem) (traytest.MenuItem, bool), want func(string) bool) string {
	t.Helper()
	var clip string
	var clipErr error
	for attempt := 1; attempt <= 3; attempt++ {
		_, root, err := traytest.Layout(conn, it)
		if err != nil {
			t.Fatalf("read menu: %v", err)
		}
		entry, ok := find(root)
		if !ok {
			t.Fatalf("no menu entry %s; top-level labels: %q", what, root.Labels())
		}
		if err := traytest.Click(conn, it, entry.ID); err != nil {
			t.Fatalf("click %s: %v", what, err)
		}
		if e2ePoll(t, p, 5*time.Second, func() bool {
			clip, clipErr = e2eReadClipboard(t.Context())
			return clipErr == nil && want(clip)
		}) {
			return clip
		}
	}
	// The clipboard may hold a secret: describe it, never print it.
	t.Fatalf("after clicking %s the clipboard does not hold the expected text (read error %v, %d bytes)", what, clipErr, len(clip))
	return ""
}

// e2eTimeLeftRE matches the time left as the tray words it ("42 min",
// "< 1 min", "1 h 5 min") or as a clock ("1:59").
var e2eTimeLeftRE = regexp.MustCompile(`\d+ (min|h|d)\b|< 1 min|\b\d+:\d\d\b`)
