//go:build !windows

package cli

// UseParentConsole is needed on Windows only (console_windows.go): elsewhere
// a program started from a terminal has its streams already.
func UseParentConsole() {}
