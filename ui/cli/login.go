package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
	"github.com/tokentray/tokentray/ui/platform/browser"
)

// `tokentray login NAME` and `tokentray logout NAME`: a person signs in
// to a profile of a sign-in grant, or out of it. Login prints nothing on
// stdout (its words go to stderr, the browser's output too), so it can
// run where stdout is a pipe.

func runLogin(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "login")
	timeout := fs.Duration("timeout", tokens.DefaultSignInTimeout, "give up waiting for the sign-in after this long")
	noBrowser := fs.Bool("no-browser", false, "only print the address to open; start no browser")
	keyringTimeout := keyringTimeoutFlag(fs)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	name := pos[0]
	st := env.OpenStore(*keyringTimeout)
	p, err := loadProfile(ctx, st, name)
	if err != nil {
		return err
	}
	var res *tokens.TokenResult
	switch p.Normalized().Grant {
	case tokens.GrantAuthorizationCode:
		res, err = browserSignIn(ctx, env, p, *timeout, *noBrowser)
	case tokens.GrantDeviceCode:
		if !setFlag(fs, "timeout") {
			*timeout = tokens.DefaultDeviceLifetime // the device code's own lifetime bounds it too
		}
		res, err = deviceSignIn(ctx, env, p, *timeout)
	default:
		return usagef("%s uses the client credentials grant: it needs no sign-in (see 'tokentray edit --grant')", explain.Printable(name))
	}
	if err != nil {
		return err
	}
	var revokeOld tokens.RevokeFunc // the refresh token this sign-in replaces, if any
	if env.SignIn != nil {
		revokeOld = env.SignIn.RevokeRefresh
	}
	if _, _, err := tokens.ReplaceSignIn(ctx, st, p, res, revokeOld); err != nil {
		return err
	}
	// The running app may hold an earlier sign-in's token (perhaps
	// another account's): it drops it, and its reload (Env.ProfilesChanged)
	// then takes this sign-in's from the keyring.
	env.tokenDropped(name)
	fmt.Fprintln(env.Stderr, explain.SignedIn(name))
	return nil
}

// browserSignIn runs the authorization code sign-in: the URL on stderr,
// the browser opened unless noBrowser (its output on stderr too).
func browserSignIn(ctx context.Context, env *Env, p tokens.Profile, timeout time.Duration, noBrowser bool) (*tokens.TokenResult, error) {
	s := env.SignIn
	if s == nil {
		return nil, errors.New("this token client cannot sign in")
	}
	opts := tokens.SignInOptions{Timeout: timeout, ShowURL: func(u string) {
		fmt.Fprintf(env.Stderr, "%s\n\n  %s\n\n", explain.OpenToSignIn(p.Name), u)
	}}
	if !noBrowser {
		// The browser may write on after the sign-in: only a real file
		// (the terminal's stderr) is handed to it, never a buffer.
		opener := browser.Opener{}
		if f, ok := env.Stderr.(*os.File); ok {
			opener.Output = f
		}
		opts.OpenBrowser = func(ctx context.Context, u string) error {
			err := opener.Open(ctx, u)
			if err != nil {
				fmt.Fprintln(env.Stderr, explain.NoBrowserHere(p.Name, p.IssuerURL != ""))
			}
			return err
		}
	}
	return s.SignIn(ctx, p, opts)
}

func runLogout(ctx context.Context, env *Env, args []string) error {
	a, err := parseIssuerCommand(env, "logout", "give up on the revocation endpoint after this long", args)
	if err != nil {
		return err
	}
	st := env.OpenStore(a.keyringTimeout)
	p, err := loadProfile(ctx, st, a.name)
	if err != nil {
		return err
	}
	revoke := func(ctx context.Context, p tokens.Profile, refresh string) error {
		if env.SignIn == nil {
			return errors.New("this token client cannot revoke")
		}
		ctx, cancel := context.WithTimeout(ctx, a.timeout)
		defer cancel()
		return env.SignIn.RevokeRefresh(ctx, p, refresh)
	}
	revoked, err := tokens.SignOut(ctx, st, p, revoke) // as the window's Sign out
	if err != nil {
		return err
	}
	// The running app forgets the access token too, and says not signed in.
	env.tokenDropped(a.name)
	fmt.Fprintln(env.Stdout, explain.SignedOut(a.name, revoked))
	return nil
}

// signInState is what list shows of a sign-in profile's refresh token:
// a sign-in needed error when none is stored for its sign-in, else nil
// and when the sign-in ends (nil when the server did not say).
func signInState(ctx context.Context, st tokens.Store, p tokens.Profile) (ends *time.Time, needed error) {
	rt, err := tokens.StoredRefresh(ctx, st, p)
	switch {
	case errors.Is(err, tokens.ErrSignInNeeded):
		return nil, err
	case err == nil && !rt.ExpiresAt.IsZero():
		return &rt.ExpiresAt, nil
	}
	return nil, nil
}

// setFlag reports whether the named flag was given.
func setFlag(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
