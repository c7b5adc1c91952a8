package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/importers"
	"github.com/tokentray/tokentray/ui/explain"
)

// ImportAction is what an import does with one profile read from another tool.
type ImportAction int

// The import actions.
const (
	ImportNew      ImportAction = iota // no profile by that name yet: added
	ImportReplace                      // --replace given: the stored profile is replaced
	ImportClash                        // a profile by that name exists: left alone
	ImportUnusable                     // the configuration cannot make a profile
)

// ImportRow is one profile of an import plan.
type ImportRow struct {
	importers.Candidate
	Action ImportAction
	// Reason explains ImportClash and ImportUnusable.
	Reason string
}

// ImportPlan is what importing a source would do, before anything is
// saved: the rows of `tokentray import --from … --dry-run` and of the
// window's Import… preview. A plan is a plain value.
type ImportPlan struct {
	Format  importers.Format
	Source  string
	Rows    []ImportRow
	Skipped []importers.Skipped
}

// PlanImport decides, for each profile read from a source, whether it is
// new, replaces a stored one (only with replace), clashes with one, or
// cannot be used; existing are the stored profiles.
func PlanImport(res *importers.Result, existing []tokens.Profile, replace bool) ImportPlan {
	plan := ImportPlan{Format: res.Format, Source: res.Source, Skipped: res.Skipped}
	stored := map[string]tokens.Profile{}
	for _, p := range existing {
		stored[p.Name] = p
	}
	for _, c := range res.Candidates {
		row := ImportRow{Candidate: c, Action: ImportNew}
		old, exists := stored[c.Profile.Name]
		if exists && replace {
			// The shared merge rule of `tokentray import`: a secret the
			// source lacks may come from the stored profile it replaces.
			kept, err := keepSecrets(row.Profile, old)
			if err != nil {
				c.Problems = append(slices.Clip(c.Problems), oneLine(describe(err)))
			} else {
				row.Profile = kept
			}
			if row.Profile.ClientSecret != "" {
				row.SecretMissing = ""
			}
		}
		switch {
		case len(c.Problems) > 0:
			row.Action, row.Reason = ImportUnusable, strings.Join(c.Problems, "; ")
		case exists && !replace:
			row.Action, row.Reason = ImportClash, "a profile by this name exists (--replace replaces it)"
		default:
			if err := validateWithoutSecret(row.Profile); err != nil {
				row.Action, row.Reason = ImportUnusable, oneLine(describe(err))
			} else if exists {
				row.Action = ImportReplace
			}
		}
		plan.Rows = append(plan.Rows, row)
	}
	return plan
}

// WriteTable writes the plan as the table `--dry-run` prints; secrets are
// masked (never their length), the token URL's query values and user info
// too (tokens.DisplayURL). Everything read from the file, cells and
// problems alike, goes through explain.Printable: a crafted file cannot
// move the cursor or erase a row to fake another.
func (plan ImportPlan) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "From %s (%s):\n\n", dash(explain.Printable(plan.Source)), explain.Printable(string(plan.Format)))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tRESULT\tTOKEN URL\tCLIENT ID\tAUTH\tSCOPES\tSECRET")
	for _, r := range plan.Rows {
		p := r.Profile.Normalized()
		secret := "••••••"
		if r.SecretMissing != "" {
			secret = "to be given (" + explain.Printable(r.SecretMissing) + ")"
		}
		endpoint := tokens.DisplayURL(p.TokenURL)
		if p.TokenURL == "" && p.IssuerURL != "" {
			endpoint = tokens.DisplayURL(p.IssuerURL) + " (issuer)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(p.Name), cell(r.result()), cell(endpoint), cell(p.ClientID), cell(string(p.Auth)),
			cell(strings.Join(p.Scopes, " ")), secret)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(plan.Rows) == 0 {
		fmt.Fprintln(w, "(no client-credentials configuration found)")
	}
	for _, r := range plan.Rows {
		for _, n := range r.Notes {
			fmt.Fprintf(w, "note %s: %s\n", explain.Printable(r.Profile.Name), explain.Printable(n))
		}
	}
	for _, s := range plan.Skipped {
		fmt.Fprintf(w, "skipped %s: %s\n", explain.Printable(s.Origin), explain.Printable(s.Reason))
	}
	return nil
}

// cell is a table cell: printable, without tabs (they would shift the
// columns), "-" when empty.
func cell(s string) string { return dash(explain.Printable(s)) }

func (r ImportRow) result() string {
	switch r.Action {
	case ImportNew:
		return "new"
	case ImportReplace:
		return "replaces the stored profile"
	case ImportClash:
		return "not imported: " + r.Reason
	}
	return "not importable: " + r.Reason
}

// ProfileWriter is the engine's one write path for profiles
// (tokens.Manager.SaveProfile): it validates, writes to the store and
// updates the engine's set. Safe for concurrent use.
type ProfileWriter interface {
	SaveProfile(ctx context.Context, oldName string, p tokens.Profile) error
	// SaveDraft saves a profile that lacks only its client secret.
	SaveDraft(ctx context.Context, p tokens.Profile) error
}

