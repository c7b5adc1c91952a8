//go:build !(linux || freebsd || openbsd || netbsd)

package ui

import "context"

// trayHostPresent is always true where the tray is part of the OS
// (Windows notification area, macOS menu bar).
func trayHostPresent(context.Context) bool { return true }
