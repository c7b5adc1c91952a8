//go:build windows

package secretclip

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	procIsFormatAvailable = user32.NewProc("IsClipboardFormatAvailable")
	procGetClipboardData  = user32.NewProc("GetClipboardData")
	procGlobalSize        = kernel32.NewProc("GlobalSize")
)

// pasted reads CF_UNICODETEXT as another program's paste would; ok is
// false when the clipboard has no text.
func pasted(t *testing.T) (text string, ok bool) {
	t.Helper()
	err := withClipboard(func() error {
		h, _, _ := procGetClipboardData.Call(cfUnicodeText)
		if h == 0 {
			return nil
		}
		p, _, _ := procGlobalLock.Call(h)
		defer procGlobalUnlock.Call(h)
		size, _, _ := procGlobalSize.Call(h)
		if p == 0 || size < 2 {
			return nil
		}
		buf := make([]uint16, size/2)
		procRtlMoveMemory.Call(uintptr(unsafe.Pointer(&buf[0])), p, size)
		text, ok = windows.UTF16ToString(buf), true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return text, ok
}

func available(format uint32) bool {
	r, _, _ := procIsFormatAvailable.Call(uintptr(format))
	return r != 0
}

// TestWindowsPutMarksSecret: the copy pastes as text and carries the
// three formats that keep it out of clipboard history and cloud sync.
func TestWindowsPutMarksSecret(t *testing.T) {
	board, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	b := board.(*winBoard)
	const tok = "eyJhbGciOi.tok-123_-~+/="
	if err := b.Put(tok); err != nil {
		t.Fatal(err)
	}
	if got, ok := pasted(t); !ok || got != tok {
		t.Errorf("pasted %q, %v", got, ok)
	}
	for i, f := range b.marks {
		if !available(f) {
			t.Errorf("the copy lacks %s", markFormats[i])
		}
	}
	if !b.Holds(tok) || b.Holds("other") {
		t.Error("Holds is wrong after Put")
	}
}

// TestWindowsClearOnlyOurs: Clear empties the clipboard while it holds our
// copy, and leaves alone what another program placed since.
func TestWindowsClearOnlyOurs(t *testing.T) {
	board, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	b := board.(*winBoard)
	if err := b.Put("tok-1"); err != nil {
		t.Fatal(err)
	}
	if b.Clear("tok-2") {
		t.Error("Clear of another text cleared")
	}
	if !b.Clear("tok-1") {
		t.Fatal("Clear of our copy did not clear")
	}
	if got, ok := pasted(t); ok {
		t.Errorf("after Clear the clipboard holds %q", got)
	}

	if err := b.Put("tok-3"); err != nil {
		t.Fatal(err)
	}
	// Another program copies plain text, as Notepad would.
	u, _ := windows.UTF16FromString("copied by the user")
	err = withClipboard(func() error {
		procEmptyClipboard.Call()
		return setData(cfUnicodeText, unsafe.Slice((*byte)(unsafe.Pointer(&u[0])), 2*len(u)))
	})
	if err != nil {
		t.Fatal(err)
	}
	if b.Holds("tok-3") {
		t.Error("Holds stayed true after another program copied")
	}
	if b.Clear("tok-3") {
		t.Error("Clear cleared another program's copy")
	}
	if got, _ := pasted(t); got != "copied by the user" {
		t.Errorf("the user's copy became %q", got)
	}
}
