package explain

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
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
	fmt.Fprintln(tw, "NAME\tRESULT\tTOKEN URL\tCLIENT ID\tGRANT\tAUTH\tSCOPES\tSECRET")
	for _, r := range plan.Rows {
		p := r.Profile.Normalized()
		secret := "••••••"
		var missing []string
		if r.SecretMissing != "" {
			missing = append(missing, Printable(r.SecretMissing))
		}
		headers, params := r.Profile.BlankCredentials()
		for _, k := range headers {
			missing = append(missing, "header "+Printable(k))
		}
		for _, k := range params {
			missing = append(missing, "parameter "+Printable(k))
		}
		if len(missing) > 0 {
			secret = "to be given (" + strings.Join(missing, ", ") + ")"
		}
		endpoint := importEndpoint(p)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(p.Name), cell(ImportResult(r)), cell(endpoint), cell(p.ClientID), cell(Grant(p.Grant)), cell(string(p.Auth)),
			cell(strings.Join(p.Scopes, " ")), secret)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(plan.Rows) == 0 {
		fmt.Fprintln(w, "(no client credentials or authorization code configuration found)")
	}
	for _, r := range plan.Rows {
		for _, n := range r.Notes {
			fmt.Fprintf(w, "note %s: %s\n", Printable(r.Profile.Name), ImportNote(n))
		}
	}
	for _, s := range plan.Skipped {
		fmt.Fprintf(w, "skipped %s: %s\n", Printable(s.Origin), ImportSkip(s))
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
		words := make([]string, len(r.Problems))
		for i, p := range r.Problems {
			words[i] = ImportProblem(p)
		}
		return tokens.Printable(strings.Join(words, "; "), 4000)
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

// ImportProblem words one reason a source's configuration cannot make a
// profile: "token URL: variable {{host}} has no value (give the
// environment with --env)".
func ImportProblem(p importers.Problem) string {
	field := Field(p.Field)
	if p.Field == tokens.FieldParams {
		field = "parameter"
		if p.Param != "" {
			field += " " + Printable(p.Param)
		}
	}
	v := "{{" + Printable(p.Var) + "}}"
	switch p.Code {
	case importers.ProblemUnsetVariable:
		return field + ": variable " + v + " has no value (give the environment with --env)"
	case importers.ProblemSelfReference:
		s := field + ": variable " + v + " refers to itself"
		if len(p.Through) > 0 {
			names := make([]string, len(p.Through))
			for i, t := range p.Through {
				names[i] = "{{" + Printable(t) + "}}"
			}
			s += " through " + strings.Join(names, ", ")
		}
		return s
	case importers.ProblemTooDeep:
		return fmt.Sprintf("%s: variables refer to variables more than %d levels deep (at %s)", field, p.Limit, v)
	case importers.ProblemTooLong:
		return fmt.Sprintf("%s: longer than the limit of %d bytes once its variables are filled in", field, p.Limit)
	case importers.ProblemBudget:
		if p.Substitutions {
			return fmt.Sprintf("%s: the file makes more than %d {{variable}} substitutions, the limit for one file", field, p.Limit)
		}
		return fmt.Sprintf("%s: the file's {{variables}} fill in more than %s, the limit for one file", field, Size(p.Limit))
	case importers.ProblemMissing:
		return "no " + field
	case importers.ProblemBadDuration:
		// Said with the file's own key: the reader edits the export file.
		return fmt.Sprintf("%s: %q is not a duration such as 5m", Printable(p.Field), Printable(p.Value))
	case importers.ProblemMore:
		return fmt.Sprintf("and %d more problems", p.Count)
	}
	return field + ": " + Printable(string(p.Code))
}

// ImportNote words something that changed on the way from the source.
func ImportNote(n importers.Note) string {
	switch n.Code {
	case importers.NoteReservedParam:
		return fmt.Sprintf("parameter %q dropped: Tokentray sets it itself", Printable(n.Param))
	case importers.NoteQueryInURL:
		return "URL parameters added to the token URL"
	case importers.NoteCallbackNotLoopback:
		return fmt.Sprintf("callback URL %q is not a loopback address with a port: the sign-in listens on any free port of 127.0.0.1 (register http://127.0.0.1/callback, or give --redirect-port)", Printable(n.Param))
	case importers.NoteCallbackRegister:
		return fmt.Sprintf("the sign-in listens on the callback URL's port; the provider must accept the redirect URI %s", Printable(n.Param))
	}
	return Printable(string(n.Code))
}

// ImportSkip words why a configuration of the source is not imported.
func ImportSkip(s importers.Skipped) string {
	switch s.Code {
	case importers.SkipGrant:
		g := strconv.Quote(Printable(s.Grant))
		if s.Grant == "" {
			g = "(none given)"
		}
		switch strings.ToLower(strings.NewReplacer(" ", "_", "-", "_").Replace(s.Grant)) {
		case "password", "password_credentials", "resource_owner_password_credentials":
			return "grant type " + g + " is not imported: it hands your password to the tool (RFC 9700 forbids it); use authorization_code or device_code"
		case "implicit":
			return "grant type " + g + " is not imported: it returns the token in the browser's address bar (RFC 9700 forbids it); use authorization_code"
		}
		return "grant type " + g + " is not imported; only client_credentials and authorization_code (with or without PKCE) are"
	case importers.SkipUnreadable:
		return "not readable: " + Error(s.Err)
	}
	return Printable(string(s.Code))
}

// ImportDone sums up what an import saved, for the window: how many
// profiles, and which still lack a secret, to be given with Edit.
func ImportDone(o importers.Outcome) string {
	n := o.Saved()
	msg := fmt.Sprintf("Imported %d profiles.", n)
	if n == 1 {
		msg = "Imported 1 profile."
	}
	var drafts []string
	for _, name := range o.NeedSecret {
		drafts = append(drafts, Printable(name))
	}
	for _, inc := range o.Incomplete {
		if !slices.Contains(o.NeedSecret, inc.Name) {
			drafts = append(drafts, Printable(inc.Name))
		}
	}
	if len(drafts) > 0 {
		msg += " Still without their secrets (client secret, or credential headers and parameters): " + strings.Join(drafts, ", ") + " — give them with Edit."
	}
	return msg
}
