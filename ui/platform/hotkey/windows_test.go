//go:build windows

package hotkey

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// TestStartTakenAndReleased: a second Start of the hotkey while the first
// holds it is refused as taken; once stop has returned, the key can be
// registered again.
func TestStartTakenAndReleased(t *testing.T) {
	stop, err := Start(func() {})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if stop2, err := Start(func() {}); !errors.Is(err, ErrTaken) {
		if stop2 != nil {
			stop2()
		}
		t.Errorf("a second Start: %v, want %v", err, ErrTaken)
	}
	stop()
	stop() // a second stop does nothing
	stop3, err := Start(func() {})
	if err != nil {
		t.Fatalf("Start after stop: %v", err)
	}
	stop3()
}

// TestInjectedPressCallsOnPress presses keys with SendInput, which enters
// Windows' (and Wine's) input queue as a keyboard does: Ctrl+Alt+K calls
// onPress, other keys do not, and nothing is called after stop.
func TestInjectedPressCallsOnPress(t *testing.T) {
	pressed := make(chan struct{}, 8)
	stop, err := Start(func() { pressed <- struct{}{} })
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer stop()
	sendKeys(t, vkControl, vkMenu, 'K')
	expectPress(t, pressed, "Ctrl+Alt+K pressed with SendInput")
	sendKeys(t, vkControl, vkMenu, 'J')
	sendKeys(t, vkControl, 'K')
	sendKeys(t, vkControl, vkShift, vkMenu, 'K')
	expectNoPress(t, pressed, "Ctrl+Alt+J, Ctrl+K or Ctrl+Shift+Alt+K")
	stop()
	sendKeys(t, vkControl, vkMenu, 'K')
	expectNoPress(t, pressed, "Ctrl+Alt+K after stop")
}

// TestX11PressUnderWine presses Ctrl+Alt+K on the X display with xdotool,
// as a person would, while a window of this program has the focus: Wine
// turns X key events into Windows input only for its own windows. Run by
// .ci/test-windows, which sets TOKENTRAY_WINE_XDOTOOL to xdotool's Linux
// path; Wine starts Linux programs given as Z:\ paths.
func TestX11PressUnderWine(t *testing.T) {
	xdotool := os.Getenv("TOKENTRAY_WINE_XDOTOOL")
	if xdotool == "" {
		t.Skip("only under Wine with xdotool: run .ci/test-windows (make test-windows)")
	}
	pressed := make(chan struct{}, 8)
	stop, err := Start(func() { pressed <- struct{}{} })
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer stop()
	const title = "Tokentray hotkey test"
	closeWindow := openWindow(t, title)
	defer closeWindow()
	// Wine does not wait for a Linux program: xdotool waits for the
	// window, focuses it, then presses the keys.
	proc, err := os.StartProcess(`Z:`+strings.ReplaceAll(xdotool, "/", `\`),
		[]string{"xdotool", "search", "--sync", "--onlyvisible", "--name", "^" + title + "$",
			"windowfocus", "--sync", "%1", "key", "ctrl+alt+k"},
		&os.ProcAttr{Files: []*os.File{nil, os.Stderr, os.Stderr}})
	if err != nil {
		t.Fatalf("start xdotool: %v", err)
	}
	_ = proc.Release()
	expectPress(t, pressed, "Ctrl+Alt+K pressed with xdotool on the X display")
}

// Virtual-key codes of the modifiers (a letter's is its capital).
const (
	vkShift   = 0x10
	vkControl = 0x11
	vkMenu    = 0x12 // Alt
)

// keyboardInput is the Win32 INPUT structure holding a KEYBDINPUT.
type keyboardInput struct {
	inputType uint32
	_         uint32
	vk        uint16
	scan      uint16
	flags     uint32
	time      uint32
	_         uint32
	extraInfo uintptr
	_         [8]byte // the union's size is MOUSEINPUT's
}

// sendKeys presses the keys in order and releases them in reverse.
func sendKeys(t *testing.T, vks ...uint16) {
	t.Helper()
	const inputKeyboard, keyUp = 1, 0x0002
	var in []keyboardInput
	for _, vk := range vks {
		in = append(in, keyboardInput{inputType: inputKeyboard, vk: vk})
	}
	for i := len(vks) - 1; i >= 0; i-- {
		in = append(in, keyboardInput{inputType: inputKeyboard, vk: vks[i], flags: keyUp})
	}
	n, _, err := user32.NewProc("SendInput").Call(uintptr(len(in)), uintptr(unsafe.Pointer(&in[0])), unsafe.Sizeof(in[0]))
	if int(n) != len(in) {
		t.Fatalf("SendInput sent %d of %d events: %v", n, len(in), err)
	}
}

// openWindow shows a plain window titled title, owned by a thread that
// serves its messages, and returns what closes it.
func openWindow(t *testing.T, title string) (closeWindow func()) {
	t.Helper()
	type opened struct {
		thread uint32
		err    error
	}
	ready := make(chan opened, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		const wsVisibleOverlapped = 0x10000000 | 0x00CF0000
		class, _ := windows.UTF16PtrFromString("STATIC")
		name, _ := windows.UTF16PtrFromString(title)
		hwnd, _, err := user32.NewProc("CreateWindowExW").Call(0, uintptr(unsafe.Pointer(class)), uintptr(unsafe.Pointer(name)),
			wsVisibleOverlapped, 100, 100, 400, 200, 0, 0, 0, 0)
		if hwnd == 0 {
			ready <- opened{err: err}
			return
		}
		defer user32.NewProc("DestroyWindow").Call(hwnd)
		ready <- opened{thread: windows.GetCurrentThreadId()}
		var m msg
		for {
			if r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0); int32(r) <= 0 {
				return
			}
			user32.NewProc("DispatchMessageW").Call(uintptr(unsafe.Pointer(&m)))
		}
	}()
	o := <-ready
	if o.err != nil {
		t.Fatalf("CreateWindowExW: %v", o.err)
	}
	return func() {
		procPostThreadMessageW.Call(uintptr(o.thread), wmQuit, 0, 0)
		<-done
	}
}

func expectPress(t *testing.T, pressed <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-pressed:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s: onPress was not called within 20 s", what)
	}
}

func expectNoPress(t *testing.T, pressed <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-pressed:
		t.Errorf("%s called onPress", what)
	case <-time.After(time.Second):
	}
}
