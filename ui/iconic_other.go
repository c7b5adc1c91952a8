//go:build !(linux || freebsd || openbsd || netbsd)

package ui

import "fyne.io/fyne/v2"

// iconicCheck reports false: only X11 is asked whether the window is
// minimised (iconic_x11.go); elsewhere the window ticks while shown.
func iconicCheck(fyne.Window) func() bool { return func() bool { return false } }
