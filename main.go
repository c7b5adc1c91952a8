// Command tokentray-app is Tokentray's tray app: a system-tray utility that
// keeps OAuth 2.0 client-credentials profiles in the OS keyring and hands
// out bearer tokens. Users start it as `tokentray` (with no subcommand):
// the command line, ui/console, a program that links no toolkit, starts
// this one beside it (tokentray-app; tokentray.exe on Windows). Given a
// subcommand it runs the command line too (ui/cli), as the one program did
// before the split, but paying for Fyne's package initialisation.
//
// This file and wire.go compose the app from the adapters that package wire
// builds (the one composition root, shared with the command line): run
// picks the command line or the tray app, and startApp chooses the store
// (the OS keyring, or memory in demo mode), the fetcher (the HTTP client)
// and the demo token server, and hands them to the engine and the UI.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/tokentray/tokentray/ui/platform/quietlocale"
)

func main() {
	quietlocale.Restore() // first: the environment as the user set it
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := run(ctx, os.Args[1:])
	stopProfile()
	os.Exit(code)
}

// stopProfile ends the profiling that a `-tags pprof` build starts
// (pprof.go); without that tag it does nothing.
var stopProfile = func() {}
