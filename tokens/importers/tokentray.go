package importers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// Tokentray is the format of Tokentray's own export (`tokentray export`).
// Read reads it like the other formats, but it is not in Formats (those
// are other API clients'): names are kept as written (a repeated name is
// a problem of the plan, not renamed), and its profiles replace stored
// ones by default (ReplacesByDefault).
const Tokentray Format = "tokentray"

// ExportFormat is the "format" member of a Tokentray export. The file is
// one JSON object:
//
//	{
//	  "format": "tokentray-profiles",
//	  "version": 1,
//	  "exported_at": "2026-11-22T10:00:00Z",
//	  "with_secrets": false,
//	  "profiles": [ { "name": "dev-api", "token_url": "https://…", "client_id": "…",
//	                  "auth": "client_secret_basic", "scopes": ["api.read"],
//	                  "refresh_lead": "5m0s", … } ]
//	}
//
// Profile objects use the field names of tokens.Profile's JSON form, with
// durations written as Go duration strings ("5m0s"). Secret fields
// (tokens.RoleSecret: client_secret, private_key_pem, client_key_pem) and
// the values of headers and params named like credentials
// (tokens.RoleNamedSecrets; the names stay, with an empty value) are
// present only in an export made with secrets.
const ExportFormat = "tokentray-profiles"

// Import limits of every source, checked before anything is written: a
// Tokentray export larger than MaxExportBytes is refused by its size before
// it is read (other formats have MaxFileSize and the folder limits), and a
// plan of more than MaxProfiles profiles is refused whole (NewPlan). Each
// profile's fields have the limits of tokens.Profile.Validate.
const (
	MaxExportBytes = 8 << 20
	MaxProfiles    = 500
)

// Export is a Tokentray export file.
type Export struct {
	Format      string            `json:"format"`
	Version     int               `json:"version"`
	ExportedAt  time.Time         `json:"exported_at"`
	WithSecrets bool              `json:"with_secrets"`
	Profiles    []ExportedProfile `json:"profiles"`
}

// ExportedProfile is one profile of an Export: tokens.Profile with its
// duration fields written as readable strings.
type ExportedProfile struct {
	tokens.Profile
	RefreshLead     string `json:"refresh_lead,omitempty"`
	AssumedLifetime string `json:"assumed_lifetime,omitempty"`
}

// NewExport makes the export of profiles at the time at (to the second).
// Without withSecrets the secrets are left out (tokens.Profile.
// WithoutSecrets) and an endpoint URL that carries a secret (kept by an
// older version) is masked.
func NewExport(profiles []tokens.Profile, withSecrets bool, at time.Time) Export {
	f := Export{Format: ExportFormat, Version: 1, ExportedAt: at.UTC().Truncate(time.Second), WithSecrets: withSecrets}
	for _, p := range profiles {
		f.Profiles = append(f.Profiles, exported(p, withSecrets))
	}
	return f
}

func exported(p tokens.Profile, withSecrets bool) ExportedProfile {
	if !withSecrets {
		p = p.WithoutSecrets()
		// A URL kept by an older version may carry a secret in its query
		// or user info (Validate now refuses one): masked, not exported.
		for _, f := range tokens.FieldsWith(tokens.RoleEndpoint) {
			if u := p.FieldValue(f).(string); tokens.CheckURLSecrets(u) != nil {
				p.SetField(f, tokens.DisplayURL(u))
			}
		}
	}
	e := ExportedProfile{Profile: p}
	if p.RefreshLead != 0 {
		e.RefreshLead = p.RefreshLead.String()
	}
	if p.AssumedLifetime != 0 {
		e.AssumedLifetime = p.AssumedLifetime.String()
	}
	return e
}

// profile converts e back, parsing its durations; a field that holds no
// duration is a ProblemBadDuration.
func (e ExportedProfile) profile() (tokens.Profile, *Problem) {
	p := e.Profile
	var err error
	p.RefreshLead, p.AssumedLifetime = 0, 0
	if e.RefreshLead != "" {
		if p.RefreshLead, err = time.ParseDuration(e.RefreshLead); err != nil {
			return p, &Problem{Code: ProblemBadDuration, Field: tokens.FieldRefreshLead, Value: tokens.Printable(e.RefreshLead, 60)}
		}
	}
	if e.AssumedLifetime != "" {
		if p.AssumedLifetime, err = time.ParseDuration(e.AssumedLifetime); err != nil {
			return p, &Problem{Code: ProblemBadDuration, Field: tokens.FieldAssumedLifetime, Value: tokens.Printable(e.AssumedLifetime, 60)}
		}
	}
	return p, nil
}

// readExportFile reads the export at path, refusing one larger than
// MaxExportBytes by its size before reading it.
func readExportFile(path string) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > MaxExportBytes {
		return nil, &LimitError{Source: path, Limit: MaxExportBytes}
	}
	return ReadExport(f, path) // a pipe or a growing file is bounded there
}

// ReadExport reads a Tokentray export from r (standard input, say; source
// names it in errors), reading at most MaxExportBytes: a larger input is
// refused with a *LimitError. Unknown members, another format or version
// are refused. A profile that cannot be converted carries the reason as a
// problem; one without the client secret its method needs names it as
// missing (the stored one may be kept, by NewPlan, for the same client).
func ReadExport(r io.Reader, source string) (*Result, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxExportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxExportBytes {
		return nil, &LimitError{Source: source, Limit: MaxExportBytes}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f Export
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s is not a Tokentray export: %w", source, err)
	}
	if f.Format != ExportFormat || f.Version != 1 {
		return nil, fmt.Errorf("%s is not a Tokentray export (format %q version %d; want %q version 1)", source, tokens.Printable(f.Format, 300), f.Version, ExportFormat)
	}
	res := &Result{Format: Tokentray, Source: filepath.Base(source)}
	for _, e := range f.Profiles {
		p, problem := e.profile()
		c := Candidate{Profile: p, Origin: res.Source}
		if problem != nil {
			c.Problems = []Problem{*problem}
		} else if p.ClientSecret == "" && p.Normalized().Auth.UsesSecret() {
			c.SecretMissing = "client secret of " + tokens.Printable(p.Name, 300)
		}
		res.Candidates = append(res.Candidates, c)
	}
	return res, nil
}
