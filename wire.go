package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/demo"
	"github.com/tokentray/tokentray/ui"
	"github.com/tokentray/tokentray/ui/cli"
	"github.com/tokentray/tokentray/ui/explain"
	"github.com/tokentray/tokentray/ui/platform/instance"
	"github.com/tokentray/tokentray/ui/wire"
)

// run is the dispatcher: a subcommand of the command line (every one that
// cli.IsSubcommand accepts, all listed by `tokentray --help`), or any
// first word that is not one of the tray app's flags (cli.ForCommandLine:
// the command line refuses it with its help), runs there; the rest is the
// tray app's command line. It returns the exit code.
func run(ctx context.Context, args []string) int {
	if cli.ForCommandLine(args) {
		cli.UseParentConsole() // Windows: a GUI-subsystem exe started from a terminal
		return cli.Main(ctx, args, wire.CLI())
	}
	return runApp(ctx, args)
}

// runApp is the tray app's command line (tokentray without a subcommand):
// it starts the tray app with the profiles in the OS keyring, or with
// --demo against an embedded loopback token server and in-memory profiles
// (nothing is written to the keyring), and runs the UI until ctx ends or
// the user quits. It returns the exit code.
func runApp(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("tokentray", flag.ContinueOnError)
	demoMode := fs.Bool("demo", false, "run against an embedded local token server with sample profiles; nothing is written to the keyring")
	demoExtra := fs.Int("demo-profiles", 0, "with --demo: add this many extra healthy demo profiles")
	show := fs.Bool("show", false, "open the Manage profiles window at start")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "tokentray: unknown command %q (try `tokentray help`)\n", fs.Arg(0))
		return 2
	}
	if err := startApp(ctx, *demoMode, *demoExtra, *show); err != nil {
		fmt.Fprintln(os.Stderr, "tokentray:", explain.Error(err))
		return 1
	}
	return 0
}

// startApp wires the engine (tokens.Manager) to its adapters: the HTTP
// client (oauth.Client, the Fetcher and Inspector) and a Store, the OS
// keyring (of $TOKENTRAY_KEYRING_SERVICE's profile set) or, in demo mode,
// memory filled from the embedded demo token server. The real app first
// claims the instance socket, so a second launch raises the running app's
// window instead. Then it runs the UI (ui.Run) until ctx ends or the user
// quits, and stops the engine.
func startApp(ctx context.Context, demoMode bool, demoExtra int, show bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	client := wire.HTTPClient()
	var store tokens.Store
	var remote <-chan instance.Command
	var inst *instance.Server  // the instance socket (real keyring only)
	var answers *wire.AppStore // answers the command line from memory through inst
	if demoMode {
		srv, err := demo.Start(ctx, demo.WithExtraProfiles(demoExtra))
		if err != nil {
			return fmt.Errorf("starting the demo token server: %w", err)
		}
		defer srv.Close()
		mem := tokens.NewMemoryStore()
		for _, p := range srv.Profiles() {
			if err := mem.Save(ctx, p); err != nil {
				return fmt.Errorf("demo profile %q: %w", p.Name, err)
			}
		}
		store = mem
		if srv := claimDemoInstance(); srv != nil {
			defer srv.Close()
			remote = srv.Commands()
		}
	} else {
		// $TOKENTRAY_KEYRING_SERVICE selects another profile set, as for the command line.
		service := wire.Service()
		srv, running, err := claimInstance(ctx, service)
		if running {
			fmt.Fprintln(os.Stderr, "tokentray: already running; its window was brought up")
			return nil
		}
		if err != nil {
			// Not fatal: the app works, only a second launch is not caught.
			fmt.Fprintln(os.Stderr, "tokentray: warning:", err)
		}
		store = wire.Keyring(service, 0)
		if srv != nil {
			defer srv.Close()
			inst, remote = srv, srv.Commands()
			if answers = wire.NewAppStore(store, service); answers != nil {
				store = answers
			}
		}
	}

	mgr := tokens.NewManager(tokens.ManagerOptions{Fetcher: client, Store: store, RevokeReplaced: client.RevokeRefresh})
	go mgr.Run(ctx)
	if inst != nil {
		// `tokentray list` shows how the app's refreshes went.
		inst.SetStatus(func() []byte { return cli.AppStatus(mgr.Snapshot()) })
	}
	defer func() {
		cancel() // stop the scheduler loop, then wait for in-flight cache writes
		mgr.Close()
	}()
	if answers != nil {
		answers.SetEngine(mgr)
		inst.SetAnswerer(answers)
		defer inst.SetAnswerer(nil) // first: no answer from an engine shutting down
	}

	return ui.Run(ctx, ui.Options{Engine: mgr, TestProfiles: true, Requests: client, SignIn: client, Inspector: client, Demo: demoMode, Show: show, Remote: remote})
}

// claimInstance makes this process the tray app of service, or finds the
// one already running and asks it to show its window (running is then
// true). Demo mode does not claim: demo apps are independent of each other
// and of the real one.
func claimInstance(ctx context.Context, service string) (srv *instance.Server, running bool, err error) {
	path, err := instance.Path(service)
	if err != nil {
		return nil, false, err
	}
	srv, err = instance.Listen(path)
	if !errors.Is(err, instance.ErrRunning) {
		return srv, false, err
	}
	if err := instance.Send(ctx, path, instance.Show); err != nil {
		return nil, false, fmt.Errorf("another Tokentray is running but did not answer: %w", err)
	}
	return nil, true, nil
}
