// Package cli is Tokentray's command line: profile management and token
// output for scripts and for use without a display. It shares the tokens
// engine with the tray app and produces its own user-facing wording.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// Exit codes, documented in the help text.
const (
	ExitOK       = 0 // success
	ExitFailure  = 1 // the operation failed (token endpoint refused, profile invalid, …)
	ExitUsage    = 2 // bad command line
	ExitKeyring  = 3 // the OS keyring is unavailable or timed out
	ExitNotFound = 4 // no such profile
	ExitTooShort = 5 // token: even a fresh token does not stay valid for --min-valid
	// ExitInvalid: token --verify or list --verify found a token invalid, or
	// introspect was told the token is not active.
	ExitInvalid = 6
	// ExitUnchecked: token --verify or list --verify could not check a token
	// (no issuer keys to be had, a network failure, an opaque token).
	ExitUnchecked = 7
)

// Env is everything a command touches outside itself, so tests can run
// commands in-process. Main never calls os.Exit.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// StdinIsTerminal reports whether Stdin is an interactive terminal.
	StdinIsTerminal func() bool
	// ReadPassword prints prompt to the terminal and reads a line without echo.
	ReadPassword func(prompt string) (string, error)
	// OpenStore opens the profile store (the OS keyring in production).
	OpenStore func(timeout time.Duration) tokens.Store
	// Fetcher performs token requests.
	Fetcher tokens.Fetcher
	// Inspector verifies, introspects and revokes tokens; nil means the
	// Fetcher when it is one.
	Inspector tokens.Inspector
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ProfilesChanged, when set, is called after a command that may have
	// changed the stored profiles or sign-ins (add, edit, rm, import,
	// login, logout), even one that failed part way: the running tray app
	// is told to reload them.
	ProfilesChanged func()
}

// Command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, env *Env, args []string) error
	changes             bool // may change the stored profiles
}

func commands() []command {
	return []command{
		{"add", "NAME (--token-url URL | --issuer URL) --client-id ID [flags]", "add a client profile (secret read from stdin or a no-echo prompt)", runAdd, true},
		{"edit", "NAME [flags]", "change fields of a profile; only the flags given change", runEdit, true},
		{"rm", "NAME", "remove a profile and its cached token from the keyring", runRemove, true},
		{"list", "[--json] [--verify]", "list profiles with their token state and time left (--verify: and the verdict on each cached token)", runList, false},
		{"token", "NAME [-v] [--min-valid 60s] [--format raw|bearer|header|json|env|exec-credential] [--verify]", "print a token valid for at least --min-valid (-v: the token request made, redacted, on stderr; --verify: check it against its issuer, verdict on stderr)", runToken, false},
		{"curl", "NAME", "print the profile's token request as a curl command (secrets read from environment variables it names)", runCurl, false},
		{"introspect", "NAME", "ask the issuer about the profile's token (RFC 7662 introspection)", runIntrospect, false},
		{"login", "NAME [--no-browser] [--timeout 3m]", "sign in as yourself to a profile of the authorization_code or device_code grant (nothing on stdout)", runLogin, true},
		{"logout", "NAME", "sign out: revoke the profile's refresh token (RFC 7009) and remove both tokens from the keyring", runLogout, true},
		{"revoke", "NAME", "revoke the profile's cached token (RFC 7009) and remove it from the keyring", runRevoke, false},
		{"exec", "NAME [--env VAR] [--min-valid 5m] -- COMMAND [ARGS…]", "run COMMAND with a token in its environment ($ACCESS_TOKEN)", runExec, false},
		{"git-credential", "NAME get|store|erase", "git credential helper: answers git with the profile's token", runGitCredential, false},
		{"export", "[--with-secrets] [FILE]", "write profiles as JSON (secrets only when asked)", runExport, false},
		{"import", importUsage, "add or replace profiles from an export file, or from Postman, Bruno or Insomnia (limits: 8 MiB, 500 profiles, and per-field limits such as names of 100 bytes without control characters; a profile without secrets keeps the stored ones only for the same token URL or issuer, client ID and authentication method, and no added endpoint origin)", runImport, true},
		{"repair", "", "rebuild the keyring's list of profiles from the profiles it holds, when the list is damaged (deletes nothing)", runRepair, true},
		{"autostart", "on|off|status", "start the tray app when you log in, or stop doing so", runAutostart, false},
		{"pick", "", "open the running tray app's quick picker (bind it to a key in your desktop's keyboard settings)", runPick, false},
	}
}

// Subcommands lists the names of the command line's subcommands, in the
// order `tokentray --help` lists them: every name the dispatcher (Main,
// IsSubcommand) accepts besides the help forms.
func Subcommands() []string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return names
}

// IsSubcommand reports whether arg names a command-line subcommand (as
// opposed to the tray app's own flags).
func IsSubcommand(arg string) bool {
	if arg == "help" || arg == "-h" || arg == "--help" || arg == "-help" {
		return true
	}
	for _, c := range commands() {
		if c.name == arg {
			return true
		}
	}
	return false
}

