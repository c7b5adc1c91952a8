package explain

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/importers"
)

// ImportTable writes an import plan as the table that `tokentray import …
// --dry-run` prints and the window's Import… previews. Secrets are masked
// (never their length), URLs' query values and user info too
// (tokens.DisplayURL). Everything read from the source, cells and problems
// alike, goes through Printable: a crafted file cannot move the cursor or
// erase a row to fake another.
func ImportTable(w io.Writer, plan importers.Plan) error {
	fmt.Fprintf(w, "From %s (%s):\n\n", cell(plan.Source), Printable(string(plan.Format)))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tRESULT\tTOKEN URL\tCLIENT ID\tAUTH\tSCOPES\tSECRET")
	for _, r := range plan.Rows {
		p := r.Profile.Normalized()
		secret := "••••••"
		if r.SecretMissing != "" {
			secret = "to be given (" + Printable(r.SecretMissing) + ")"
		}
		endpoint := tokens.DisplayURL(p.TokenURL)
		if p.TokenURL == "" && p.IssuerURL != "" {
			endpoint = tokens.DisplayURL(p.IssuerURL) + " (issuer)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(p.Name), cell(ImportResult(r)), cell(endpoint), cell(p.ClientID), cell(string(p.Auth)),
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
			fmt.Fprintf(w, "note %s: %s\n", Printable(r.Profile.Name), Printable(n))
		}
	}
	for _, s := range plan.Skipped {
		fmt.Fprintf(w, "skipped %s: %s\n", Printable(s.Origin), Printable(s.Reason))
	}
	return nil
}

// cell is a table cell: printable, without tabs (they would shift the
// columns), "-" when empty.
func cell(s string) string {
	if s = Printable(s); s == "" {
		return "-"
	}
	return s
}

// ImportResult is a plan row's RESULT: what the import does with it.
func ImportResult(r importers.Row) string {
	switch r.Action {
	case importers.New:
		return "new"
	case importers.Replace:
		return "replaces the stored profile"
	case importers.Clash:
		return "not imported: " + ImportReason(r)
	}
	return "not importable: " + ImportReason(r)
}

// ImportReason says why a row is not imported: a clash, the reader's
// problems, or the plan's reason.
func ImportReason(r importers.Row) string {
	switch {
	case r.Action == importers.Clash:
		return "a profile by this name exists (--replace replaces it)"
	case len(r.Problems) > 0:
		return tokens.Printable(strings.Join(r.Problems, "; "), 4000)
	}
	return tokens.Printable(Command(r.Err), 4000)
}

// importError words the import pipeline's typed errors, or returns "".
func importError(err error) string {
	var (
		le *importers.LimitError
		ce *importers.ClientChangeError
	)
	switch {
	case errors.As(err, &le) && le.Profiles > 0:
		return fmt.Sprintf("%s holds %d profiles, more than the import limit of %d; nothing was imported", Printable(le.Source), le.Profiles, le.Limit)
	case errors.As(err, &le):
		return fmt.Sprintf("%s is larger than the import limit of %d MiB; nothing was imported", Printable(le.Source), le.Limit>>20)
	case errors.As(err, &ce):
		return fmt.Sprintf("it changes the %s of the stored profile, so the stored secret is not reused for it; "+
			"import a file made with --with-secrets, or supply the secret with 'tokentray edit %s' and the new settings plus --read-secret (or --private-key/--key FILE)",
			fieldList(ce.Changed), Printable(ce.Name))
	case errors.Is(err, importers.ErrDuplicateName):
		return "the file holds this name twice; only the first was imported"
	}
	return ""
}

// fieldList names fields in a sentence: "token URL and client ID".
func fieldList(fields []string) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = Field(f)
	}
	return strings.Join(names, " and ")
}
