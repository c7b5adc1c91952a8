//go:build unix

package e2e

import (
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/tokentray/tokentray/tokens/demo"
	"github.com/tokentray/tokentray/ui/traytest"
)

// TestE2ERealPanelClickCopiesToken runs `tokentray --demo` under a real
// tray host, Debian's xfce4-panel with its systray plugin (which hosts
// StatusNotifierItems), and clicks as a user does with xdotool: the tray
// icon, then a profile's entry in the GTK menu the panel draws. The X
// clipboard must then hold that profile's token. A click reaches the app
// only if the panel activates the entry, which it does not for an entry
// with a submenu (issue 11): the dbusmenu-level test cannot see that.
func TestE2ERealPanelClickCopiesToken(t *testing.T) {
	e2eRequireSession(t)
	conn := e2eXfcePanel(t)
	app := e2eStart(t, tokentrayBin, "--demo")
	it := e2eWaitWatcherItem(t, app, conn, 90*time.Second)

	profiles := []string{demo.ProfileFlaky, demo.ProfileHealthy, demo.ProfileJSON}
	e2eWaitMenu(t, app, conn, it, 60*time.Second, func(root traytest.MenuItem) bool {
		for _, name := range profiles {
			if e, ok := root.Find(e2eProfileEntry(name)); !ok || !e2eTimeLeftRE.MatchString(e.Label()) {
				return false
			}
		}
		return true
	})
	if err := exec.Command("xclip", "-selection", "clipboard", "-i", "/dev/null").Run(); err != nil {
		t.Fatalf("empty the clipboard: %v", err)
	}

	for _, target := range []string{demo.ProfileHealthy, demo.ProfileJSON} {
		clip := e2ePanelClick(t, app, conn, it, target)
		e2eVerifyDemoToken(t, clip, target)
	}
	// The copy is marked as a secret for clipboard managers.
	targets, err := e2eReadClipboardAs(t.Context(), "TARGETS")
	if err != nil || !slices.Contains(strings.Fields(targets), "x-kde-passwordManagerHint") {
		t.Errorf("the copy's targets %q (%v) lack x-kde-passwordManagerHint", targets, err)
	}
	if hint, err := e2eReadClipboardAs(t.Context(), "x-kde-passwordManagerHint"); err != nil || hint != "secret" {
		t.Errorf("x-kde-passwordManagerHint: %q, %v", hint, err)
	}

	// The icon's tooltip sums up every profile and states the last action
	// (there may be no notification server to tell it).
	var tip string
	if !e2ePoll(t, app, 30*time.Second, func() bool {
		v, err := conn.Object(it.Service, it.Path).GetProperty("org.kde.StatusNotifierItem.ToolTip")
		if err != nil {
			return false
		}
		if parts, ok := v.Value().([]any); ok && len(parts) == 4 {
			tip, _ = parts[2].(string)
		}
		return strings.Contains(tip, "Copied token for "+demo.ProfileJSON)
	}) {
		t.Fatalf("tooltip %q", tip)
	}
	for _, name := range profiles {
		if !strings.Contains(tip, " "+name+" — ") {
			t.Errorf("tooltip lacks %s: %q", name, tip)
		}
	}
}

// e2ePanelClick opens the tray menu on the panel, clicks target's entry
// and returns the clipboard once it holds target's token.
func e2ePanelClick(t *testing.T, app *e2eProc, conn *dbus.Conn, it traytest.Item, target string) string {
	t.Helper()
	var clip string
	for attempt := 1; attempt <= 3; attempt++ {
		_, root, err := traytest.Layout(conn, it)
		if err != nil {
			t.Fatalf("read menu: %v", err)
		}
		// The entries a person can click, top to bottom, as the panel
		// draws them: enabled, visible, not separators.
		var clickable []string
		for _, c := range root.Children {
			if c.Visible() && c.Enabled() && c.Type() != "separator" {
				clickable = append(clickable, c.Label())
			}
		}
		idx := slices.IndexFunc(clickable, func(l string) bool { return e2eIsProfileLabel(l, target) })
		if idx < 0 {
			t.Fatalf("no entry for %s in %q", target, clickable)
		}
		menu := e2eOpenPanelMenu(t, app)
		img, png := e2eScreenshot(t)
		bands := e2eTextBands(img, menu)
		if len(bands) != len(clickable) {
			e2eSaveArtifact(t, t.Name()+"-menu.png", png)
			t.Fatalf("the panel's menu at %v shows %d rows of dark text, the dbusmenu has %d clickable entries %q",
				menu, len(bands), len(clickable), clickable)
		}
		if attempt == 1 {
			e2eSaveArtifact(t, "panel-menu-"+target+".png", png)
		}
		y := (bands[idx][0] + bands[idx][1]) / 2
		x := menu.Min.X + menu.Dx()/3
		t.Logf("%s: clicking row %d of %d at (%d,%d)", target, idx+1, len(bands), x, y)
		if out, err := exec.Command("xdotool", "mousemove", strconv.Itoa(x), strconv.Itoa(y), "sleep", "0.3", "click", "1").CombinedOutput(); err != nil {
			t.Fatalf("xdotool click: %v: %s", err, out)
		}
		if e2ePoll(t, app, 8*time.Second, func() bool {
			clip, err = e2eReadClipboard(t.Context())
			return err == nil && e2eIsDemoToken(target)(clip)
		}) {
			return clip
		}
		t.Logf("attempt %d: clipboard does not hold %s's token yet (%d bytes)", attempt, target, len(clip))
		_ = exec.Command("xdotool", "key", "Escape").Run()
	}
	t.Fatalf("clicking %s's entry on the panel did not copy its token", target)
	return ""
}

