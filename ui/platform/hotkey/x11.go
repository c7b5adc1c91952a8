//go:build linux || freebsd || openbsd || netbsd

package hotkey

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/tokentray/tokentray/ui/platform/xconn"
)

// The optional global hotkey that opens the quick picker, on X11: a
// passive grab of the key on the root window (XGrabKey) over a
// connection of its own, through a pure-Go X protocol binding, so no
// service or helper process is needed. Wayland gives no such grab; there
// the desktop's own shortcut runs `tokentray pick`.

// hotkeyKeysym is the key of the hotkey (X keysym of "k").
const hotkeyKeysym = 0x006b

// Supported reports whether this session can have the hotkey: an X
// display, and not a Wayland session (XWayland sees keys only while one
// of its own windows has focus).
func Supported() bool {
	return os.Getenv("DISPLAY") != "" && os.Getenv("WAYLAND_DISPLAY") == ""
}

// Start grabs Ctrl+Alt+K on the X display and calls onPress (on a
// goroutine of its own, one press at a time) each time it is pressed,
// until stop is called. It returns ErrTaken when another client holds the
// grab. stop releases the grab and returns once the X server has done so,
// so the key is free for the next Start; later calls do nothing.
func Start(onPress func()) (stop func(), err error) {
	conn, err := xconn.Open()
	if err != nil {
		return nil, fmt.Errorf("hotkey: connect to the X display: %w", err)
	}
	root := xproto.Setup(conn).DefaultScreen(conn).Root
	code, err := keycodeFor(conn, hotkeyKeysym)
	if err != nil {
		conn.Close()
		return nil, err
	}
	// The grab is exact about modifiers, so also grab with Caps Lock and
	// Num Lock (Mod2) on.
	base := uint16(xproto.ModMaskControl | xproto.ModMask1)
	extras := []uint16{0, xproto.ModMaskLock, xproto.ModMask2, xproto.ModMaskLock | xproto.ModMask2}
	for _, extra := range extras {
		if err := xproto.GrabKeyChecked(conn, true, root, base|extra, code, xproto.GrabModeAsync, xproto.GrabModeAsync).Check(); err != nil {
			conn.Close()
			var access xproto.AccessError
			if errors.As(err, &access) {
				return nil, ErrTaken
			}
			return nil, fmt.Errorf("hotkey: grab %s: %w", Label, err)
		}
	}
	go func() {
		for {
			ev, xerr := conn.WaitForEvent()
			if ev == nil && xerr == nil {
				return // closed
			}
			if _, ok := ev.(xproto.KeyPressEvent); ok {
				onPress()
			}
		}
	}()
	return sync.OnceFunc(func() {
		// Release the grab and wait until the server has done it, so the
		// key is free when stop returns.
		for _, extra := range extras {
			xproto.UngrabKey(conn, code, root, base|extra)
		}
		_, _ = xproto.GetInputFocus(conn).Reply()
		conn.Close()
	}), nil
}

// keycodeFor finds the keycode that produces keysym without modifiers.
func keycodeFor(conn *xgb.Conn, keysym xproto.Keysym) (xproto.Keycode, error) {
	setup := xproto.Setup(conn)
	first, count := setup.MinKeycode, byte(setup.MaxKeycode-setup.MinKeycode+1)
	m, err := xproto.GetKeyboardMapping(conn, first, count).Reply()
	if err != nil {
		return 0, fmt.Errorf("hotkey: read the keyboard mapping: %w", err)
	}
	per := int(m.KeysymsPerKeycode)
	for i := 0; i < int(count); i++ {
		if per > 0 && m.Keysyms[i*per] == keysym {
			return first + xproto.Keycode(i), nil
		}
	}
	return 0, fmt.Errorf("hotkey: no key on this keyboard types %q", rune(keysym))
}
