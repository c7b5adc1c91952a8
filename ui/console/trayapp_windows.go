package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// startTrayApp starts the GUI program beside this one with args and does
// not wait for it.
func startTrayApp(args []string) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding the tray app: %w", err)
	}
	gui := appBeside(self)
	cmd := exec.Command(gui, args...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the tray app %s: %w", gui, err)
	}
	return cmd.Process.Release()
}

// appBeside is tokentray.exe for tokentray.com (any case of the extension).
func appBeside(self string) string {
	ext := filepath.Ext(self)
	return strings.TrimSuffix(self, ext) + ".exe"
}
