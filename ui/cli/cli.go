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
	"github.com/tokentray/tokentray/tokens/importers"
	"github.com/tokentray/tokentray/ui/curlcmd"
	"github.com/tokentray/tokentray/ui/explain"
)

// The process's exit codes. What each means is written once, in exitCodes
// (help.go), from which `tokentray help exit-codes` and every command's
// --help are printed.
const (
	ExitOK        = 0
	ExitFailure   = 1
	ExitUsage     = 2
	ExitKeyring   = 3
	ExitNotFound  = 4
	ExitTooShort  = 5
	ExitInvalid   = 6
	ExitUnchecked = 7
	ExitSignIn    = 8
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
	// Inspector verifies, introspects and revokes tokens; nil: those
	// commands fail.
	Inspector tokens.Inspector
	// Requests describes a profile's token request for `curl` (the HTTP
	// client, which discovers an issuer's token endpoint); nil: `curl`
	// fails.
	Requests curlcmd.Describer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ProfilesChanged, when set, is called after a command that may have
	// changed the stored profiles or sign-ins (add, edit, rm, import,
	// login, logout), even one that failed part way: the running tray app
	// is told to reload them.
	ProfilesChanged func()
	// AskApp asks the running tray app of the profile set for the named
	// profile's token, valid for at least minValid, within a few
	// milliseconds; gitHosts are the profile's git hosts. ok false (no
	// app, no token it may hand out, no answer in time) sends the command
	// to the keyring, silently. nil: the app is never asked.
	AskApp func(ctx context.Context, name string, minValid time.Duration) (t *tokens.Token, gitHosts []string, ok bool)
	// TokenDropped, when set, tells the running tray app that the named
	// profile's token was revoked or the profile removed, and returns when
	// the app forgot the token (best effort: the app also stops answering
	// when the keyring changed behind it).
	TokenDropped func(name string)
	// Pick asks the running tray app to open its quick picker; an error
	// wrapping ErrAppNotRunning when no app runs. nil: `pick` reports that
	// no app runs.
	Pick func(ctx context.Context) error
	// PickDemo asks a running demo app (tokentray --demo) to open its
	// picker; an error wrapping ErrAppNotRunning when no demo runs.
	PickDemo func(ctx context.Context) error
	// SignIn signs a person in to a sign-in profile and out of it (login,
	// logout; oauth.Client). nil: those commands say they cannot.
	SignIn tokens.Signer
	// AppStatus, when set, asks the running tray app for its status line
	// (AppStatus); an error means no app answered.
	AppStatus func(ctx context.Context) ([]byte, error)

	// flagSink, when set, is given each flag set a command makes, before
	// it parses (completion.go reads the commands' flags this way).
	flagSink func(*flag.FlagSet)
}

// ErrAppNotRunning is wrapped by Env.Pick when no tray app of the profile
// set is running.
var ErrAppNotRunning = errors.New("the tray app is not running")

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
		{"token", "NAME [-v] [--min-valid " + explain.Setting(DefaultTokenMinValid) + "] [--format " + strings.Join(tokenFormats, "|") + "] [--verify]", "print a token valid for at least --min-valid (-v: the token request made, redacted, on stderr; --verify: check it against its issuer, verdict on stderr)", runToken, false},
		{"curl", "NAME", "print the profile's token request as a curl command (secrets read from environment variables it names)", runCurl, false},
		{"introspect", "NAME", "ask the issuer about the profile's token (RFC 7662 introspection)", runIntrospect, false},
		{"login", "NAME [--no-browser] [--timeout 3m]", "sign in as yourself to a profile of the authorization_code or device_code grant (nothing on stdout)", runLogin, true},
		{"logout", "NAME", "sign out: revoke the profile's refresh token (RFC 7009) and remove both tokens from the keyring", runLogout, true},
		{"revoke", "NAME", "revoke the profile's cached token (RFC 7009) and remove it from the keyring", runRevoke, false},
		{"exec", "NAME [--env VAR] [--min-valid " + explain.Setting(DefaultExecMinValid) + "] -- COMMAND [ARGS…]", "run COMMAND with a token in its environment ($ACCESS_TOKEN)", runExec, false},
		{"git-credential", "NAME get|store|erase", "git credential helper: answers git with the profile's token", runGitCredential, false},
		{"export", "[--with-secrets] [FILE]", "write profiles as JSON (secrets only when asked)", runExport, false},
		{"import", importUsage, fmt.Sprintf("add or replace profiles from an export file, or from Postman, Bruno or Insomnia (limits: an export %s, --from %s, %d profiles, and per-field limits such as names of %d bytes without control characters: 'tokentray help limits'; a profile without secrets keeps the stored ones only for the same token URL or issuer, client ID and authentication method, and no added endpoint origin)",
			explain.Size(importers.MaxExportBytes), explain.Size(importers.MaxFileSize), importers.MaxProfiles, tokens.MaxNameLen), runImport, true},
		{"repair", "", "rebuild the keyring's list of profiles from the profiles it holds, when the list is damaged (deletes nothing)", runRepair, true},
		{"autostart", "on|off|status", "start the tray app when you log in, or stop doing so", runAutostart, false},
		{"pick", "[--demo]", "open the running tray app's quick picker (bind it to a key in your desktop's keyboard settings)", runPick, false},
		{"completion", "bash|zsh|fish|powershell", "print a shell completion script: subcommands, flags, their values and profile names", runCompletion, false},
		{"version", "", "print the version, the commit and its date, the Go and Fyne versions (also --version)", runVersion, false},
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
	if arg == "help" || arg == "-h" || arg == "--help" || arg == "-help" || arg == "--version" {
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
	if len(args) > 0 && args[0] == "--version" {
		args = append([]string{"version"}, args[1:]...)
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		return help(ctx, args, env)
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
			msg := describe(err)
			if ma := (*missingArgError)(nil); errors.As(err, &ma) && ma.name && c.name != "add" {
				msg += "; " + storedNames(ctx, &env)
			}
			fmt.Fprintf(env.Stderr, "tokentray %s: %s\n", c.name, oneLine(msg))
			return exitCode(err)
		}
		return ExitOK
	}
	return unknown(args[0], env)
}

// usageError marks a bad command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// missingArgError is a command line that lacks a positional argument;
// name is set when that is the profile's name.
type missingArgError struct {
	usageError
	name bool
}

func (e *missingArgError) Unwrap() error { return &e.usageError }

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
	case errors.Is(err, tokens.ErrKeyringUnavailable), errors.Is(err, tokens.ErrKeyringTimeout), errors.Is(err, tokens.ErrKeyringLocked):
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
	if env.flagSink != nil {
		env.flagSink(fs)
	}
	fs.Usage = func() {
		for _, c := range commands() {
			if c.name == name {
				fmt.Fprintf(env.Stderr, "Usage: tokentray %s\n\n%s.\n\nFlags:\n", usageLine(name), upperFirst(c.summary))
			}
		}
		fs.PrintDefaults()
		fmt.Fprint(env.Stderr, exitCodeHelp())
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
			return nil, &usageError{err.Error() + flagHint(fs, args)}
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
		what, name := "argument", len(pos) == 0 && strings.HasPrefix(usageLine(fs.Name()), fs.Name()+" NAME")
		if name {
			what = "profile NAME"
		}
		return nil, &missingArgError{usageError{fmt.Sprintf("missing %s (usage: tokentray %s)", what, usageLine(fs.Name()))}, name}
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
