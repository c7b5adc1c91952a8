package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// DefaultKeyringTimeout bounds each keyring call: long enough to answer an
// unlock prompt.
const DefaultKeyringTimeout = 60 * time.Second

func keyringTimeoutFlag(fs *flag.FlagSet) *time.Duration {
	return fs.Duration("keyring-timeout", DefaultKeyringTimeout, "give up on the OS keyring after this long (e.g. an unanswered unlock prompt)")
}

// loadProfile returns the named profile of st (a *notFoundError when st
// does not hold it, a *tokens.ProfileError when it cannot be read).
func loadProfile(ctx context.Context, st tokens.Store, name string) (tokens.Profile, error) {
	c, err := loadCached(ctx, st, name)
	return c.Profile, err
}

// loadCached returns the named profile of st with its cached token, read
// together (tokens.ReadCached); errors as loadProfile.
func loadCached(ctx context.Context, st tokens.Store, name string) (tokens.Cached, error) {
	c, err := tokens.ReadCached(ctx, st, name)
	var pe *tokens.ProfileError
	if errors.Is(err, tokens.ErrNotFound) && !errors.As(err, &pe) {
		return tokens.Cached{}, &notFoundError{name}
	}
	return c, err
}

func runAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "add")
	pf := newProfileFlags(fs, false)
	timeout := keyringTimeoutFlag(fs)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	p := tokens.Profile{Name: strings.TrimSpace(pos[0])}
	if err := pf.apply(&p); err != nil {
		return err
	}
	needSecret := p.Normalized().Auth.UsesSecret()
	// Check everything but the secret before asking for it.
	if err := validateWithoutSecret(p); err != nil {
		return err
	}
	st := env.OpenStore(*timeout)
	if _, err := loadProfile(ctx, st, p.Name); err == nil {
		return fmt.Errorf("a profile named %q exists already; change it with 'tokentray edit %s'", p.Name, p.Name)
	} else if !isNotFound(err) {
		return err
	}
	if needSecret {
		if p.ClientSecret, err = readSecret(env, p.Name); err != nil {
			return err
		}
	}
	return save(ctx, env, st, p, "Added")
}

func runEdit(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "edit")
	pf := newProfileFlags(fs, true)
	timeout := keyringTimeoutFlag(fs)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	given := 0
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "keyring-timeout" {
			given++
		}
	})
	if given == 0 {
		return usagef("nothing to change: give the flags of the fields to change (see 'tokentray edit --help')")
	}
	st := env.OpenStore(*timeout)
	p, err := loadProfile(ctx, st, pos[0])
	if err != nil {
		return err
	}
	if err := pf.apply(&p); err != nil {
		return err
	}
	auth := p.Normalized().Auth
	if !auth.UsesSecret() {
		p.ClientSecret = ""
	}
	needSecret := pf.readSec || (auth.UsesSecret() && p.ClientSecret == "")
	if needSecret || len(pf.readHeaders)+len(pf.readParams) > 0 {
		if err := validateWithoutSecret(p); err != nil {
			return err
		}
		if err := readCredentials(env, &p, needSecret, pf.readHeaders, pf.readParams); err != nil {
			return err
		}
	}
	return saveEdited(ctx, env, st, p)
}

// engine returns the token engine over st, for its one write path
// (SaveProfile, DeleteProfile). The caller closes it.
func engine(env *Env, st tokens.Store) *tokens.Manager {
	return tokens.NewManager(tokens.ManagerOptions{Fetcher: env.Fetcher, Store: st, Now: env.Now})
}

// save validates p, stores it and confirms with verb ("Added profile x.").
func save(ctx context.Context, env *Env, st tokens.Store, p tokens.Profile, verb string) error {
	m := engine(env, st)
	defer m.Close()
	if err := m.SaveProfile(ctx, "", p); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s profile %s.\n", verb, explain.Printable(p.Name))
	return nil
}

// validateWithoutSecret validates p as if it had its secrets (the client
// secret, blank credential values: tokens.Profile.ValidateDraft), so flag
// mistakes are reported before the user is asked for them.
func validateWithoutSecret(p tokens.Profile) error {
	return p.ValidateDraft()
}

func isNotFound(err error) bool {
	var nf *notFoundError
	return errors.As(err, &nf) || errors.Is(err, tokens.ErrNotFound)
}

func runRemove(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "rm")
	timeout := keyringTimeoutFlag(fs)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	m := engine(env, env.OpenStore(*timeout))
	defer m.Close()
	if err := m.DeleteProfile(ctx, pos[0]); err != nil {
		if errors.Is(err, tokens.ErrNotFound) {
			return &notFoundError{pos[0]}
		}
		return err
	}
	env.tokenDropped(pos[0]) // the running app must not hand out its token either
	fmt.Fprintf(env.Stdout, "Removed profile %s.\n", explain.Printable(pos[0]))
	return nil
}

