package cli

import (
	"os"

	"golang.org/x/sys/windows"
)

// On Windows tokentray.exe is a GUI-subsystem program (linked with
// -H windowsgui), so Explorer, the Start menu and autostart open no console
// window. The command line is tokentray.com beside it (ui/console,
// found first through PATHEXT), a console program the shell waits for. When
// tokentray.exe itself is given a subcommand, UseParentConsole makes its
// output visible anyway; see the README's Windows section.

// attachParentProcess is ATTACH_PARENT_PROCESS ((DWORD)-1).
const attachParentProcess = ^uint32(0)

var procAttachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

// UseParentConsole points the standard streams that lead nowhere (a GUI
// program started from a terminal gets none) at the console of the parent
// process, when it has one. Streams redirected to a file or pipe are kept.
// Best effort: without a parent console nothing changes.
func UseParentConsole() {
	if hasStdHandle(windows.STD_OUTPUT_HANDLE) && hasStdHandle(windows.STD_ERROR_HANDLE) {
		return
	}
	if r, _, _ := procAttachConsole.Call(uintptr(attachParentProcess)); r == 0 {
		return
	}
	if !hasStdHandle(windows.STD_OUTPUT_HANDLE) {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stdout = f
		}
	}
	if !hasStdHandle(windows.STD_ERROR_HANDLE) {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stderr = f
		}
	}
	if !hasStdHandle(windows.STD_INPUT_HANDLE) {
		if f, err := os.OpenFile("CONIN$", os.O_RDWR, 0); err == nil {
			os.Stdin = f
		}
	}
}

// hasStdHandle reports whether the standard handle leads somewhere: a
// console, file or pipe.
func hasStdHandle(which uint32) bool {
	h, err := windows.GetStdHandle(which)
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, err := windows.GetFileType(h)
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}
