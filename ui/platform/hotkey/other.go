//go:build !(linux || freebsd || openbsd || netbsd || windows)

package hotkey

import "errors"

// Supported reports whether this platform has the hotkey: not yet here
// (macOS would need a Carbon or Cocoa event tap through cgo).
func Supported() bool { return false }

// Start always fails here: see Supported.
func Start(func()) (func(), error) {
	return nil, errors.New("hotkey: not supported on this platform")
}
