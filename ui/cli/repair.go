package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// runRepair rebuilds the keyring's list of profiles from the profile items
// it holds (tokens.Repairer) and says what it found. Nothing is deleted.
func runRepair(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "repair")
	timeout := keyringTimeoutFlag(fs)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	m := engine(env, env.OpenStore(*timeout))
	defer m.Close()
	rep, err := m.RepairStore(ctx)
	if err != nil && !rep.Changed() {
		return err
	}
	w := env.Stdout
	switch {
	case !rep.Changed():
		fmt.Fprintf(w, "The list of profiles is intact: %s.\n", countedNames(rep.Profiles))
	case rep.ListWasDamaged:
		fmt.Fprintf(w, "The list of profiles was damaged; rebuilt it from the keyring: %s.\n", countedNames(rep.Profiles))
	default:
		fmt.Fprintf(w, "Rebuilt the list of profiles: %s.\n", countedNames(rep.Profiles))
		if len(rep.Added) > 0 {
			fmt.Fprintf(w, "Found again (stored but not listed): %s.\n", quotedNames(rep.Added))
		}
		if len(rep.Dropped) > 0 {
			fmt.Fprintf(w, "No longer listed (listed, but nothing is stored under the name): %s.\n", quotedNames(rep.Dropped))
		}
	}
	if rep.Ignored > 0 {
		fmt.Fprintf(w, "Left alone: %d item(s) named like profiles but longer than any profile name (%d bytes); Tokentray did not write them.\n", rep.Ignored, tokens.MaxNameLen)
	}
	for _, pe := range rep.Broken {
		fmt.Fprintf(w, "Cannot be read, kept so 'tokentray rm' can remove it: %q: %s.\n", pe.Name, oneLine(describe(pe.Err)))
	}
	// The repair stands even when the reload after it failed.
	return err
}

// countedNames words a list of profile names for a summary line: "no
// profiles", `1 profile ("a")`, `3 profiles ("a", "b", "c")`.
func countedNames(names []string) string {
	if len(names) == 0 {
		return "no profiles"
	}
	return profilesCount(len(names)) + " (" + quotedNames(names) + ")"
}

// profilesCount words a number of profiles: "1 profile", "3 profiles".
func profilesCount(n int) string {
	if n == 1 {
		return "1 profile"
	}
	return fmt.Sprintf("%d profiles", n)
}

// quotedNames quotes each name Go-style, so a name read back from a damaged
// keyring cannot put control or bidirectional characters on the terminal.
func quotedNames(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
