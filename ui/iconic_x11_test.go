//go:build linux || freebsd || openbsd || netbsd

package ui

import (
	"os"
	"testing"

	"github.com/jezek/xgb/xproto"

	"github.com/tokentray/tokentray/ui/platform/xconn"
)

// TestX11IconicReadsWMState: on a real X server (the session's Xvfb), a
// window whose WM_STATE says IconicState is minimised; NormalState, or no
// WM_STATE at all (no window manager), is not.
func TestX11IconicReadsWMState(t *testing.T) {
	if os.Getenv("TOKENTRAY_SESSION") != "1" {
		t.Skip("needs the private desktop session's X server: run `make test` or `.ci/session go test -run X11Iconic ./ui`")
	}
	conn, err := xconn.Open()
	if err != nil {
		t.Fatalf("X: %v", err)
	}
	defer conn.Close()
	screen := xproto.Setup(conn).DefaultScreen(conn)
	win, err := xproto.NewWindowId(conn)
	if err != nil {
		t.Fatal(err)
	}
	if err := xproto.CreateWindowChecked(conn, screen.RootDepth, win, screen.Root, 0, 0, 10, 10, 0,
		xproto.WindowClassInputOutput, screen.RootVisual, 0, nil).Check(); err != nil {
		t.Fatal(err)
	}
	defer xproto.DestroyWindow(conn, win)
	atom, err := xproto.InternAtom(conn, false, uint16(len("WM_STATE")), "WM_STATE").Reply()
	if err != nil {
		t.Fatal(err)
	}
	setState := func(state uint32) {
		t.Helper()
		data := []byte{byte(state), 0, 0, 0, 0, 0, 0, 0} // state, icon window (none); little-endian
		if err := xproto.ChangePropertyChecked(conn, xproto.PropModeReplace, win, atom.Atom, atom.Atom, 32, 2, data).Check(); err != nil {
			t.Fatal(err)
		}
	}
	iconic := x11Iconic(conn, win)
	if iconic() {
		t.Error("a window without WM_STATE reported minimised")
	}
	setState(iconicState)
	if !iconic() {
		t.Error("IconicState not reported as minimised")
	}
	setState(1) // NormalState
	if iconic() {
		t.Error("NormalState reported as minimised")
	}
}
