// Command tokentray is a system-tray utility that keeps OAuth 2.0
// client-credentials profiles in the OS keyring and hands out bearer tokens.
// With a subcommand it is the command line for scripts (see ui/cli).
//
// This file and wire.go are the composition root: run picks the command
// line or the tray app, and startApp chooses the store (the OS keyring, or
// memory in demo mode), the fetcher (the HTTP client) and the demo token
// server, and hands them to the engine and the UI.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/tokentray/tokentray/ui/quietlocale"
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
