// Package traytest is the desktop side of the system tray protocol, for
// tests and benchmarks: an org.kde.StatusNotifierWatcher that tray apps
// register with, and a com.canonical.dbusmenu client that reads a registered
// item's menu and clicks its entries — what a panel (GNOME Shell's AppIndicator
// extension, KDE Plasma, waybar) does, over a real D-Bus session bus.
//
// It implements the StatusNotifierItem specification as fyne.io/systray
// uses it: the item calls RegisterStatusNotifierItem with its object path
// ("/StatusNotifierItem"), the watcher derives the bus name from the sender.
package traytest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"
	"github.com/godbus/dbus/v5/prop"
)

// D-Bus names of the StatusNotifierWatcher.
const (
	WatcherName  = "org.kde.StatusNotifierWatcher"
	WatcherPath  = dbus.ObjectPath("/StatusNotifierWatcher")
	watcherIface = "org.kde.StatusNotifierWatcher"
)

// Item is a registered StatusNotifierItem.
type Item struct {
	// Service is the unique bus name of the item's connection (":1.42").
	Service string
	// Path is the item's object path, e.g. /StatusNotifierItem.
	Path dbus.ObjectPath
	// PID is the process owning Service, or 0 if the bus did not say.
	PID uint32
}

// String is the form used in RegisteredStatusNotifierItems: service+path.
func (it Item) String() string { return it.Service + string(it.Path) }

// Watcher is a StatusNotifierWatcher exported on a session bus connection.
// Its methods are safe for concurrent use.
type Watcher struct {
	conn    *dbus.Conn
	name    string
	props   *prop.Properties
	signals chan *dbus.Signal
	done    chan struct{}

	mu      sync.Mutex
	items   []Item
	changed chan struct{} // closed and replaced on every change
	closed  bool
}

// StartWatcher exports the watcher on conn and takes the well-known name
// org.kde.StatusNotifierWatcher. It fails if another process owns the name.
// The watcher drops items whose connection leaves the bus.
func StartWatcher(conn *dbus.Conn) (*Watcher, error) {
	return startWatcher(conn, WatcherName)
}

// startWatcher is StartWatcher under another bus name, so the package's own
// tests do not compete for the real name with tests running in parallel.
func startWatcher(conn *dbus.Conn, busName string) (_ *Watcher, err error) {
	w := &Watcher{name: busName, conn: conn, changed: make(chan struct{}), signals: make(chan *dbus.Signal, 16), done: make(chan struct{})}
	if err := conn.Export(watcherMethods{w}, WatcherPath, watcherIface); err != nil {
		return nil, fmt.Errorf("traytest: export watcher: %w", err)
	}
	props, err := prop.Export(conn, WatcherPath, prop.Map{watcherIface: {
		"IsStatusNotifierHostRegistered": {Value: true, Emit: prop.EmitTrue},
		"ProtocolVersion":                {Value: int32(0), Emit: prop.EmitTrue},
		"RegisteredStatusNotifierItems":  {Value: []string{}, Emit: prop.EmitTrue},
	}})
	if err != nil {
		return nil, fmt.Errorf("traytest: export watcher properties: %w", err)
	}
	w.props = props
	node := &introspect.Node{Name: string(WatcherPath), Interfaces: []introspect.Interface{
		introspect.IntrospectData, prop.IntrospectData,
		{Name: watcherIface, Methods: introspect.Methods(watcherMethods{}), Properties: props.Introspection(watcherIface),
			Signals: []introspect.Signal{
				{Name: "StatusNotifierItemRegistered", Args: []introspect.Arg{{Name: "service", Type: "s"}}},
				{Name: "StatusNotifierItemUnregistered", Args: []introspect.Arg{{Name: "service", Type: "s"}}},
				{Name: "StatusNotifierHostRegistered"},
			}},
	}}
	if err := conn.Export(introspect.NewIntrospectable(node), WatcherPath, "org.freedesktop.DBus.Introspectable"); err != nil {
		return nil, fmt.Errorf("traytest: export introspection: %w", err)
	}
	if err := conn.AddMatchSignal(dbus.WithMatchSender("org.freedesktop.DBus"), dbus.WithMatchMember("NameOwnerChanged")); err != nil {
		return nil, fmt.Errorf("traytest: watch bus names: %w", err)
	}
	conn.Signal(w.signals)
	go w.dropVanished()
	defer func() {
		if err != nil {
			_ = w.Close()
		}
	}()
	reply, err := conn.RequestName(busName, dbus.NameFlagDoNotQueue)
	if err != nil {
		return nil, fmt.Errorf("traytest: request %s: %w", busName, err)
	}
	if reply != dbus.RequestNameReplyPrimaryOwner {
		return nil, fmt.Errorf("traytest: %s is already owned by another connection", busName)
	}
	return w, nil
}

