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

// CompletionTimeout bounds the keyring read behind completing a profile
// name: Tab completes nothing rather than wait on a slow or locked keyring.
const CompletionTimeout = 200 * time.Millisecond

// completionShells are the shells `tokentray completion` writes scripts for.
var completionShells = []string{"bash", "zsh", "fish", "powershell"}

// flagValues are the fixed values of the flags that take one of a set,
// offered by completion. Each is accepted by its command (a test runs them).
var flagValues = map[string][]string{
	"format": {"raw", "bearer", "header", "json", "env", "exec-credential"},
	"auth":   authMethodNames(),
	"body":   {"form", "json"},
	"alg":    {"RS256", "ES256", "PS256"},
	"from":   {"postman", "bruno", "insomnia"},
}

func authMethodNames() []string {
	var names []string
	for _, m := range tokens.AuthMethods {
		names = append(names, string(m))
	}
	return names
}

// topFlags are the flags offered for the first word: the tray app's own
// (appFlags, without --demo-profiles, which goes with --demo) and the
// command line's --help and --version.
var topFlags = []string{"--demo", "--show", "--help", "--version"}

// runCompletion prints a completion script for a shell, or, with --words
// (what the scripts call on each Tab), the candidates for one word.
func runCompletion(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "completion")
	words := fs.Bool("words", false, "used by the scripts: print the candidates for word --cword of the command line\nthat follows `--` (the program name first), one a line")
	cword := fs.Int("cword", -1, "with --words: the index of the word to complete (default: the last; one past\nthe last is an empty word)")
	// With --words the command line to complete follows "--" and is not
	// parsed (so the flags are parsed here without parse's interleaving).
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	if *words {
		line := fs.Args()
		if *cword < 0 || *cword > len(line) {
			*cword = len(line) - 1
		}
		if *cword < 1 {
			return nil
		}
		cur := ""
		if *cword < len(line) {
			cur = line[*cword]
		}
		for _, c := range completeWord(line[1:*cword], cur, func() []string { return profileNames(ctx, env) }) {
			fmt.Fprintln(env.Stdout, c)
		}
		return nil
	}
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	script, ok := completionScripts[pos[0]]
	if !ok {
		return usagef("no completion for %q: use %s", pos[0], strings.Join(completionShells, ", "))
	}
	_, err = io.WriteString(env.Stdout, script)
	return err
}

// completeWord returns the candidates for cur, the word being typed after
// the words before it (the program name left out). names gives the
// profile names, called only when a profile name is wanted.
func completeWord(before []string, cur string, names func() []string) []string {
	if len(before) == 0 {
		return withPrefix(append(Subcommands(), append([]string{"help"}, topFlags...)...), cur)
	}
	name := before[0]
	if name == "help" {
		if len(before) == 1 {
			return withPrefix(Subcommands(), cur)
		}
		return nil
	}
	c, ok := lookupCommand(name)
	if !ok {
		return nil
	}
	fs := commandFlags(c)
	// The value of a flag, as the next word or after "=".
	if flagName, value, ok := strings.Cut(cur, "="); ok && strings.HasPrefix(flagName, "-") {
		var out []string
		for _, v := range withPrefix(flagValues[strings.TrimLeft(flagName, "-")], value) {
			out = append(out, flagName+"="+v)
		}
		return out
	}
	positional := 0
	for i := 1; i < len(before); i++ {
		w := before[i]
		if w == "--" {
			return nil // the rest belongs to another command (exec)
		}
		if strings.HasPrefix(w, "-") && w != "-" {
			if f := lookupFlag(fs, w); f != nil && !isBoolFlag(f) && !strings.Contains(w, "=") {
				if i == len(before)-1 {
					return withPrefix(flagValues[f.Name], cur)
				}
				i++ // its value
			}
			continue
		}
		positional++
	}
	if strings.HasPrefix(cur, "-") {
		var flags []string
		fs.VisitAll(func(f *flag.Flag) { flags = append(flags, "--"+f.Name) })
		return withPrefix(append(flags, "--help"), cur)
	}
	args := positionalArgs(c)
	if positional >= len(args) {
		return nil
	}
	switch arg := args[positional]; {
	case arg == "NAME" && c.name != "add": // add names a new profile
		return withPrefix(names(), cur)
	case strings.Contains(arg, "|"):
		return withPrefix(strings.Split(arg, "|"), cur)
	}
	return nil
}

// positionalArgs are the leading positional arguments of c's usage line
// ("NAME get|store|erase" → NAME and get|store|erase): the words before
// the first flag, optional part or group.
func positionalArgs(c command) []string {
	var args []string
	for _, w := range strings.Fields(c.args) {
		if strings.ContainsAny(w[:1], "-[(") || strings.Contains(w, "…") {
			break
		}
		args = append(args, w)
	}
	return args
}

func lookupCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// commandFlags returns c's flags: c runs with --help on an Env that
// captures its flag set before it parses (and has nothing else: no
// command reaches the keyring, the network or a terminal before parsing).
func commandFlags(c command) *flag.FlagSet {
	var got *flag.FlagSet
	env := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Now: time.Now,
		flagSink: func(fs *flag.FlagSet) {
			if got == nil && fs.Name() == c.name {
				got = fs
			}
		}}
	_ = c.run(context.Background(), env, []string{"--help"})
	if got == nil {
		got = flag.NewFlagSet(c.name, flag.ContinueOnError)
	}
	return got
}

// lookupFlag returns the flag that word ("--format", "-v", "--format=json")
// names in fs, or nil.
func lookupFlag(fs *flag.FlagSet, word string) *flag.Flag {
	name, _, _ := strings.Cut(strings.TrimLeft(word, "-"), "=")
	return fs.Lookup(name)
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func withPrefix(words []string, prefix string) []string {
	var out []string
	for _, w := range words {
		if strings.HasPrefix(w, prefix) {
			out = append(out, w)
		}
	}
	return out
}

// nameLister is the part of a Store that lists profile names from its
// index alone (keyring.Store: never a secret, never an unlock prompt).
type nameLister interface {
	ProfileNames(ctx context.Context) ([]string, error)
}

// profileNames returns the stored profile names for completion, or none
// when the store cannot list names alone, is locked, fails, or does not
// answer within CompletionTimeout. Names that are not printable as they
// are (a tampered index) are left out: completion writes them to a
// terminal.
func profileNames(ctx context.Context, env *Env) []string {
	if env.OpenStore == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, CompletionTimeout)
	defer cancel()
	found := make(chan []string, 1)
	go func() {
		nl, ok := env.OpenStore(CompletionTimeout).(nameLister)
		if !ok {
			found <- nil
			return
		}
		names, err := nl.ProfileNames(ctx)
		if err != nil {
			names = nil
		}
		found <- names
	}()
	var names []string
	select {
	case names = <-found:
	case <-ctx.Done():
		return nil
	}
	var out []string
	for _, n := range names {
		if n != "" && tokens.Printable(n, maxMessageRunes) == n && !strings.ContainsAny(n, "\n\r") {
			out = append(out, n)
		}
	}
	return out
}