// MaxMinValid is the largest --min-valid accepted: beyond it the value is
// surely a mistake (a unit typo), not a need.
const MaxMinValid = 7 * 24 * time.Hour

// DefaultTokenMinValid is how long the token `tokentray token` prints
// stays valid at least, unless --min-valid says otherwise.
const DefaultTokenMinValid = 60 * time.Second

// tokenFormats are token's --format values (writeToken writes each).
var tokenFormats = []string{"raw", "bearer", "header", "json", "env", "exec-credential"}

func runToken(ctx context.Context, env *Env, args []string) (err error) {
	fs := newFlagSet(env, "token")
	minValid := fs.Duration("min-valid", DefaultTokenMinValid, "the printed token stays valid at least this long (0 to "+explain.Setting(MaxMinValid)+"); a cached token that\ndoes not is replaced, and if even a fresh one does not, nothing is printed (exit 5)")
	format := fs.String("format", "raw", "output: raw (the token), bearer ('Bearer <token>'), header ('Authorization: Bearer <token>'), json,\nenv ('export ACCESS_TOKEN=…' for eval) or exec-credential (a Kubernetes ExecCredential for kubectl);\nall but raw and json refuse tokens whose type is not Bearer")
	timeout := fs.Duration("timeout", tokens.DefaultFetchTimeout, "give up on the token endpoint after this long")
	keyringTimeout := keyringTimeoutFlag(fs)
	verbose := fs.Bool("v", false, "print the token request made and its answer on stderr, secrets redacted (or say the token came from the cache)")
	verify := fs.Bool("verify", false, "check the token against its issuer (signature, exp/nbf/iat, iss, aud); the verdict goes to stderr,\nthe token to stdout all the same; exit 6 when it is invalid, 7 when it could not be checked")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if !slices.Contains(tokenFormats, *format) {
		return usagef("--format %q: use %s", *format, strings.Join(tokenFormats, ", "))
	}
	switch {
	case *minValid < 0:
		return usagef("--min-valid %s: must not be negative", *minValid)
	case *minValid > MaxMinValid:
		return usagef("--min-valid %s: more than the %s limit (a unit typo?)", *minValid, explain.Setting(MaxMinValid))
	case *timeout <= 0:
		return usagef("--timeout %s: must be positive", *timeout)
	}
	name := pos[0]
	if *verbose {
		var done func(error)
		ctx, done = traceLogEntries(ctx, env, name)
		defer func() { done(err) }()
	}
	t, err := getToken(ctx, env, *keyringTimeout, *timeout, name, *minValid)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := writeToken(&buf, t, *format, env.Now()); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if _, err = env.Stdout.Write(buf.Bytes()); err != nil || !*verify {
		return err
	}
	verifyCtx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	return verifyToken(verifyCtx, env, *keyringTimeout, name, t)
}

// writeToken formats t. It refuses a token that is not an RFC 6750
// b64token (it could carry a line break into a header) and, for the
// bearer and header formats, one whose type is not Bearer.
func writeToken(w io.Writer, t *tokens.Token, format string, now time.Time) error {
	if err := tokens.CheckAccessToken(t.AccessToken); err != nil {
		return fmt.Errorf("the cached token is unusable: %v", err)
	}
	if isToolFormat(format) {
		return writeToolFormat(w, t, format)
	}
	var err error
	switch format {
	case "bearer", "header":
		v, berr := t.BearerValue()
		if berr != nil {
			return berr
		}
		if format == "bearer" {
			_, err = fmt.Fprintf(w, "Bearer %s\n", v)
		} else {
			_, err = fmt.Fprintf(w, "Authorization: Bearer %s\n", v)
		}
	case "json":
		enc := json.NewEncoder(w)
		err = enc.Encode(struct {
			AccessToken string    `json:"access_token"`
			TokenType   string    `json:"token_type,omitempty"`
			Scope       string    `json:"scope,omitempty"`
			ExpiresAt   time.Time `json:"expires_at"`
			ExpiresIn   int64     `json:"expires_in"`
			Expiry      string    `json:"expiry_source"`
		}{t.AccessToken, t.TokenType, t.Scope, t.ExpiresAt, int64(t.ExpiresAt.Sub(now).Seconds()), string(t.ExpirySource)})
	default:
		_, err = fmt.Fprintln(w, t.AccessToken)
	}
	return err
}
