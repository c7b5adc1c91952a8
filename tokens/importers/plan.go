package importers

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// Action is what an import does with one profile of a source.
type Action int

// The import actions.
const (
	New      Action = iota // no profile by that name yet: added
	Replace                // the stored profile of that name is replaced
	Clash                  // a profile by that name exists and replacing was not asked: left alone
	Unusable               // the configuration cannot make a profile (Row.Err or Candidate.Problems say why)
)

// Importable reports whether a saves the profile (New or Replace).
func (a Action) Importable() bool { return a == New || a == Replace }

// ErrDuplicateName is a Row's Err when an earlier profile of the source
// has the same name (a Tokentray export names its profiles; the other
// formats' names are made unique when read).
var ErrDuplicateName = errors.New("the source holds this name twice; only the first is imported")

// ClientChangeError is a Row's Err when a profile without its secrets
// would replace the stored one of the same name but is another client:
// the stored secret is not reused for it (it would go to a host of the
// source's choosing).
type ClientChangeError struct {
	Name string
	// Changed names the tokens.RoleClient fields that differ
	// (tokens.FieldTokenURL, FieldIntrospectionURL, FieldCABundle, …), in
	// field order.
	Changed []string
}

func (e *ClientChangeError) Error() string {
	return fmt.Sprintf("profile %q changes the %v of the stored profile; its stored secret is not reused", e.Name, e.Changed)
}

// LimitError refuses a whole source over an import limit: nothing is
// imported. It wraps ErrTooLarge.
type LimitError struct {
	Source string
	// Profiles is the number of profiles for the MaxProfiles limit, 0 for
	// the size limit.
	Profiles int
	// Limit is the limit passed: MaxExportBytes (bytes) or MaxProfiles.
	Limit int
}

func (e *LimitError) Error() string {
	if e.Profiles > 0 {
		return fmt.Sprintf("%s holds %d profiles, more than %d", e.Source, e.Profiles, e.Limit)
	}
	return fmt.Sprintf("%s is larger than %d bytes", e.Source, e.Limit)
}

func (e *LimitError) Unwrap() error { return ErrTooLarge }

// Row is one profile of a Plan.
type Row struct {
	Candidate
	Action Action
	// Err says why a row is Unusable when the plan found it (a repeated
	// name, another client, an invalid profile); the reader's reasons are
	// in Candidate.Problems.
	Err error
}

// Plan is what importing a source would do, before anything is saved: the
// rows of `tokentray import … --dry-run` and of the window's Import…
// preview. A Plan is a plain value; the CLI and the window word it.
type Plan struct {
	Format  Format
	Source  string
	Rows    []Row
	Skipped []Skipped
}

// ReplacesByDefault reports whether importing format replaces stored
// profiles of the same name unless told otherwise: a Tokentray export
// holds Tokentray's own profiles (importing one restores them); another
// tool's collection leaves stored profiles alone unless replacing is
// asked for.
func ReplacesByDefault(f Format) bool { return f == Tokentray }

// NewPlan decides, for each profile read from a source, whether it is new,
// replaces a stored one (only with replace), clashes with one, or cannot
// be used; existing are the stored profiles. A source of more than
// MaxProfiles profiles is refused whole (*LimitError).
//
// The same-client rule: a profile that lacks a secret (the client secret,
// a key, a credential-named header or parameter value) and replaces a
// stored one gets the stored secret only when it is the same client (the
// same tokens.RoleClient fields: token URL or issuer, introspection and
// revocation URLs, client ID, authentication method and CA bundle, and no
// added endpoint origin); otherwise it is Unusable with a
// *ClientChangeError. A profile that lacks only its secrets (the client
// secret, credential header or parameter values: tokens.Profile.ValidateDraft)
// is importable: Apply saves it as a draft unless they are given
// (MissingSecrets).
func NewPlan(res *Result, existing []tokens.Profile, replace bool) (Plan, error) {
	plan := Plan{Format: res.Format, Source: res.Source, Skipped: res.Skipped}
	if len(res.Candidates) > MaxProfiles {
		return plan, &LimitError{Source: res.Source, Profiles: len(res.Candidates), Limit: MaxProfiles}
	}
	stored := map[string]tokens.Profile{}
	for _, p := range existing {
		stored[p.Name] = p
	}
	seen := map[string]bool{}
	for _, c := range res.Candidates {
		row := Row{Candidate: c, Action: New}
		old, exists := stored[c.Profile.Name]
		switch {
		case len(c.Problems) > 0:
			row.Action = Unusable
		case seen[c.Profile.Name]:
			row.Action, row.Err = Unusable, ErrDuplicateName
		case exists && !replace:
			row.Action = Clash
		default:
			if exists {
				row.Action = Replace
				row.Profile, row.Err = keepSecrets(row.Profile, old)
				if row.Profile.ClientSecret != "" {
					row.SecretMissing = ""
				}
			}
			if row.Err == nil {
				row.Err = row.Profile.ValidateDraft()
			}
			if row.Err != nil {
				row.Action = Unusable
			}
		}
		if len(c.Problems) == 0 {
			seen[c.Profile.Name] = true
		}
		plan.Rows = append(plan.Rows, row)
	}
	return plan, nil
}

