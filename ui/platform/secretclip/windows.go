//go:build windows

package secretclip

import (
	"fmt"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	user32                  = windows.NewLazySystemDLL("user32.dll")
	kernel32                = windows.NewLazySystemDLL("kernel32.dll")
	procOpenClipboard       = user32.NewProc("OpenClipboard")
	procCloseClipboard      = user32.NewProc("CloseClipboard")
	procEmptyClipboard      = user32.NewProc("EmptyClipboard")
	procSetClipboardData    = user32.NewProc("SetClipboardData")
	procClipboardSequence   = user32.NewProc("GetClipboardSequenceNumber")
	procRegisterClipFormatW = user32.NewProc("RegisterClipboardFormatW")
	procGlobalAlloc         = kernel32.NewProc("GlobalAlloc")
	procGlobalLock          = kernel32.NewProc("GlobalLock")
	procGlobalUnlock        = kernel32.NewProc("GlobalUnlock")
	procGlobalFree          = kernel32.NewProc("GlobalFree")
	procRtlMoveMemory       = kernel32.NewProc("RtlMoveMemory")
)

const (
	cfUnicodeText = 13
	gmemMoveable  = 0x0002
	// maxWinText bounds a Put; Windows itself has no small limit.
	maxWinText = 1 << 20
)

// markFormats are the registered formats that keep a copy out of
// clipboard history, cloud clipboard and monitoring tools; each carries
// the DWORD 0.
var markFormats = []string{
	"ExcludeClipboardContentFromMonitorProcessing",
	"CanIncludeInClipboardHistory",
	"CanUploadToCloudClipboard",
}

// winBoard writes CF_UNICODETEXT plus the mark formats, and recognises
// its own copy by the clipboard's sequence number.
type winBoard struct {
	marks []uint32

	mu   sync.Mutex
	text string  // what the last Put placed
	seq  uintptr // the clipboard's sequence number after it; 0: none
}

func open() (Board, error) {
	b := &winBoard{}
	for _, name := range markFormats {
		p, err := windows.UTF16PtrFromString(name)
		if err != nil {
			return nil, err
		}
		id, _, e := procRegisterClipFormatW.Call(uintptr(unsafe.Pointer(p)))
		if id == 0 {
			return nil, fmt.Errorf("secretclip: register %s: %w", name, e)
		}
		b.marks = append(b.marks, uint32(id))
	}
	return b, nil
}

// withClipboard runs f with the clipboard open on this thread. Another
// program may hold it for a moment, so opening is tried for half a second.
func withClipboard(f func() error) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var err error
	for range 20 {
		r, _, e := procOpenClipboard.Call(0)
		if r != 0 {
			err = nil
			break
		}
		err = e
		time.Sleep(25 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("secretclip: open the clipboard: %w", err)
	}
	defer procCloseClipboard.Call()
	return f()
}

// setData places data in format; the clipboard must be open. The system
// owns the memory once SetClipboardData succeeds.
func setData(format uint32, data []byte) error {
	h, _, e := procGlobalAlloc.Call(gmemMoveable, uintptr(len(data)))
	if h == 0 {
		return fmt.Errorf("secretclip: allocate: %w", e)
	}
	p, _, e := procGlobalLock.Call(h)
	if p == 0 {
		procGlobalFree.Call(h)
		return fmt.Errorf("secretclip: lock: %w", e)
	}
	procRtlMoveMemory.Call(p, uintptr(unsafe.Pointer(&data[0])), uintptr(len(data)))
	procGlobalUnlock.Call(h)
	if r, _, e := procSetClipboardData.Call(uintptr(format), h); r == 0 {
		procGlobalFree.Call(h)
		return fmt.Errorf("secretclip: set clipboard data: %w", e)
	}
	return nil
}

func sequence() uintptr {
	r, _, _ := procClipboardSequence.Call()
	return r
}

func (b *winBoard) Put(text string) error {
	if len(text) > maxWinText {
		return ErrTooLarge
	}
	u, err := windows.UTF16FromString(text) // NUL-terminated
	if err != nil {
		return fmt.Errorf("secretclip: %w", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.text, b.seq = "", 0
	err = withClipboard(func() error {
		if r, _, e := procEmptyClipboard.Call(); r == 0 {
			return fmt.Errorf("secretclip: empty the clipboard: %w", e)
		}
		if err := setData(cfUnicodeText, unsafe.Slice((*byte)(unsafe.Pointer(&u[0])), 2*len(u))); err != nil {
			return err
		}
		for _, f := range b.marks {
			if err := setData(f, []byte{0, 0, 0, 0}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	b.text, b.seq = text, sequence()
	return nil
}

func (b *winBoard) Holds(text string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.holds(text)
}

func (b *winBoard) holds(text string) bool {
	return b.seq != 0 && b.text == text && sequence() == b.seq
}

func (b *winBoard) Clear(text string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.holds(text) {
		return false
	}
	cleared := false
	_ = withClipboard(func() error {
		// Checked again with the clipboard open: nobody can change it now.
		if b.holds(text) {
			r, _, _ := procEmptyClipboard.Call()
			cleared = r != 0
		}
		return nil
	})
	b.text, b.seq = "", 0
	return cleared
}

func (b *winBoard) Close() error { return nil }