// e2eTextBands finds the rows of dark text in r (a GTK menu): each band is
// [top, bottom) in screen coordinates. Disabled entries are drawn grey,
// separators light, so the bands are the clickable entries in order.
func e2eTextBands(img image.Image, r image.Rectangle) [][2]int {
	var bands [][2]int
	in := false
	for y := r.Min.Y; y < r.Max.Y; y++ {
		dark := false
		for x := r.Min.X + 2; x < r.Max.X-2 && !dark; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			lum := (299*cr + 587*cg + 114*cb) / 1000 >> 8
			dark = lum < 100
		}
		switch {
		case dark && !in:
			bands = append(bands, [2]int{y, y + 1})
			in = true
		case dark:
			bands[len(bands)-1][1] = y + 1
		default:
			in = false
		}
	}
	// Glyphs never leave a gap of more than a couple of rows inside one
	// line of text; merge such gaps.
	var merged [][2]int
	for _, b := range bands {
		if n := len(merged); n > 0 && b[0]-merged[n-1][1] <= 3 {
			merged[n-1][1] = b[1]
			continue
		}
		merged = append(merged, b)
	}
	return merged
}

// e2eOpenPanelMenu clicks the tray icon on the panel and returns the
// rectangle of the menu that opens.
func e2eOpenPanelMenu(t *testing.T, app *e2eProc) image.Rectangle {
	t.Helper()
	panel := e2ePanelWindow(t)
	before := e2eVisibleWindows(t)
	c := panel.Min.Add(image.Pt(panel.Dx()/2, panel.Dy()/2))
	if out, err := exec.Command("xdotool", "mousemove", strconv.Itoa(c.X), strconv.Itoa(c.Y), "click", "1").CombinedOutput(); err != nil {
		t.Fatalf("xdotool click on the tray icon: %v: %s", err, out)
	}
	var menu image.Rectangle
	if !e2ePoll(t, app, 10*time.Second, func() bool {
		for id, r := range e2eVisibleWindows(t) {
			if _, old := before[id]; !old && r.Dx() >= 80 && r.Dy() >= 60 {
				menu = r
				return true
			}
		}
		return false
	}) {
		_, png := e2eScreenshot(t)
		e2eSaveArtifact(t, t.Name()+"-no-menu.png", png)
		t.Fatalf("no menu opened after clicking the tray icon at %v", c)
	}
	time.Sleep(500 * time.Millisecond) // the menu's first paint
	return menu
}

// e2ePanelWindow is the rectangle of the xfce4-panel window (the largest
// visible one: the panel sizes itself to the tray).
func e2ePanelWindow(t *testing.T) image.Rectangle {
	t.Helper()
	out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--class", "xfce4-panel").Output()
	var best image.Rectangle
	for _, id := range strings.Fields(string(out)) {
		if r := e2eWindowRect(t, id); r.Dx()*r.Dy() > best.Dx()*best.Dy() {
			best = r
		}
	}
	if best.Empty() {
		t.Fatal("no visible xfce4-panel window")
	}
	return best
}

