package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// getToken returns a token of the named profile that stays valid for at
// least minValid: the running tray app's when it may hand one out
// (Env.AskApp), else the cached one when it does, else a fresh one. token, exec
// and git-credential all come through here, and so share one request across
// every process asking at once (the tray app included, tokens.SharedToken).
// A fresh token that lives shorter than minValid is a *tokens.LifetimeError:
// a script relying on --min-valid must not get it.
func getToken(ctx context.Context, env *Env, keyringTimeout, fetchTimeout time.Duration, name string, minValid time.Duration) (*tokens.Token, error) {
	if t, _, ok := fromApp(ctx, env, name, minValid); ok {
		return t, nil
	}
	st := env.OpenStore(keyringTimeout)
	c, err := loadCached(ctx, st, name)
	if err != nil {
		return nil, err
	}
	return tokenFor(ctx, env, st, c, fetchTimeout, minValid)
}

// tokenFor is getToken for a profile already read from st with its cached
// token (loadCached).
func tokenFor(ctx context.Context, env *Env, st tokens.Store, c tokens.Cached, fetchTimeout, minValid time.Duration) (*tokens.Token, error) {
	p := c.Profile
	name := p.Name
	fetchCtx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	t, err := tokens.SharedToken(fetchCtx, p, minValid, tokens.SharedTokenOptions{Cache: st, Fetcher: env.Fetcher, Now: env.Now, Cached: c.Token})
	if err == nil {
		err = tokens.CheckMinValid(t, env.Now(), minValid)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// requireBearer accepts a token that can be handed to another tool as a
// Bearer credential: its type is Bearer (or none, RFC 6750; RFC 6749 §7.1
// forbids using a type we do not understand) and it is an RFC 6750 b64token,
// so no line break or space can smuggle extra lines into git's credential
// protocol, a shell's eval or an HTTP header.
func requireBearer(t *tokens.Token) error {
	if err := tokens.CheckAccessToken(t.AccessToken); err != nil {
		return fmt.Errorf("the server issued a token that is not a valid Bearer token (RFC 6750 §2.1): %v; it is not handed out", err)
	}
	_, err := t.BearerValue()
	return err
}

// defaultMinValidError is a *tokens.LifetimeError for a --min-valid the
// user did not give: the command's own default asks for more than the
// server's tokens live (git-credential and exec ask for
// DefaultExecMinValid, where token asks for a minute).
type defaultMinValidError struct {
	command, profile string
	le               *tokens.LifetimeError
}

func (e *defaultMinValidError) Error() string { return e.le.Error() }
func (e *defaultMinValidError) Unwrap() error { return e.le }

// byDefault marks err, from command's token request for profile, as a
// *defaultMinValidError when it is a *tokens.LifetimeError and fs's
// --min-valid was not given; any other err is returned as it is.
func byDefault(fs *flag.FlagSet, command, profile string, err error) error {
	var le *tokens.LifetimeError
	if !errors.As(err, &le) {
		return err
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "min-valid" })
	if given {
		return err
	}
	return &defaultMinValidError{command: command, profile: profile, le: le}
}

// tokenDropped tells the running app, if any, that name's token is gone.
func (env *Env) tokenDropped(name string) {
	if env.TokenDropped != nil {
		env.TokenDropped(name)
	}
}

// fromApp is the running tray app's answer for name (Env.AskApp), held to
// the rules of the keyring path here too: a Bearer-usable token valid for
// at least minValid by this process's clock. ok false: ask the keyring.
func fromApp(ctx context.Context, env *Env, name string, minValid time.Duration) (t *tokens.Token, gitHosts []string, ok bool) {
	if env.AskApp == nil {
		return nil, nil, false
	}
	t, gitHosts, ok = env.AskApp(ctx, name, minValid)
	if !ok || t == nil || !t.ValidFor(env.Now(), minValid) {
		return nil, nil, false
	}
	return t, gitHosts, true
}