// watcherMethods holds the exported D-Bus methods, so that only they are
// visible on the bus.
type watcherMethods struct{ w *Watcher }

// RegisterStatusNotifierItem is called by tray apps. service is a bus name
// or, as fyne.io/systray and libappindicator send it, an object path of the
// caller.
func (m watcherMethods) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	it := Item{Service: string(sender), Path: "/StatusNotifierItem"}
	switch {
	case strings.HasPrefix(service, "/"):
		it.Path = dbus.ObjectPath(service)
	case service != "":
		it.Service = service
	}
	if !it.Path.IsValid() {
		return dbus.MakeFailedError(fmt.Errorf("invalid object path %q", service))
	}
	w := m.w
	if err := w.conn.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, it.Service).Store(&it.PID); err != nil {
		it.PID = 0
	}
	w.mu.Lock()
	w.items = slices.DeleteFunc(w.items, func(o Item) bool { return o.String() == it.String() })
	w.items = append(w.items, it)
	w.publishLocked()
	w.mu.Unlock()
	_ = w.conn.Emit(WatcherPath, watcherIface+".StatusNotifierItemRegistered", it.String())
	return nil
}

// RegisterStatusNotifierHost accepts hosts; this watcher always reports one.
func (m watcherMethods) RegisterStatusNotifierHost(service string) *dbus.Error { return nil }

// publishLocked updates the property and wakes waiters; w.mu is held.
func (w *Watcher) publishLocked() {
	names := make([]string, len(w.items))
	for i, it := range w.items {
		names[i] = it.String()
	}
	w.props.SetMust(watcherIface, "RegisteredStatusNotifierItems", names)
	close(w.changed)
	w.changed = make(chan struct{})
}

// dropVanished removes the items of connections that left the bus.
func (w *Watcher) dropVanished() {
	for {
		var sig *dbus.Signal
		select {
		case sig = <-w.signals:
		case <-w.done:
			return
		}
		if sig == nil {
			return // the connection closed
		}
		if sig.Name != "org.freedesktop.DBus.NameOwnerChanged" || len(sig.Body) != 3 {
			continue
		}
		name, _ := sig.Body[0].(string)
		newOwner, _ := sig.Body[2].(string)
		if newOwner != "" {
			continue
		}
		var gone []Item
		w.mu.Lock()
		w.items = slices.DeleteFunc(w.items, func(it Item) bool {
			if it.Service == name {
				gone = append(gone, it)
				return true
			}
			return false
		})
		if len(gone) > 0 && !w.closed {
			w.publishLocked()
		}
		w.mu.Unlock()
		for _, it := range gone {
			_ = w.conn.Emit(WatcherPath, watcherIface+".StatusNotifierItemUnregistered", it.String())
		}
	}
}

// Items returns the registered items, oldest first.
func (w *Watcher) Items() []Item {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.items)
}

// Wait blocks until an item for which match returns true is registered (a
// nil match accepts any), or ctx ends.
func (w *Watcher) Wait(ctx context.Context, match func(Item) bool) (Item, error) {
	for {
		w.mu.Lock()
		changed := w.changed
		for _, it := range w.items {
			if match == nil || match(it) {
				w.mu.Unlock()
				return it, nil
			}
		}
		w.mu.Unlock()
		select {
		case <-ctx.Done():
			return Item{}, fmt.Errorf("traytest: no matching StatusNotifierItem registered: %w", ctx.Err())
		case <-changed:
		}
	}
}

// Close gives up the watcher name and stops exporting it; the connection
// stays open (the caller owns it).
func (w *Watcher) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	w.mu.Unlock()
	w.conn.RemoveSignal(w.signals)
	close(w.done)
	_ = w.conn.Export(nil, WatcherPath, watcherIface)
	_ = w.conn.Export(nil, WatcherPath, "org.freedesktop.DBus.Properties")
	_ = w.conn.Export(nil, WatcherPath, "org.freedesktop.DBus.Introspectable")
	if _, err := w.conn.ReleaseName(w.name); err != nil {
		return fmt.Errorf("traytest: release %s: %w", w.name, err)
	}
	return nil
}