// Main runs the subcommand in args (args[0] is the subcommand) and returns
// the process exit code. Errors go to env.Stderr as one line naming the
// profile and the cause.
func Main(ctx context.Context, args []string, env Env) int {
	if env.Now == nil {
		env.Now = time.Now
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			return Main(ctx, []string{args[1], "--help"}, env)
		}
		fmt.Fprint(env.Stdout, mainUsage())
		return ExitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, &env, args[1:])
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		if c.changes && env.ProfilesChanged != nil && (err == nil || exitCode(err) != ExitUsage) {
			env.ProfilesChanged()
		}
		if code, msg, ok := silentExit(err); ok {
			if msg != "" {
				fmt.Fprintf(env.Stderr, "tokentray %s: %s\n", c.name, oneLine(msg))
			}
			return code
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "tokentray %s: %s\n", c.name, oneLine(describe(err)))
			return exitCode(err)
		}
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "tokentray: unknown command %q (run 'tokentray --help')\n", args[0])
	return ExitUsage
}

func mainUsage() string {
	var b strings.Builder
	b.WriteString(`Tokentray keeps OAuth 2.0 client-credentials profiles in the OS keyring and
hands out bearer tokens, cached and refreshed before they expire.

Usage:
  tokentray [--demo] [--show]      start the tray app (--demo: in-memory demo profiles)
  tokentray COMMAND [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(&b, "%s\n          %s\n", strings.TrimRight(fmt.Sprintf("  %-7s %s", c.name, c.args), " "), c.summary)
	}
	b.WriteString(`
Run 'tokentray COMMAND --help' for a command's flags.

Example:
  printf '%s' "$CLIENT_SECRET" | tokentray add dev-api \
      --token-url https://auth.example.com/oauth/token --client-id my-client --scope api.read
  curl -H "$(tokentray token dev-api --format header)" https://api.example.com/things
` + exitCodeHelp + limitsHelp)
	return b.String()
}

const exitCodeHelp = `
Exit codes:
  0  success
  1  the operation failed (token endpoint refused, invalid profile, bad file)
  2  bad command line
  3  the OS keyring is unavailable or did not answer in time
  4  no such profile
  5  token: even a fresh token does not stay valid for --min-valid (nothing is
     printed on stdout; stderr names the lifetime the server gives)
  6  token --verify, list --verify: a token is invalid (bad signature, expired,
     wrong issuer or audience…; the token is still printed); introspect: the
     issuer says the token is not active
  7  token --verify, list --verify: a token could not be checked (the issuer's
     keys could not be had, or the token is not a JWT)
  8  sign-in needed: the profile's refresh token is gone or refused; run
     tokentray login NAME
`

const limitsHelp = `
Limits (checked before anything is read whole or stored):
  import file 8 MiB and 500 profiles; profile name 100 bytes, no control or
  bidirectional characters; URLs 2048 bytes; client ID 1024; secret, keys and
  certificate 64 KiB each; CA bundle 1 MiB; 100 scopes; 50 parameters and 50
  headers of 4096 bytes; token responses 1 MiB.
`

// usageError marks a bad command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// notFoundError names a missing profile.
type notFoundError struct{ name string }

func (e *notFoundError) Error() string {
	return fmt.Sprintf("no profile named %q (see 'tokentray list')", e.name)
}

func exitCode(err error) int {
	var ue *usageError
	var nf *notFoundError
	switch {
	case errors.As(err, &ue):
		return ExitUsage
	case errors.As(err, &nf), errors.Is(err, tokens.ErrUnknownProfile):
		return ExitNotFound
	case errors.Is(err, tokens.ErrKeyringUnavailable), errors.Is(err, tokens.ErrKeyringTimeout):
		return ExitKeyring
	case errors.As(err, new(*tokens.LifetimeError)):
		return ExitTooShort
	case errors.Is(err, tokens.ErrSignInNeeded):
		return ExitSignIn
	}
	return ExitFailure
}

// oneLine makes a message one printable line for stderr: errors quote
// files and servers (an environment's name, a parse error's line), so
// control characters and escape sequences go (tokens.Printable, the
// function behind explain.Printable, with room for a whole message).
func oneLine(s string) string {
	return tokens.Printable(s, maxMessageRunes)
}

// maxMessageRunes caps one message line; its parts have their own caps.
const maxMessageRunes = 4000

// newFlagSet returns a flag set whose errors and help go to env.Stderr and
// whose usage text names the command.
func newFlagSet(env *Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		for _, c := range commands() {
			if c.name == name {
				fmt.Fprintf(env.Stderr, "Usage: tokentray %s\n\n%s.\n\nFlags:\n", usageLine(name), upperFirst(c.summary))
			}
		}
		fs.PrintDefaults()
		fmt.Fprint(env.Stderr, exitCodeHelp)
	}
	return fs
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// parse parses args allowing flags before and after positional arguments
// ("add NAME --token-url …"), and checks the positional count.
func parse(fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	switch {
	case len(pos) < minPos:
		return nil, usagef("missing argument (usage: tokentray %s)", usageLine(fs.Name()))
	case len(pos) > maxPos:
		return nil, usagef("unexpected argument %q (usage: tokentray %s)", pos[maxPos], usageLine(fs.Name()))
	}
	return pos, nil
}

func usageLine(name string) string {
	for _, c := range commands() {
		if c.name == name {
			return strings.TrimSpace(c.name + " " + c.args)
		}
	}
	return name
}
