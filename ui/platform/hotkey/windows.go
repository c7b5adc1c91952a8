//go:build windows

package hotkey

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The optional global hotkey on Windows: RegisterHotKey with no window, so
// Windows posts WM_HOTKEY to the registering thread's message queue. That
// thread is a goroutine locked to its OS thread, running a GetMessageW
// loop; the hotkey is registered and unregistered there, as Windows ties
// it to the thread.

var (
	user32                 = windows.NewLazySystemDLL("user32.dll")
	procRegisterHotKey     = user32.NewProc("RegisterHotKey")
	procUnregisterHotKey   = user32.NewProc("UnregisterHotKey")
	procGetMessageW        = user32.NewProc("GetMessageW")
	procPeekMessageW       = user32.NewProc("PeekMessageW")
	procPostThreadMessageW = user32.NewProc("PostThreadMessageW")
)

const (
	modAlt      = 0x0001
	modControl  = 0x0002
	modNoRepeat = 0x4000 // no WM_HOTKEY again while the key is held down
	vkK         = 0x4B

	wmQuit   = 0x0012
	wmUser   = 0x0400
	wmHotkey = 0x0312

	pmNoRemove = 0x0000

	// hotkeyID names our registration on its thread (0x0000–0xBFFF).
	hotkeyID = 1

	errorHotkeyAlreadyRegistered = windows.Errno(1409)
)

// msg is the Win32 MSG structure.
type msg struct {
	hwnd     uintptr
	message  uint32
	wParam   uintptr
	lParam   uintptr
	time     uint32
	pt       struct{ x, y int32 }
	lPrivate uint32
}

// Supported reports that Windows has the hotkey (RegisterHotKey needs
// no service or permission).
func Supported() bool { return true }

// Start registers Ctrl+Alt+K and calls onPress (on a goroutine of its own,
// one press at a time) each time it is pressed, until stop is called. It
// returns ErrTaken when another program (or an earlier Start not yet
// stopped) holds the hotkey. stop unregisters it and returns once that is
// done, so the key is free for the next Start; later calls do nothing.
func Start(onPress func()) (stop func(), err error) {
	type started struct {
		thread uint32
		err    error
	}
	ready := make(chan started, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		// The thread that registers is the one that gets WM_HOTKEY and
		// must unregister: keep this goroutine on it, and let the thread
		// end with the goroutine rather than serve others.
		runtime.LockOSThread()
		var m msg
		// Create the thread's message queue before anyone may post to it.
		procPeekMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, wmUser, wmUser, pmNoRemove)
		thread := windows.GetCurrentThreadId()
		if ok, _, callErr := procRegisterHotKey.Call(0, hotkeyID, modControl|modAlt|modNoRepeat, vkK); ok == 0 {
			ready <- started{err: registerError(callErr)}
			return
		}
		ready <- started{thread: thread}
		defer procUnregisterHotKey.Call(0, hotkeyID)
		for {
			// GetMessageW returns 0 on WM_QUIT and -1 on failure.
			r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
			if int32(r) <= 0 {
				return
			}
			if m.message == wmHotkey && m.wParam == hotkeyID {
				onPress()
			}
		}
	}()
	s := <-ready
	if s.err != nil {
		<-done
		return nil, s.err
	}
	return sync.OnceFunc(func() {
		// The queue exists (PeekMessageW above), so the post fails only
		// when the loop has already ended (done is closed then) or the
		// queue is full for a moment: try again.
		for {
			if ok, _, _ := procPostThreadMessageW.Call(uintptr(s.thread), wmQuit, 0, 0); ok != 0 {
				break
			}
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
		<-done
	}), nil
}

// registerError turns RegisterHotKey's failure into ErrTaken or a wrapped
// error.
func registerError(callErr error) error {
	var errno windows.Errno
	if errors.As(callErr, &errno) && errno == errorHotkeyAlreadyRegistered {
		return ErrTaken
	}
	return fmt.Errorf("hotkey: register %s: %w", Label, callErr)
}
