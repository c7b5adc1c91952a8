package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/keyring"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/ui/instance"
)

// OSEnv is the Env of a real process: the terminal, the OS keyring and
// the HTTP token client. The keyring service name is "tokentray", or
// $TOKENTRAY_KEYRING_SERVICE when set (separate profile sets, tests).
func OSEnv() Env {
	stdin := int(os.Stdin.Fd())
	service := os.Getenv("TOKENTRAY_KEYRING_SERVICE")
	client := oauth.NewClient(oauth.ClientOptions{})
	return Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		StdinIsTerminal: func() bool { return term.IsTerminal(stdin) },
		ReadPassword: func(prompt string) (string, error) {
			fmt.Fprint(os.Stderr, prompt)
			b, err := term.ReadPassword(stdin)
			fmt.Fprintln(os.Stderr)
			return string(b), err
		},
		OpenStore: func(timeout time.Duration) tokens.Store {
			return keyring.NewStore(keyring.Options{Service: service, Timeout: timeout})
		},
		Fetcher:   client,
		Inspector: client,
		Now:       time.Now,
		// Best effort: with no tray app running there is no one to tell.
		ProfilesChanged: func() {
			if path, err := instance.Path(service); err == nil {
				_ = instance.Send(context.Background(), path, instance.Reload)
			}
		},
		AppStatus: func(ctx context.Context) ([]byte, error) {
			path, err := instance.Path(service)
			if err != nil {
				return nil, err
			}
			return instance.Ask(ctx, path)
		},
	}
}
