package ui

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/tokentray/tokentray/ui/instance"
)

// runPick asks the running tray app (of $TOKENTRAY_KEYRING_SERVICE's
// profile set) to open its quick picker: `tokentray pick`, for a desktop
// keyboard shortcut. It returns the exit code.
func runPick(ctx context.Context) int {
	path, err := instance.Path(os.Getenv("TOKENTRAY_KEYRING_SERVICE"))
	if err == nil {
		err = instance.Send(ctx, path, instance.Pick)
	}
	switch {
	case errors.Is(err, instance.ErrNotRunning):
		fmt.Fprintln(os.Stderr, "tokentray pick: Tokentray is not running; start it (tokentray) and try again")
		return 1
	case err != nil:
		fmt.Fprintln(os.Stderr, "tokentray pick:", err)
		return 1
	}
	return 0
}
