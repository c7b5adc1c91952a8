// Command tokentray is a system-tray utility that keeps OAuth 2.0
// client-credentials profiles in the OS keyring and hands out bearer tokens.
// With a subcommand it is the command line for scripts (see ui/cli).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/tokentray/tokentray/ui"
	"github.com/tokentray/tokentray/ui/cli"
	"github.com/tokentray/tokentray/ui/quietlocale"
)

func main() {
	quietlocale.Restore() // first: the environment as the user set it
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) > 1 && cli.IsSubcommand(os.Args[1]) {
		cli.UseParentConsole() // Windows: a GUI-subsystem exe started from a terminal
		os.Exit(cli.Main(ctx, os.Args[1:], cli.OSEnv()))
	}
	code := ui.RunApp(ctx, os.Args[1:])
	stopProfile()
	os.Exit(code)
}

// stopProfile ends the profiling that a `-tags pprof` build starts
// (pprof.go); without that tag it does nothing.
var stopProfile = func() {}