// e2eVisibleWindows lists the visible X windows (any client) by ID.
func e2eVisibleWindows(t *testing.T) map[string]image.Rectangle {
	t.Helper()
	out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "").Output()
	ws := map[string]image.Rectangle{}
	for _, id := range strings.Fields(string(out)) {
		g, err := exec.Command("xdotool", "getwindowgeometry", "--shell", id).Output()
		if err != nil {
			continue // gone meanwhile
		}
		v := map[string]int{}
		for _, l := range strings.Split(string(g), "\n") {
			if k, val, ok := strings.Cut(l, "="); ok {
				v[k], _ = strconv.Atoi(val)
			}
		}
		ws[id] = image.Rect(v["X"], v["Y"], v["X"]+v["WIDTH"], v["Y"]+v["HEIGHT"])
	}
	return ws
}

// e2eXfcePanel starts xfconfd and xfce4-panel in the session with a
// private configuration: one panel at the top left holding only the
// systray plugin, sized to its content. It returns a session bus
// connection once the panel owns org.kde.StatusNotifierWatcher.
func e2eXfcePanel(t *testing.T) *dbus.Conn {
	t.Helper()
	panelBin, err := exec.LookPath("xfce4-panel")
	if err != nil {
		t.Fatalf("TOKENTRAY_SESSION=1 but xfce4-panel is missing (apt: xfce4-panel xfconf; `make test` installs them): %v", err)
	}
	xfconfd, _ := filepath.Glob("/usr/lib/*/xfce4/xfconf/xfconfd")
	if len(xfconfd) == 0 {
		t.Fatal("TOKENTRAY_SESSION=1 but xfconfd is missing (apt: xfconf)")
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("connect session bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	for _, name := range []string{"org.xfce.Xfconf", traytest.WatcherName} {
		if e2eHasOwner(conn, name) {
			t.Fatalf("%s is already owned on the session bus: another panel runs", name)
		}
	}
	cfg := t.TempDir()
	dir := filepath.Join(cfg, "xfce4", "xfconf", "xfce-perchannel-xml")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "xfce4-panel.xml"), []byte(e2ePanelChannel), 0o644); err != nil {
		t.Fatal(err)
	}
	// For the panel, xfconfd and the app under test (whose Fyne
	// preferences land there too). xfconfd is D-Bus activated normally,
	// but then it would inherit the bus's environment, not this directory.
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("NO_AT_BRIDGE", "1")
	conf := e2eStart(t, xfconfd[0])
	e2ePollName(t, conf, conn, "org.xfce.Xfconf")
	panel := e2eStart(t, panelBin, "--disable-wm-check")
	e2ePollName(t, panel, conn, traytest.WatcherName)
	return conn
}

// e2ePanelChannel is the xfconf channel of a panel holding only the tray.
const e2ePanelChannel = `<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="1"/>
      <property name="length-adjust" type="bool" value="true"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="30"/>
      <property name="plugin-ids" type="array">
        <value type="int" value="1"/>
      </property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="systray"/>
  </property>
</channel>
`

func e2eHasOwner(conn *dbus.Conn, name string) bool {
	var has bool
	err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has)
	return err == nil && has
}

func e2ePollName(t *testing.T, p *e2eProc, conn *dbus.Conn, name string) {
	t.Helper()
	if !e2ePoll(t, p, 30*time.Second, func() bool { return e2eHasOwner(conn, name) }) {
		t.Fatalf("%s did not appear on the session bus; output:\n%s", name, e2eTail([]byte(p.output()), 20))
	}
}

// e2eWaitWatcherItem waits until the panel's StatusNotifierWatcher lists
// an item of the process and returns it.
func e2eWaitWatcherItem(t *testing.T, p *e2eProc, conn *dbus.Conn, timeout time.Duration) traytest.Item {
	t.Helper()
	var found traytest.Item
	var seen []string
	ok := e2ePoll(t, p, timeout, func() bool {
		v, err := conn.Object(traytest.WatcherName, traytest.WatcherPath).GetProperty(traytest.WatcherName + ".RegisteredStatusNotifierItems")
		if err != nil {
			return false
		}
		seen, _ = v.Value().([]string)
		for _, s := range seen {
			it := traytest.Item{Service: s, Path: "/StatusNotifierItem"}
			if i := strings.Index(s, "/"); i > 0 {
				it.Service, it.Path = s[:i], dbus.ObjectPath(s[i:])
			}
			var pid uint32
			if conn.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, it.Service).Store(&pid) == nil && int(pid) == p.pid() {
				it.PID = pid
				found = it
				return true
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("the panel lists no tray item of pid %d after %v (items: %q)", p.pid(), timeout, seen)
	}
	return found
}
