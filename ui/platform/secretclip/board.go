// Package secretclip puts text on the system clipboard marked as a
// secret, so clipboard managers and clipboard history leave it out, and
// takes it off again only while it is still there.
//
// On X11 (and Wayland through XWayland) the copy offers the
// "x-kde-passwordManagerHint" target with the value "secret", the mark
// KeePassXC and KDE's password tools use, which Klipper, CopyQ and other
// managers honour. On Windows the copy carries the
// "ExcludeClipboardContentFromMonitorProcessing",
// "CanIncludeInClipboardHistory" = 0 and "CanUploadToCloudClipboard" = 0
// formats, which keep it out of clipboard history (Win+V), cloud sync and
// monitoring tools. Elsewhere Open returns ErrUnsupported and the caller
// uses its plain clipboard.
//
// The package does not import Fyne: it talks to the platform directly
// (jezek/xgb on X11, user32 on Windows).
package secretclip

import "errors"

// Board is the system clipboard as this package drives it. Its methods are
// safe for concurrent use.
type Board interface {
	// Put places text on the clipboard, marked as a secret. It returns
	// ErrTooLarge for text the platform cannot take in one piece, and an
	// error when the clipboard could not be taken.
	Put(text string) error
	// Holds reports whether the clipboard still holds text as placed by
	// the last Put: false once another program (or another Put) has
	// replaced it.
	Holds(text string) bool
	// Clear empties the clipboard if it still holds text as placed by the
	// last Put, and reports whether it did. What another program copied
	// since is left alone.
	Clear(text string) bool
	// Close releases the board. What it holds on X11 goes with it.
	Close() error
}

// ErrUnsupported is returned by Open where the platform, or the session,
// has no clipboard this package can mark.
var ErrUnsupported = errors.New("secretclip: no clipboard with a secret mark here")

// ErrTooLarge is returned by Put for text too large to offer in one piece.
var ErrTooLarge = errors.New("secretclip: text too large for the clipboard")

// Open connects to the session's clipboard.
func Open() (Board, error) { return open() }
