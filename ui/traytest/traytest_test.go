package traytest

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"

	"github.com/tokentray/tokentray/tokens/testenv"
)

// The package's own tests use their own watcher name: the e2e tests of
// other packages may own the real one at the same time on the same bus.
const testWatcher = "io.github.tokentray.TestStatusNotifierWatcher"

func sessionBus(t *testing.T) *dbus.Conn {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if testenv.SessionPresent() {
			t.Fatal("TOKENTRAY_SESSION=1 but DBUS_SESSION_BUS_ADDRESS is empty")
		}
		testenv.RequireSession(t, "needs a D-Bus session bus: run under .ci/session (make test)")
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("connect session bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

type layout = struct {
	V0 int32
	V1 map[string]dbus.Variant
	V2 []dbus.Variant
}

// fakeMenu is a dbusmenu as fyne.io/systray exports it.
type fakeMenu struct {
	root   *layout
	mu     sync.Mutex
	events []string
}

func (f *fakeMenu) GetLayout(parent, depth int32, names []string) (uint32, layout, *dbus.Error) {
	return 7, *f.root, nil
}

func (f *fakeMenu) Event(id int32, event string, data dbus.Variant, ts uint32) *dbus.Error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, fmt.Sprintf("%s:%d", event, id))
	return nil
}

func entry(id int32, props map[string]any, kids ...*layout) *layout {
	l := &layout{V0: id, V1: map[string]dbus.Variant{}, V2: []dbus.Variant{}}
	for k, v := range props {
		l.V1[k] = dbus.MakeVariant(v)
	}
	for _, k := range kids {
		l.V2 = append(l.V2, dbus.MakeVariant(k))
	}
	return l
}

// exportItem puts a StatusNotifierItem with a menu on conn.
func exportItem(t *testing.T, conn *dbus.Conn) *fakeMenu {
	t.Helper()
	f := &fakeMenu{root: entry(0, nil,
		entry(1, map[string]any{"label": "alpha — 1 min", "children-display": "submenu"},
			entry(4, map[string]any{"label": "Copy token"})),
		entry(2, map[string]any{"type": "separator"}),
		entry(3, map[string]any{"label": "Quit", "enabled": false}),
	)}
	if err := conn.Export(f, "/StatusNotifierMenu", "com.canonical.dbusmenu"); err != nil {
		t.Fatal(err)
	}
	if _, err := prop.Export(conn, "/StatusNotifierItem", prop.Map{itemIface: {
		"Menu": {Value: dbus.ObjectPath("/StatusNotifierMenu")},
	}}); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestWatcherRegistersItemAndReadsMenu(t *testing.T) {
	host := sessionBus(t)
	w, err := startWatcher(host, testWatcher)
	if err != nil {
		t.Fatalf("start watcher: %v", err)
	}
	defer w.Close()
	if _, err := startWatcher(sessionBus(t), testWatcher); err == nil {
		t.Error("a second watcher took the same name")
	}

	app := sessionBus(t)
	menu := exportItem(t, app)
	if err := app.AddMatchSignal(dbus.WithMatchInterface(watcherIface), dbus.WithMatchMember("StatusNotifierItemRegistered")); err != nil {
		t.Fatal(err)
	}
	sigs := make(chan *dbus.Signal, 4)
	app.Signal(sigs)

	// As fyne.io/systray does: register with the object path only.
	watcher := app.Object(testWatcher, WatcherPath)
	if err := watcher.Call(watcherIface+".RegisterStatusNotifierItem", 0, "/StatusNotifierItem").Err; err != nil {
		t.Fatalf("register: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	it, err := w.Wait(ctx, func(it Item) bool { return it.PID == uint32(os.Getpid()) })
	if err != nil {
		t.Fatal(err)
	}
	if it.Service != app.Names()[0] || it.Path != "/StatusNotifierItem" {
		t.Errorf("item = %+v, want service %s path /StatusNotifierItem", it, app.Names()[0])
	}
	select {
	case s := <-sigs:
		if len(s.Body) != 1 || s.Body[0] != it.String() {
			t.Errorf("registered signal body %v, want %q", s.Body, it.String())
		}
	case <-time.After(5 * time.Second):
		t.Error("no StatusNotifierItemRegistered signal")
	}
	for name, want := range map[string]any{
		"IsStatusNotifierHostRegistered": true,
		"RegisteredStatusNotifierItems":  []string{it.String()},
		"ProtocolVersion":                int32(0),
	} {
		v, err := watcher.GetProperty(watcherIface + "." + name)
		if err != nil {
			t.Errorf("property %s: %v", name, err)
			continue
		}
		if got := v.Value(); !equal(got, want) {
			t.Errorf("property %s = %v, want %v", name, got, want)
		}
	}

	rev, root, err := Layout(host, it)
	if err != nil {
		t.Fatal(err)
	}
	if rev != 7 || root.ID != 0 {
		t.Errorf("revision %d root %d", rev, root.ID)
	}
	if got, want := root.Labels(), []string{"alpha — 1 min", "---", "Quit"}; !slices.Equal(got, want) {
		t.Errorf("labels %q, want %q", got, want)
	}
	first := root.Children[0]
	if first.ChildrenDisplay() != "submenu" || len(first.Children) != 1 || first.Children[0].Label() != "Copy token" {
		t.Errorf("submenu not decoded: %+v", first)
	}
	if !first.Enabled() || !first.Visible() || root.Children[2].Enabled() {
		t.Error("enabled/visible defaults or values wrong")
	}
	copyItem, ok := root.Find(func(m MenuItem) bool { return m.Label() == "Copy token" })
	if !ok || copyItem.ID != 4 {
		t.Fatalf("Find Copy token: %v %+v", ok, copyItem)
	}
	if err := Click(host, it, copyItem.ID); err != nil {
		t.Fatal(err)
	}
	menu.mu.Lock()
	events := slices.Clone(menu.events)
	menu.mu.Unlock()
	if !slices.Equal(events, []string{"clicked:4"}) {
		t.Errorf("menu got events %q, want clicked:4", events)
	}

	// The item goes away with its connection.
	app.Close()
	deadline := time.Now().Add(5 * time.Second)
	for len(w.Items()) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("item still registered after its connection closed: %v", w.Items())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestWatcherAcceptsBusNameAndTimesOut(t *testing.T) {
	host := sessionBus(t)
	w, err := startWatcher(host, testWatcher)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	short, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := w.Wait(short, nil); err == nil {
		t.Error("Wait returned without any registration")
	}

	app := sessionBus(t)
	exportItem(t, app)
	if err := app.Object(testWatcher, WatcherPath).Call(watcherIface+".RegisterStatusNotifierItem", 0, app.Names()[0]).Err; err != nil {
		t.Fatal(err)
	}
	ctx, cancel2 := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel2()
	it, err := w.Wait(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if it.Service != app.Names()[0] || it.Path != "/StatusNotifierItem" {
		t.Errorf("item = %+v", it)
	}
	if p, err := MenuPath(host, it); err != nil || p != "/StatusNotifierMenu" {
		t.Errorf("MenuPath = %q, %v", p, err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	// The name is free again.
	w2, err := startWatcher(host, testWatcher)
	if err != nil {
		t.Fatalf("restart after Close: %v", err)
	}
	w2.Close()
}

func equal(a, b any) bool {
	if as, ok := a.([]string); ok {
		bs, ok := b.([]string)
		return ok && slices.Equal(as, bs)
	}
	return a == b
}
