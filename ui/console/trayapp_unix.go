//go:build !windows

package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// appName is the tray app's program name, installed beside `tokentray`.
const appName = "tokentray-app"

// startTrayApp replaces this process with the tray app beside it, given
// args: `tokentray` runs the tray app in the same process, in the
// foreground, as the one program did before the split. It returns only on
// failure.
func startTrayApp(args []string) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding the tray app: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(self); err == nil {
		self = resolved
	}
	app := appBeside(self)
	err = syscall.Exec(app, append([]string{app}, args...), os.Environ())
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("the tray app %s is not installed beside the command line (make build makes both)", app)
	}
	return fmt.Errorf("starting the tray app %s: %w", app, err)
}

// appBeside is tokentray-app in self's folder.
func appBeside(self string) string { return filepath.Join(filepath.Dir(self), appName) }
