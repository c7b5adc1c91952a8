// Package wire is Tokentray's composition root: the one place that builds
// the adapters (the OS keyring store, the HTTP client, the link to the
// running tray app, the terminal) and hands them to the command line
// (ui/cli, as a cli.Env) and to the tray app (main.go, wire.go). Both
// programs call it: the command line `tokentray` (ui/console, which links
// no toolkit) and the tray app `tokentray-app` (the module's root package,
// Fyne). Nothing else builds an adapter; `make check` holds ui/cli to that.
//
// It must not import Fyne: the command line links it.
package wire

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/keyring"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/ui/cli"
	"github.com/tokentray/tokentray/ui/platform/instance"
)

// Service is the keyring service of the profile set this process works
// on: "" (the default, "tokentray"), or $TOKENTRAY_KEYRING_SERVICE when set
// (separate profile sets, tests). The tray app of a service and the
// command line of the same service talk over that service's instance
// socket.
func Service() string { return os.Getenv("TOKENTRAY_KEYRING_SERVICE") }

// Keyring is the profile store of service in the OS keyring, each keyring
// call bounded by timeout (zero: keyring.DefaultTimeout).
func Keyring(service string, timeout time.Duration) tokens.Store {
	return keyring.NewStore(keyring.Options{Service: service, Timeout: timeout})
}

// HTTPClient is the OAuth client: the Fetcher, the Inspector and the
// request Describer (Copy as curl).
func HTTPClient() *oauth.Client { return oauth.NewClient(oauth.ClientOptions{}) }

// CLI is the cli.Env of a real process: the terminal, the OS keyring of
// Service(), the HTTP client, and the running tray app of that service
// (told when profiles change, asked to open its picker).
func CLI() cli.Env {
	stdin := int(os.Stdin.Fd())
	service := Service()
	client := HTTPClient()
	return cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		StdinIsTerminal: func() bool { return term.IsTerminal(stdin) },
		ReadPassword: func(prompt string) (string, error) {
			fmt.Fprint(os.Stderr, prompt)
			b, err := term.ReadPassword(stdin)
			fmt.Fprintln(os.Stderr)
			return string(b), err
		},
		OpenStore: func(timeout time.Duration) tokens.Store { return Keyring(service, timeout) },
		Fetcher:   client,
		Inspector: client,
		Requests:  client,
		SignIn:    client,
		Now:       time.Now,
		// Best effort: with no tray app running there is no one to tell.
		ProfilesChanged: func() { _ = tellApp(context.Background(), instance.Path, service, instance.Reload) },
		Pick:            func(ctx context.Context) error { return tellApp(ctx, instance.Path, service, instance.Pick) },
		PickDemo:        func(ctx context.Context) error { return tellApp(ctx, instance.DemoPath, service, instance.Pick) },
		AskApp: func(ctx context.Context, name string, minValid time.Duration) (*tokens.Token, []string, bool) {
			return askApp(ctx, service, name, minValid)
		},
		TokenDropped: func(name string) { dropInApp(service, name) },
		AppStatus: func(ctx context.Context) ([]byte, error) {
			path, err := instance.Path(service)
			if err != nil {
				return nil, err
			}
			return instance.Ask(ctx, path)
		},
	}
}

// AskAppTimeout bounds the command line's question to the running tray
// app: it answers from memory in well under a millisecond, so an app that
// takes longer is busy or hung, and the keyring answers instead.
const AskAppTimeout = 30 * time.Millisecond

// askApp asks the tray app of service for name's token (instance.AskToken);
// ok false on any failure, silently: the keyring path follows.
func askApp(ctx context.Context, service, name string, minValid time.Duration) (*tokens.Token, []string, bool) {
	path, err := instance.Path(service)
	if err != nil {
		return nil, nil, false
	}
	ctx, cancel := context.WithTimeout(ctx, AskAppTimeout)
	defer cancel()
	t, hosts, err := instance.AskToken(ctx, path, name, minValid)
	return t, hosts, err == nil
}

// dropTimeout bounds telling the app that a token is gone; past it the
// app's change-stamp check still keeps it from answering.
const dropTimeout = 2 * time.Second

// dropInApp tells the tray app of service to forget name's token.
func dropInApp(service, name string) {
	path, err := instance.Path(service)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), dropTimeout)
	defer cancel()
	_ = instance.Drop(ctx, path, name)
}

// tellApp sends cmd to the tray app of service whose socket at gives (the
// real app's, instance.Path, or the demo's, instance.DemoPath); an error
// wrapping cli.ErrAppNotRunning when none runs.
func tellApp(ctx context.Context, at func(service string) (string, error), service string, cmd instance.Command) error {
	path, err := at(service)
	if err != nil {
		return err
	}
	err = instance.Send(ctx, path, cmd)
	if errors.Is(err, instance.ErrNotRunning) {
		return fmt.Errorf("%w: %w", cli.ErrAppNotRunning, err)
	}
	return err
}
