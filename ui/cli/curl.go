package cli

import (
	"context"
	"fmt"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/curlcmd"
)

// runCurl is `tokentray curl NAME`: the profile's token request as a curl
// command on stdout (see package curlcmd). It prints no secret.
func runCurl(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "curl")
	timeout := fs.Duration("timeout", tokens.DefaultFetchTimeout, "give up on issuer discovery after this long")
	keyringTimeout := keyringTimeoutFlag(fs)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *timeout <= 0 {
		return usagef("--timeout %s: must be positive", *timeout)
	}
	name := pos[0]
	p, err := loadProfile(ctx, env.OpenStore(*keyringTimeout), name)
	if err != nil {
		return err
	}
	command, err := curlcmd.ForProfile(ctx, env.Requests, p, *timeout)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	_, err = fmt.Fprint(env.Stdout, command)
	return err
}
