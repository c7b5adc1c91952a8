package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/importers"
	"github.com/tokentray/tokentray/ui/explain"
)

// importUsage is the import command's usage.
const importUsage = "FILE [--dry-run] | --from postman|bruno|insomnia PATH [--env FILE|NAME] [--dry-run] [--replace]"

// runImport imports a Tokentray export (FILE, - for stdin) or another
// tool's collection (--from) through the one import pipeline
// (importers.NewPlan, importers.Apply) that the window's Import… uses too.
// An export adds or replaces profiles (importers.ReplacesByDefault); its
// refusals are listed on stderr by name. A collection's plan is printed as
// a table, and stored profiles are replaced only with --replace. Secrets
// the source lacks are asked for on a terminal; otherwise the profile is
// saved without one and the command that finishes it is printed.
func runImport(ctx context.Context, env *Env, args []string) error {
	fset := newFlagSet(env, "import")
	from := fset.String("from", "", "read another tool's collection: postman (a collection file), bruno (a collection folder) or insomnia (an export file); without it, FILE is a Tokentray export (- reads stdin)")
	envChoice := fset.String("env", "", "with --from: Postman: an environment export `FILE`; Bruno and Insomnia: the environment's NAME (default: the only one)")
	dryRun := fset.Bool("dry-run", false, "print what would be imported, secrets masked, and save nothing")
	replace := fset.Bool("replace", false, "replace stored profiles of the same name (otherwise they are left alone); a Tokentray export always replaces them")
	timeout := keyringTimeoutFlag(fset)
	pos, err := parse(fset, args, 1, 1)
	if err != nil {
		return err
	}
	format := importers.Tokentray
	if *from != "" {
		format = importers.Format(*from)
		if !slices.Contains(importers.Formats, format) {
			return usagef("--from %q: use postman, bruno or insomnia", *from)
		}
	} else if *envChoice != "" {
		return usagef("--env goes with --from (a Tokentray export has no environments)")
	}
	res, err := readSource(env, format, pos[0], *envChoice)
	if err != nil {
		return err
	}
	st := env.OpenStore(*timeout)
	existing, _, err := st.Load(ctx)
	if err != nil && !*dryRun {
		return err
	}
	if err != nil {
		// A preview needs no keyring; only the clashes are unknown.
		fmt.Fprintf(env.Stderr, "tokentray import: the stored profiles cannot be read, so clashes are not shown: %s\n", oneLine(describe(err)))
	}
	plan, err := importers.NewPlan(res, existing, *replace || importers.ReplacesByDefault(format))
	if err != nil {
		return err
	}
	table := *dryRun || format != importers.Tokentray
	if table {
		if err := explain.ImportTable(env.Stdout, plan); err != nil {
			return err
		}
	}
	if *dryRun {
		fmt.Fprintln(env.Stdout, "\nDry run: nothing was saved.")
		return nil
	}
	if !table {
		listRefused(env, plan)
	}
	secrets, err := askSecrets(env, plan)
	if err != nil {
		return err
	}
	m := engine(env, st)
	defer m.Close()
	outcome, err := importers.Apply(ctx, m, plan, secrets)
	if table {
		fmt.Fprintf(env.Stdout, "\nImported %d profiles.\n", outcome.Saved())
	} else {
		fmt.Fprintf(env.Stdout, "Imported %d profiles (%d new, %d replaced).\n", outcome.Saved(), len(outcome.New), len(outcome.Replaced))
	}
	finishLater(env, outcome)
	if err != nil {
		return err
	}
	notImported := len(plan.Rows) - plan.Importable()
	switch {
	case notImported > 0 && table:
		return fmt.Errorf("%d of %d profiles were not imported (see the table)", notImported, len(plan.Rows))
	case notImported > 0:
		return fmt.Errorf("%d of %d profiles were rejected (see above)", notImported, len(plan.Rows))
	case len(plan.Rows) == 0 && format != importers.Tokentray:
		return errors.New("the source holds no client credentials or authorization code configuration")
	}
	return nil
}

// readSource reads the import source at path ("-": a Tokentray export on
// stdin).
func readSource(env *Env, format importers.Format, path, envChoice string) (*importers.Result, error) {
	if format == importers.Tokentray && path == "-" {
		if env.Stdin == nil {
			return importers.ReadExport(strings.NewReader(""), "stdin")
		}
		return importers.ReadExport(env.Stdin, "stdin")
	}
	res, err := importers.Read(format, path, importers.Options{Environment: envChoice})
	var pe *fs.PathError
	if err != nil && (format != importers.Tokentray || errors.As(err, &pe)) {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return res, err
}

// listRefused writes, for an export, each profile that is not imported
// with the reason, on stderr.
func listRefused(env *Env, plan importers.Plan) {
	for i, r := range plan.Rows {
		if r.Action.Importable() {
			continue
		}
		name := explain.Printable(r.Profile.Name)
		if name == "" || tokens.CheckName(r.Profile.Name) != nil {
			name = fmt.Sprintf("#%d %s", i+1, name)
		}
		fmt.Fprintf(env.Stderr, "tokentray import: profile %q not imported: %s\n", name, oneLine(explain.ImportReason(r)))
	}
}

// askSecrets asks for the secrets the plan lacks on a terminal, without
// echo; without a terminal it asks nothing.
func askSecrets(env *Env, plan importers.Plan) (map[string]string, error) {
	secrets := map[string]string{}
	missing := plan.MissingSecrets()
	if len(missing) == 0 || env.StdinIsTerminal == nil || !env.StdinIsTerminal() || env.ReadPassword == nil {
		return secrets, nil
	}
	where := "kept outside the collection"
	if plan.Format == importers.Tokentray {
		where = "not in the export"
	}
	fmt.Fprintln(env.Stderr)
	for _, name := range missing {
		s, err := env.ReadPassword(fmt.Sprintf("Value of %s (%s; empty to skip): ", name, where))
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		secrets[name] = strings.TrimSpace(s)
	}
	return secrets, nil
}