// Importable counts the rows that Apply saves.
func (plan Plan) Importable() int {
	n := 0
	for _, r := range plan.Rows {
		if r.Action.Importable() {
			n++
		}
	}
	return n
}

// MissingSecrets lists the secrets an import still needs, each once, in
// plan order: Candidate.SecretMissing of importable rows, and the values
// of their headers and parameters named like credentials that the source
// left blank (tokens.Profile.BlankCredentials: an export made without
// secrets), as "header X-Api-Key of NAME" and "parameter api_key of NAME".
// They are the keys of Apply's secrets.
func (plan Plan) MissingSecrets() []string {
	var out []string
	add := func(key string) {
		if !slices.Contains(out, key) {
			out = append(out, key)
		}
	}
	for _, r := range plan.Rows {
		if !r.Action.Importable() {
			continue
		}
		if r.SecretMissing != "" {
			add(r.SecretMissing)
		}
		headers, params := r.Profile.BlankCredentials()
		for _, k := range headers {
			add(blankKey("header", k, r.Profile.Name))
		}
		for _, k := range params {
			add(blankKey("parameter", k, r.Profile.Name))
		}
	}
	return out
}

// blankKey names a blank credential header or parameter of a profile in
// MissingSecrets and Apply's secrets.
func blankKey(in, name, profile string) string {
	return in + " " + tokens.Printable(name, 100) + " of " + tokens.Printable(profile, 100)
}

// ProfileWriter is the engine's write path for imported profiles
// (tokens.Manager.SaveDraft): it validates, writes to the store and
// updates the engine's set, and accepts a profile that lacks only its
// client secret. Safe for concurrent use.
type ProfileWriter interface {
	SaveDraft(ctx context.Context, p tokens.Profile) error
}

// Outcome is what Apply saved, by profile name, in plan order.
type Outcome struct {
	New, Replaced []string
	// NeedSecret lists the profiles saved without their client secret
	// (drafts, to be finished by an edit).
	NeedSecret []string
	// Incomplete lists the profiles saved with credential headers or
	// parameters still blank (drafts, to be finished by an edit).
	Incomplete []Incomplete
}

// Incomplete is a profile saved with blank credential values: the names
// of its headers and parameters still to be given.
type Incomplete struct {
	Name            string
	Headers, Params []string
}

// Saved counts the profiles saved.
func (o Outcome) Saved() int { return len(o.New) + len(o.Replaced) }

// Apply saves the plan's New and Replace rows through w, in order, and
// stops at the first error (the Outcome says what was saved until then).
// secrets gives values for missing secrets by the name in
// Candidate.SecretMissing; a profile whose secret is still missing is
// saved without it and listed in NeedSecret.
func Apply(ctx context.Context, w ProfileWriter, plan Plan, secrets map[string]string) (Outcome, error) {
	var o Outcome
	for _, r := range plan.Rows {
		if !r.Action.Importable() {
			continue
		}
		p := r.Profile
		if r.SecretMissing != "" {
			if s := secrets[r.SecretMissing]; s != "" {
				p.ClientSecret = s
			} else {
				o.NeedSecret = append(o.NeedSecret, p.Name)
			}
		}
		if inc := fillBlanks(&p, secrets); len(inc.Headers)+len(inc.Params) > 0 {
			o.Incomplete = append(o.Incomplete, inc)
		}
		if err := w.SaveDraft(ctx, p); err != nil {
			return o, fmt.Errorf("saving profile %q: %w", p.Name, err)
		}
		if r.Action == Replace {
			o.Replaced = append(o.Replaced, p.Name)
		} else {
			o.New = append(o.New, p.Name)
		}
	}
	return o, nil
}

// fillBlanks gives p's blank credential headers and parameters the values
// in secrets (by MissingSecrets' keys), on copies of its maps, and says
// which stay blank.
func fillBlanks(p *tokens.Profile, secrets map[string]string) Incomplete {
	inc := Incomplete{Name: p.Name}
	headers, params := p.BlankCredentials()
	if len(headers) > 0 {
		p.Headers = maps.Clone(p.Headers)
	}
	for _, k := range headers {
		if v := strings.TrimSpace(secrets[blankKey("header", k, p.Name)]); v != "" {
			p.Headers[k] = v
		} else {
			inc.Headers = append(inc.Headers, k)
		}
	}
	if len(params) > 0 {
		p.Params = maps.Clone(p.Params)
	}
	for _, k := range params {
		if v := strings.TrimSpace(secrets[blankKey("parameter", k, p.Name)]); v != "" {
			p.Params[k] = v
		} else {
			inc.Params = append(inc.Params, k)
		}
	}
	return inc
}