// ApplyImport saves the plan's new and replacing profiles through w.
// secrets gives values for missing secrets by variable name; a profile
// whose secret is still missing is saved without it (SaveDraft) and listed
// in needSecret (to finish with `tokentray edit NAME --read-secret`).
func ApplyImport(ctx context.Context, w ProfileWriter, plan ImportPlan, secrets map[string]string) (saved, needSecret []string, err error) {
	for _, r := range plan.Rows {
		if r.Action != ImportNew && r.Action != ImportReplace {
			continue
		}
		p := r.Profile
		if r.SecretMissing != "" {
			if s := secrets[r.SecretMissing]; s != "" {
				p.ClientSecret = s
			} else {
				needSecret = append(needSecret, p.Name)
			}
		}
		if err := w.SaveDraft(ctx, p); err != nil {
			return saved, needSecret, fmt.Errorf("saving profile %q: %w", p.Name, err)
		}
		saved = append(saved, p.Name)
	}
	return saved, needSecret, nil
}

// MissingSecrets lists the variables whose values an import still needs,
// each once, in plan order.
func (plan ImportPlan) MissingSecrets() []string {
	var out []string
	for _, r := range plan.Rows {
		if (r.Action == ImportNew || r.Action == ImportReplace) && r.SecretMissing != "" && !slices.Contains(out, r.SecretMissing) {
			out = append(out, r.SecretMissing)
		}
	}
	return out
}

// importFromUsage is the import command's usage with --from.
const importFromUsage = "--from postman|bruno|insomnia PATH [--env FILE|NAME] [--dry-run] [--replace]"

// wantsImportFrom reports whether the import arguments ask for another
// tool's format rather than a Tokentray export. Help is shown here too:
// its flags are a superset of the plain import's.
func wantsImportFrom(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "--from" || a == "-from" || strings.HasPrefix(a, "--from=") || strings.HasPrefix(a, "-from=") ||
			a == "-h" || a == "--help" || a == "-help" {
			return true
		}
	}
	return false
}

func runImportFrom(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "import")
	from := fs.String("from", "", "read another tool's collection: postman (a collection file), bruno (a collection folder) or insomnia (an export file)")
	envChoice := fs.String("env", "", "Postman: an environment export `FILE`; Bruno and Insomnia: the environment's NAME (default: the only one)")
	dryRun := fs.Bool("dry-run", false, "print what would be imported, secrets masked, and save nothing")
	replace := fs.Bool("replace", false, "replace stored profiles of the same name (otherwise they are left alone)")
	timeout := keyringTimeoutFlag(fs)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	format := importers.Format(*from)
	if !slices.Contains(importers.Formats, format) {
		return usagef("--from %q: use postman, bruno or insomnia", *from)
	}
	res, err := importers.Read(format, pos[0], importers.Options{Environment: *envChoice})
	if err != nil {
		return fmt.Errorf("reading %s: %w", pos[0], err)
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
	plan := PlanImport(res, existing, *replace)
	if err := plan.WriteTable(env.Stdout); err != nil {
		return err
	}
	if *dryRun {
		fmt.Fprintln(env.Stdout, "\nDry run: nothing was saved.")
		return nil
	}
	secrets := map[string]string{}
	if missing := plan.MissingSecrets(); len(missing) > 0 && env.StdinIsTerminal != nil && env.StdinIsTerminal() && env.ReadPassword != nil {
		fmt.Fprintln(env.Stderr)
		for _, name := range missing {
			s, err := env.ReadPassword(fmt.Sprintf("Value of %s (kept outside the collection; empty to skip): ", name))
			if err != nil {
				return fmt.Errorf("reading %s: %w", name, err)
			}
			secrets[name] = strings.TrimSpace(s)
		}
	}
	m := engine(env, st)
	defer m.Close()
	saved, needSecret, err := ApplyImport(ctx, m, plan, secrets)
	fmt.Fprintf(env.Stdout, "\nImported %d profiles.\n", len(saved))
	for _, name := range needSecret {
		fmt.Fprintf(env.Stdout, "Profile %q has no client secret yet; give it with: tokentray edit %s --read-secret\n", explain.Printable(name), shellWord(name))
	}
	if err != nil {
		return err
	}
	var notImported int
	for _, r := range plan.Rows {
		if r.Action == ImportClash || r.Action == ImportUnusable {
			notImported++
		}
	}
	if notImported > 0 {
		return fmt.Errorf("%d of %d profiles were not imported (see the table)", notImported, len(plan.Rows))
	}
	if len(plan.Rows) == 0 {
		return errors.New("the source holds no client-credentials configuration")
	}
	return nil
}

// shellWord quotes a profile name for a command the user copies.
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return shellQuote(s)
}
