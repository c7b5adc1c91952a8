// Command tokentray-console is the command line `tokentray`: every
// subcommand (ui/cli) runs here, in a program that links no toolkit, so a
// credential helper called on every git push or kubectl command does not
// pay for Fyne's package initialisation. Called with no subcommand
// (`tokentray`, `tokentray --demo`, `tokentray --show`) it starts the tray
// app, the program beside it (trayapp_*.go):
//
//   - Linux, the BSDs and macOS: `tokentray` and `tokentray-app`. This
//     program replaces itself with tokentray-app (exec), so `tokentray`
//     starts the tray app exactly as before: same process, same terminal.
//   - Windows: `tokentray.com` (console subsystem) and `tokentray.exe`
//     (GUI subsystem), as devenv.com is to devenv.exe. cmd.exe and
//     PowerShell find tokentray.com before tokentray.exe (PATHEXT lists .COM
//     first) and wait for it, as for every console program, so `tokentray
//     token NAME` prints to the terminal, its exit code is seen, and
//     `for /f` / `$(…)` capture works. Explorer, the Start menu and autostart
//     run tokentray.exe, which opens no console window. Given no subcommand,
//     it starts tokentray.exe and returns at once, as starting a GUI program
//     from a terminal does.
//
// It needs no cgo. Its adapters come from package wire, the one composition
// root. Build: make build (go build -o tokentray ./ui/console).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/tokentray/tokentray/ui/cli"
	"github.com/tokentray/tokentray/ui/platform/quietlocale"
	"github.com/tokentray/tokentray/ui/wire"
)

func main() {
	quietlocale.Restore() // first: the environment as the user set it
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	args := os.Args[1:]
	// A word that is not one of the tray app's flags is the command
	// line's, known or not: cli.Main reports an unknown one here, in the
	// terminal, with the nearest command or flag.
	if cli.ForCommandLine(args) {
		code := cli.Main(ctx, args, wire.CLI())
		stop()
		os.Exit(code)
	}
	if err := startTrayApp(args); err != nil {
		fmt.Fprintln(os.Stderr, "tokentray:", err)
		os.Exit(1)
	}
}
