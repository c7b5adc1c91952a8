package cli

import (
	"context"
	"errors"
	"fmt"
)

// runPick asks the running tray app (of $TOKENTRAY_KEYRING_SERVICE's
// profile set) to open its quick picker: `tokentray pick`, for a desktop
// keyboard shortcut.
func runPick(ctx context.Context, env *Env, args []string) error {
	if _, err := parse(newFlagSet(env, "pick"), args, 0, 0); err != nil {
		return err
	}
	err := ErrAppNotRunning
	if env.Pick != nil {
		err = env.Pick(ctx)
	}
	switch {
	case errors.Is(err, ErrAppNotRunning):
		return errors.New("Tokentray is not running; start it (tokentray) and try again")
	case err != nil:
		return fmt.Errorf("asking the running Tokentray: %w", err)
	}
	return nil
}
