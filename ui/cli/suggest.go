package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"
)

// A mistyped word gets the nearest real one: a command ("lsit": did you
// mean list?), a top-level flag (--hepl: --help, then the overview), a
// command's flag (--fromat: --format), and a command missing its profile
// name lists the stored names.

// help runs `tokentray help [COMMAND|TOPIC]` (and -h, --help): the
// overview, a topic, or a command's own --help.
func help(ctx context.Context, args []string, env Env) int {
	if len(args) < 2 {
		fmt.Fprint(env.Stdout, mainUsage())
		return ExitOK
	}
	for _, t := range helpTopics {
		if t.name == args[1] {
			fmt.Fprint(env.Stdout, strings.TrimPrefix(t.text(), "\n"))
			return ExitOK
		}
	}
	if slices.Contains(Subcommands(), args[1]) {
		return Main(ctx, []string{args[1], "--help"}, env)
	}
	words := Subcommands()
	for _, t := range helpTopics {
		words = append(words, t.name)
	}
	fmt.Fprintf(env.Stderr, "tokentray help: no command or topic %q%s (run 'tokentray --help')\n", oneLine(args[1]), didYouMean(args[1], words, ""))
	return ExitUsage
}

// unknown refuses a first argument that is neither a command nor one of
// the tray app's flags, with the nearest one; a flag also gets the
// overview, since a person who types --hepl wants the help.
func unknown(arg string, env Env) int {
	if strings.HasPrefix(arg, "-") {
		name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		flags := append([]string{"help"}, appFlags...)
		fmt.Fprintf(env.Stderr, "tokentray: unknown flag %s%s\n\n%s", oneLine(arg), didYouMean(name, flags, "--"), mainUsage())
		return ExitUsage
	}
	fmt.Fprintf(env.Stderr, "tokentray: unknown command %q%s (run 'tokentray --help')\n", oneLine(arg), didYouMean(arg, Subcommands(), ""))
	return ExitUsage
}

// flagHint is "; did you mean --format?" for the first flag in args that
// fs does not define, from the flags it does; "" otherwise. It looks at
// the arguments, not at the flag package's error text.
func flagHint(fs *flag.FlagSet, args []string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name == "" || fs.Lookup(name) != nil {
			continue
		}
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		return didYouMean(name, names, "--")
	}
	return ""
}

// didYouMean is "; did you mean list?" when one of words is near word
// (see nearest), "" otherwise; dashes prefixes the suggestion.
func didYouMean(word string, words []string, dashes string) string {
	if w := nearest(word, words); w != "" {
		return "; did you mean " + dashes + w + "?"
	}
	return ""
}

// nearest returns the word of words closest to word by edit distance
// (insertions, deletions, substitutions and swaps of neighbours, case
// ignored), when it is close enough to be a typo: at most one edit for a
// word of up to four letters, two for a longer one. Ties go to the earlier
// word; nothing near gives "".
func nearest(word string, words []string) string {
	word = strings.ToLower(word)
	best, bestD := "", 3
	if len([]rune(word)) <= 4 {
		bestD = 2
	}
	for _, w := range words {
		if d := editDistance(word, strings.ToLower(w)); d < bestD {
			best, bestD = w, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b,
// in runes. Inputs are command-line words: a long one is not a typo of a
// command, so the work is capped.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 64
	}
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// storedNames words the stored profiles' names for a command that was
// given none: "stored profiles: billing, dev-api", or how to add one. A
// keyring that does not answer quickly adds nothing: the usage error is
// what matters.
func storedNames(ctx context.Context, env *Env) string {
	if env.OpenStore == nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	profiles, _, err := env.OpenStore(5 * time.Second).Load(ctx)
	switch {
	case err != nil && !errors.Is(err, context.Canceled):
		return "the stored profiles could not be listed: " + describe(err)
	case len(profiles) == 0:
		return "no profiles are stored yet ('tokentray add' or 'tokentray import')"
	}
	names := make([]string, len(profiles))
	for i, p := range profiles {
		names[i] = p.Name
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	const show = 20
	more := ""
	if len(names) > show {
		more = fmt.Sprintf(" and %d more ('tokentray list')", len(names)-show)
		names = names[:show]
	}
	return "stored profiles: " + strings.Join(names, ", ") + more
}
