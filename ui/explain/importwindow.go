package explain

import (
	"fmt"
	"strings"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/importers"
)

// The words of the window's Import…: the chooser of what to import, the
// preview's checklist (one row per profile the source makes, with what
// the import does with it and a line of facts), and its buttons. The
// table of `tokentray import --dry-run` is ImportTable's.

// The chooser's words.
const (
	ImportButton          = "Import…"
	ImportTitle           = "Import profiles"
	ImportPortalTitle     = "Import profiles into Tokentray" // the desktop chooser's title
	ImportChooseFile      = "Choose a file…"
	ImportChooseFolder    = "Choose a Bruno folder…"
	ImportPathPlaceholder = "or type the path of a file or folder"
	ImportPreviewButton   = "Preview"
	ImportFilterSources   = "Collections and exports (JSON, YAML)"
	ImportFilterAll       = "All files"
	// ImportIntro says what can be imported from where.
	ImportIntro = "Import the OAuth 2.0 settings of your API client (client credentials, and sign-ins with an authorization code): " +
		"a Postman collection or an Insomnia export (a file), or a Bruno collection (its folder); or a Tokentray export. " +
		"You see what will be created before anything is saved."
)

// The preview's words.
const (
	// ImportNothingFound is the checklist of a source without a
	// configuration Tokentray imports.
	ImportNothingFound          = "No client credentials or authorization code configuration found."
	ImportEnvLabel              = "Environment"
	ImportPostmanEnvPlaceholder = "Postman environment file (resolves {{variables}})"
	ImportEnvNamePlaceholder    = "environment name (default: the only one)"
	ImportPreviewAgain          = "Preview again"
	ImportReplaceCheck          = "Replace stored profiles of the same name"
	ImportSecretsHeading        = "Secrets the collection does not hold:"
	ImportSecretPlaceholder     = "kept outside the collection; empty: add it later with Edit"
	// The rows' results: what the import does with the profile.
	ImportRowNew      = "New profile"
	ImportRowReplaces = "Replaces the stored profile of this name"
	ImportRowClash    = "Skipped: a profile of this name is stored (tick “Replace stored profiles” below to replace it)"
)

// ImportCannotRead says that path could not be previewed, and why.
func ImportCannotRead(path string, err error) string {
	return "Could not import from " + path + ": " + WithPeriod(Error(err))
}

// ImportPreviewTitle is the preview's title: the source's name and format.
func ImportPreviewTitle(source string, format importers.Format) string {
	return fmt.Sprintf("Import from %s (%s)", Printable(source), format)
}

// ImportRowSkipped is the result of a row that cannot be imported.
func ImportRowSkipped(r importers.Row) string { return "Skipped: " + WithPeriod(ImportReason(r)) }

// ImportSkippedConfig is the line of a configuration that made no profile.
func ImportSkippedConfig(s importers.Skipped) string { return "Skipped: " + WithPeriod(ImportSkip(s)) }

// ImportRowFacts is a row's line of facts, printable: how a profile that
// signs a person in does it (its grant; a client credentials profile says
// nothing of it), where it gets its tokens, its client, its scopes, the
// secret still to be given, and what changed on the way (ImportNote).
// Secrets are never in it.
func ImportRowFacts(r importers.Row) string {
	p := r.Profile.Normalized()
	var facts []string
	if p.Grant.SignsIn() {
		facts = append(facts, GrantSignIn(p.Grant))
	}
	if endpoint := importEndpoint(p); endpoint != "" {
		facts = append(facts, endpoint)
	}
	if p.ClientID != "" {
		facts = append(facts, "client "+p.ClientID)
	}
	if len(p.Scopes) > 0 {
		facts = append(facts, "scopes "+strings.Join(p.Scopes, " "))
	}
	if r.SecretMissing != "" && r.Action.Importable() {
		facts = append(facts, "secret to be given ("+r.SecretMissing+")")
	}
	for _, n := range r.Notes {
		facts = append(facts, ImportNote(n))
	}
	return Printable(strings.Join(facts, " · "))
}

// importEndpoint is where p gets its tokens, shown without secrets
// (tokens.DisplayURL): the token URL, or the issuer it is discovered
// from; "" when it has neither.
func importEndpoint(p tokens.Profile) string {
	if p.TokenURL == "" && p.IssuerURL != "" {
		return tokens.DisplayURL(p.IssuerURL) + " (issuer)"
	}
	return tokens.DisplayURL(p.TokenURL)
}

// ImportApplyButton is the Import button for n ticked profiles.
func ImportApplyButton(n int) string {
	if n == 1 {
		return "Import 1 profile"
	}
	return fmt.Sprintf("Import %d profiles", n)
}

// ImportStopped says that an import stopped after done (ImportDone's
// words) on err.
func ImportStopped(done string, err error) string {
	return done + " Then it stopped: " + WithPeriod(Error(err))
}
