package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/tokentray/tokentray/ui/instance"
)

// runPick asks the running tray app (of $TOKENTRAY_KEYRING_SERVICE's
// profile set) to open its quick picker: `tokentray pick`, for a desktop
// keyboard shortcut. When no real app runs but a demo does (make run), the
// demo's picker opens and stderr says it is the demo's; --demo asks the
// demo alone.
func runPick(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "pick")
	demo := fs.Bool("demo", false, "ask the demo app (tokentray --demo, make run) instead of the real one")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	service := os.Getenv("TOKENTRAY_KEYRING_SERVICE")
	if *demo {
		err := send(ctx, instance.DemoPath, service)
		if errors.Is(err, instance.ErrNotRunning) {
			return errors.New("no demo is running; start one with 'tokentray --demo' (make run) and try again")
		}
		return err
	}
	err := send(ctx, instance.Path, service)
	if !errors.Is(err, instance.ErrNotRunning) {
		return err
	}
	if send(ctx, instance.DemoPath, service) == nil {
		fmt.Fprintln(env.Stderr, "tokentray pick: Tokentray is not running with your profiles; the demo (tokentray --demo) is, and opened its picker")
		return nil
	}
	return errors.New("Tokentray is not running; start it (tokentray) and try again")
}

// send sends the Pick command to the app at the socket path gives for
// service.
func send(ctx context.Context, path func(string) (string, error), service string) error {
	p, err := path(service)
	if err == nil {
		err = instance.Send(ctx, p, instance.Pick)
	}
	if err != nil && !errors.Is(err, instance.ErrNotRunning) {
		return fmt.Errorf("asking the running Tokentray: %w", err)
	}
	return err
}
