package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/importers"
	"github.com/tokentray/tokentray/ui/explain"
)

// The help text: a short overview (`tokentray --help`), and topics read
// with `tokentray help TOPIC`. Every number in it comes from the constant
// that enforces it, every list from the list the code uses.

// exitCodes says what each exit code means: the one place it is written.
var exitCodes = []struct {
	code    int
	meaning string
}{
	{ExitOK, "success"},
	{ExitFailure, "the operation failed (token endpoint refused, invalid profile, bad file)"},
	{ExitUsage, "bad command line"},
	{ExitKeyring, "the OS keyring is unavailable, locked, or did not answer in time"},
	{ExitNotFound, "no such profile"},
	{ExitTooShort, "token: even a fresh token does not stay valid for --min-valid (nothing is\nprinted on stdout; stderr names the lifetime the server gives)"},
	{ExitInvalid, "token --verify, list --verify: a token is invalid (bad signature, expired,\nwrong issuer or audience…; the token is still printed); introspect: the\nissuer says the token is not active"},
	{ExitUnchecked, "token --verify, list --verify: a token could not be checked (the issuer's\nkeys could not be had, or the token is not a JWT)"},
	{ExitSignIn, "sign-in needed: no one is signed in to the profile, or its session ended\n(the server refused its refresh token, or a refresh's ID token failed its check);\nrun tokentray login NAME"},
}

// exitCodeHelp is the exit codes section of the help.
func exitCodeHelp() string {
	var b strings.Builder
	b.WriteString("\nExit codes:\n")
	for _, e := range exitCodes {
		fmt.Fprintf(&b, "  %d  %s\n", e.code, strings.ReplaceAll(e.meaning, "\n", "\n     "))
	}
	return b.String()
}

// limitsHelp is `tokentray help limits`, from the constants that enforce
// each limit (tokens' field limits, the import pipeline's).
func limitsHelp() string {
	size := explain.Size
	return fmt.Sprintf(`
Limits (checked before anything is read whole or stored):
  import: a Tokentray export %s (by its size, before reading); another
  tool's file (--from) %s; a Bruno folder %d files and %s in all;
  %d profiles at once.
  Profile name %d bytes, no control or bidirectional characters; URLs %d
  bytes; client ID %d bytes; secret, keys and certificate %s each; CA bundle
  %s; %d scopes of %d bytes; %d parameters and %d headers of %d bytes;
  audience, resource and key ID %d bytes; token responses %s.
`,
		size(importers.MaxExportBytes), size(importers.MaxFileSize), importers.MaxFolderFiles, size(importers.MaxFolderBytes),
		importers.MaxProfiles,
		tokens.MaxNameLen, tokens.MaxURLLen,
		tokens.MaxClientIDLen, size(tokens.MaxSecretLen),
		size(tokens.MaxCABundleLen), tokens.MaxScopes, tokens.MaxScopeLen, tokens.MaxParams, tokens.MaxHeaders, tokens.MaxParamLen,
		tokens.MaxValueLen, size(tokens.MaxResponseBytes))
}

// helpTopics are the topics of `tokentray help TOPIC` besides the commands.
var helpTopics = []struct {
	name, summary string
	text          func() string
}{
	{"limits", "the size limits on files, profiles and answers", limitsHelp},
	{"exit-codes", "what each exit code means", exitCodeHelp},
}

// appFlags are the tray app's own flags (tokentray without a command).
var appFlags = []string{"demo", "demo-profiles", "show"}

// ForCommandLine reports whether args (without the program name) are the
// command line's to run: a command, or any first word that is not one of
// the tray app's own flags, so that a mistyped command or flag gets the
// command line's help and "did you mean" instead of the tray app starting
// or Go's bare flag usage. Empty args start the tray app.
func ForCommandLine(args []string) bool {
	return len(args) > 0 && (IsSubcommand(args[0]) || !IsAppFlag(args[0]))
}

// IsAppFlag reports whether arg is one of the tray app's own flags
// (-show, --demo, --demo-profiles=5): anything else that starts with a
// dash is the command line's to refuse, with its help.
func IsAppFlag(arg string) bool {
	name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	return strings.HasPrefix(arg, "-") && slices.Contains(appFlags, name)
}

// mainUsage is the overview: what Tokentray is, the commands in a line
// each, and where to read more.
func mainUsage() string {
	var b strings.Builder
	b.WriteString(`Tokentray keeps OAuth 2.0 client-credentials profiles in the OS keyring and
hands out bearer tokens, cached and refreshed before they expire.

Usage:
  tokentray [--demo] [--show]   start the tray app (--demo: in-memory demo profiles)
  tokentray COMMAND [flags]

Commands:
`)
	for _, c := range commands() {
		short, _, _ := strings.Cut(c.summary, " (")
		fmt.Fprintf(&b, "  %-14s %s\n", c.name, short)
	}
	b.WriteString(`
Example:
  printf '%s' "$CLIENT_SECRET" | tokentray add dev-api \
      --token-url https://auth.example.com/oauth/token --client-id my-client --scope api.read
  curl -H "$(tokentray token dev-api --format header)" https://api.example.com/things

Read more:
  tokentray COMMAND --help   a command's arguments and flags
`)
	for _, t := range helpTopics {
		fmt.Fprintf(&b, "  tokentray help %-11s %s\n", t.name, t.summary)
	}
	return b.String()
}

// choices words a flag's allowed values, the default first: "form
// (default) or json".
func choices[T ~string](values ...T) string {
	var b strings.Builder
	for i, v := range values {
		switch {
		case i == 0:
		case i == len(values)-1:
			b.WriteString(" or ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(string(v))
		if i == 0 {
			b.WriteString(" (default)")
		}
	}
	return b.String()
}
