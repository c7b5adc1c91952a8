// Package hotkey grabs the global hotkey that opens Tokentray's quick
// picker, where the platform allows it without a service of its own: on
// X11 through a passive key grab (XGrabKey) over a pure-Go X connection,
// on Windows through RegisterHotKey. It knows nothing of Fyne: the caller
// decides what a press does and on which goroutine.
package hotkey

import "errors"

// Label names the hotkey for people.
const Label = "Ctrl+Alt+K"

// ErrTaken is returned by Start when another program (or another Start
// still running) holds the same hotkey.
var ErrTaken = errors.New(Label + " is already taken by another program")
