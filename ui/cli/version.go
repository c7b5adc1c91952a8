package cli

import (
	"context"
	"fmt"

	"github.com/tokentray/tokentray/ui/buildinfo"
)

// runVersion prints the build's version, commit and date, Go and Fyne
// versions (`tokentray version`, `tokentray --version`).
func runVersion(_ context.Context, env *Env, args []string) error {
	if _, err := parse(newFlagSet(env, "version"), args, 0, 0); err != nil {
		return err
	}
	_, err := fmt.Fprint(env.Stdout, buildinfo.Read().String())
	return err
}
