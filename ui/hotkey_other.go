//go:build !(linux || freebsd || openbsd || netbsd)

package ui

import "errors"

const hotkeyLabel = "Ctrl+Alt+K"

// hotkeySupported: the global hotkey is offered on X11 only so far.
func hotkeySupported() bool { return false }

func startHotkey(func()) (func(), error) {
	return nil, errors.New("hotkey: not supported on this platform")
}
