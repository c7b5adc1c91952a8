//go:build linux || freebsd || openbsd || netbsd

package ui

import (
	"context"

	"github.com/godbus/dbus/v5"
)

// trayHostPresent reports whether a StatusNotifier host (the panel side of
// the freedesktop tray protocol Fyne's systray speaks) is on the session
// bus. Without one the tray icon is invisible (e.g. GNOME without the
// AppIndicator extension), so the window must stay reachable. It makes one
// local D-Bus call; run it off the UI goroutine.
func trayHostPresent(ctx context.Context) bool {
	conn, err := dbus.SessionBus() // shared connection: never closed here
	if err != nil {
		return false
	}
	var has bool
	err = conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&has)
	return err == nil && has
}
