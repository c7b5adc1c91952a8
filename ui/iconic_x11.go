//go:build linux || freebsd || openbsd || netbsd

package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/tokentray/tokentray/ui/platform/xconn"
)

// iconicCheck returns a function reporting whether w is minimised, so the
// window stops its countdown while it is (the driver keeps painting a
// minimised window, and Fyne does not say when it is). On X11 it asks for
// the window's WM_STATE (ICCCM 4.1.3.1: IconicState once the window
// manager has minimised it), on a connection of its own kept for the
// app's life. Where that cannot be asked (another driver, Wayland, no X
// server) it returns a function that always reports false; while the
// driver has not made the X window yet, it returns nil (ask again later).
// Call it on the UI goroutine; the function it returns is safe from any
// goroutine.
func iconicCheck(w fyne.Window) func() bool {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return func() bool { return false }
	}
	var ctx any
	nw.RunNative(func(c any) { ctx = c })
	x, ok := ctx.(driver.X11WindowContext)
	if !ok {
		return func() bool { return false }
	}
	if x.WindowHandle == 0 {
		return nil // not made yet
	}
	handle := x.WindowHandle
	conn, err := xconn.Open()
	if err != nil {
		return func() bool { return false }
	}
	return x11Iconic(conn, xproto.Window(handle))
}

// iconicState is WM_STATE's state for a minimised window (ICCCM 4.1.3.1).
const iconicState = 3

// x11Iconic reports, on conn, whether win's WM_STATE is IconicState; an
// error or no WM_STATE (no window manager) reports false.
func x11Iconic(conn *xgb.Conn, win xproto.Window) func() bool {
	atom, err := xproto.InternAtom(conn, false, uint16(len("WM_STATE")), "WM_STATE").Reply()
	if err != nil {
		return func() bool { return false }
	}
	return func() bool {
		p, err := xproto.GetProperty(conn, false, win, atom.Atom, atom.Atom, 0, 1).Reply()
		if err != nil || p.Format != 32 || len(p.Value) < 4 {
			return false
		}
		return xgb.Get32(p.Value) == iconicState
	}
}
