package cli

import (
	"context"
	"errors"
	"fmt"
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
	ask := func(f func(context.Context) error) error {
		if f == nil {
			return ErrAppNotRunning
		}
		return f(ctx)
	}
	if *demo {
		err := ask(env.PickDemo)
		if errors.Is(err, ErrAppNotRunning) {
			return errors.New("no demo is running; start one with 'tokentray --demo' (make run) and try again")
		}
		return asked(err)
	}
	err := ask(env.Pick)
	if !errors.Is(err, ErrAppNotRunning) {
		return asked(err)
	}
	if ask(env.PickDemo) == nil {
		fmt.Fprintln(env.Stderr, "tokentray pick: Tokentray is not running with your profiles; the demo (tokentray --demo) is, and opened its picker")
		return nil
	}
	return errors.New("Tokentray is not running; start it (tokentray) and try again")
}

// asked words a failure to reach a running app that is not its absence.
func asked(err error) error {
	if err != nil {
		return fmt.Errorf("asking the running Tokentray: %w", err)
	}
	return nil
}
