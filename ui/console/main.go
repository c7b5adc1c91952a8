// Command tokentray-console is tokentray.com on Windows: the console-subsystem
// companion of the GUI-subsystem tokentray.exe, as devenv.com is to
// devenv.exe. cmd.exe and PowerShell find tokentray.com before tokentray.exe
// (PATHEXT lists .COM first) and wait for it, as for every console program,
// so `tokentray token NAME` prints to the terminal, its exit code is seen,
// and `for /f` / `$(…)` capture works. Explorer, the Start menu and
// autostart run tokentray.exe, which opens no console window.
//
// It runs the command line (ui/cli) itself; it has no Fyne and needs no cgo.
// Given no subcommand (`tokentray`, `tokentray --demo`), it starts the tray
// app, tokentray.exe from its own folder, and returns at once, as starting a
// GUI program from a terminal does.
//
// Build (make windows): GOOS=windows go build -o tokentray.com ./ui/console
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/tokentray/tokentray/ui/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	args := os.Args[1:]
	// A word that is not one of the tray app's flags is the command
	// line's, known or not: cli.Main reports an unknown one here, in the
	// terminal, with the nearest command or flag.
	if cli.ForCommandLine(args) {
		os.Exit(cli.Main(ctx, args, cli.OSEnv()))
	}
	if err := startTrayApp(args); err != nil {
		fmt.Fprintln(os.Stderr, "tokentray:", err)
		os.Exit(1)
	}
}

// startTrayApp starts the GUI program beside this one with args and does
// not wait for it.
func startTrayApp(args []string) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding the tray app: %w", err)
	}
	gui := guiPath(self)
	cmd := exec.Command(gui, args...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the tray app %s: %w", gui, err)
	}
	return cmd.Process.Release()
}

// guiPath is the path of the tray app beside the console program at self:
// tokentray.exe for tokentray.com (any case of the extension).
func guiPath(self string) string {
	ext := filepath.Ext(self)
	return strings.TrimSuffix(self, ext) + ".exe"
}
