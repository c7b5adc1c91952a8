package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// ExportFormat names the export file format. The file is one JSON object:
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
// (client_secret, private_key_pem, client_key_pem) are present only in an
// export made with --with-secrets.
const ExportFormat = "tokentray-profiles"

type exportFile struct {
	Format      string            `json:"format"`
	Version     int               `json:"version"`
	ExportedAt  time.Time         `json:"exported_at"`
	WithSecrets bool              `json:"with_secrets"`
	Profiles    []exportedProfile `json:"profiles"`
}

// exportedProfile shadows the duration fields of tokens.Profile with
// readable strings.
type exportedProfile struct {
	tokens.Profile
	RefreshLead     string `json:"refresh_lead,omitempty"`
	AssumedLifetime string `json:"assumed_lifetime,omitempty"`
}

func toExported(p tokens.Profile, withSecrets bool) exportedProfile {
	if !withSecrets {
		p.ClientSecret, p.PrivateKeyPEM, p.ClientKeyPEM = "", "", ""
	}
	e := exportedProfile{Profile: p}
	if p.RefreshLead != 0 {
		e.RefreshLead = p.RefreshLead.String()
	}
	if p.AssumedLifetime != 0 {
		e.AssumedLifetime = p.AssumedLifetime.String()
	}
	return e
}

func (e exportedProfile) toProfile() (tokens.Profile, error) {
	p := e.Profile
	var err error
	p.RefreshLead, p.AssumedLifetime = 0, 0
	if e.RefreshLead != "" {
		if p.RefreshLead, err = time.ParseDuration(e.RefreshLead); err != nil {
			return p, fmt.Errorf("refresh_lead: %q is not a duration such as 5m", e.RefreshLead)
		}
	}
	if e.AssumedLifetime != "" {
		if p.AssumedLifetime, err = time.ParseDuration(e.AssumedLifetime); err != nil {
			return p, fmt.Errorf("assumed_lifetime: %q is not a duration such as 50m", e.AssumedLifetime)
		}
	}
	return p, nil
}

func runExport(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "export")
	withSecrets := fs.Bool("with-secrets", false, "include client secrets and private keys (in clear text!)")
	timeout := keyringTimeoutFlag(fs)
	pos, err := parse(fs, args, 0, 1)
	if err != nil {
		return err
	}
	profiles, broken, err := env.OpenStore(*timeout).Load(ctx)
	if err != nil {
		return err
	}
	for _, b := range broken {
		fmt.Fprintf(env.Stderr, "tokentray export: skipping profile %q, it cannot be read: %s\n", b.Name, oneLine(describe(b.Err)))
	}
	f := exportFile{Format: ExportFormat, Version: 1, ExportedAt: env.Now().UTC().Truncate(time.Second), WithSecrets: *withSecrets}
	for _, p := range profiles {
		f.Profiles = append(f.Profiles, toExported(p, *withSecrets))
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if len(pos) == 0 || pos[0] == "-" {
		_, err = env.Stdout.Write(data)
	} else {
		// 0600: the file may hold secrets; never readable by others.
		err = os.WriteFile(pos[0], data, 0o600)
	}
	if err != nil {
		return fmt.Errorf("writing the export: %w", err)
	}
	if *withSecrets {
		fmt.Fprintln(env.Stderr, "warning: the export contains client secrets and private keys in clear text; keep it safe and delete it when done")
	}
	if len(pos) == 1 && pos[0] != "-" {
		fmt.Fprintf(env.Stdout, "Exported %d profiles to %s.\n", len(f.Profiles), pos[0])
	}
	if len(broken) > 0 {
		return fmt.Errorf("%d profiles could not be read and were not exported", len(broken))
	}
	return nil
}

func runImport(ctx context.Context, env *Env, args []string) error {
	if wantsImportFrom(args) {
		return runImportFrom(ctx, env, args) // Postman, Bruno, Insomnia (importfrom.go)
	}
	fs := newFlagSet(env, "import")
	timeout := keyringTimeoutFlag(fs)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	var data []byte
	if pos[0] == "-" {
		data, err = readAllLimited(env.Stdin, 16<<20)
	} else {
		data, err = os.ReadFile(pos[0])
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", pos[0], err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f exportFile
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("%s is not a Tokentray export: %w", pos[0], err)
	}
	if f.Format != ExportFormat || f.Version != 1 {
		return fmt.Errorf("%s is not a Tokentray export (format %q version %d; want %q version 1)", pos[0], f.Format, f.Version, ExportFormat)
	}
	m := engine(env, env.OpenStore(*timeout))
	defer m.Close()
	existing, _, err := m.LoadProfiles(ctx)
	if err != nil {
		return err
	}
	byName := map[string]tokens.Profile{}
	for _, p := range existing {
		byName[p.Name] = p
	}
	seen := map[string]bool{}
	var rejected, added, replaced int
	for i, e := range f.Profiles {
		p, err := e.toProfile()
		if err == nil && seen[p.Name] {
			err = errors.New("the file holds this name twice; only the first was imported")
		}
		if err == nil {
			seen[p.Name] = true
			p = keepSecrets(p, byName[p.Name])
			err = p.Validate()
		}
		if err != nil {
			rejected++
			name := p.Name
			if name == "" {
				name = fmt.Sprintf("#%d", i+1)
			}
			fmt.Fprintf(env.Stderr, "tokentray import: profile %q not imported: %s\n", name, oneLine(describe(err)))
			continue
		}
		if err := m.SaveProfile(ctx, "", p); err != nil {
			return fmt.Errorf("saving profile %q: %w", p.Name, err)
		}
		if _, ok := byName[p.Name]; ok {
			replaced++
		} else {
			added++
		}
	}
	fmt.Fprintf(env.Stdout, "Imported %d profiles (%d new, %d replaced).\n", added+replaced, added, replaced)
	if rejected > 0 {
		return fmt.Errorf("%d of %d profiles were rejected (see above)", rejected, len(f.Profiles))
	}
	return nil
}

// keepSecrets fills secret fields missing from an imported profile (an
// export made without --with-secrets) from the stored profile of the same
// name, so re-importing such a file changes settings but keeps credentials.
func keepSecrets(p, stored tokens.Profile) tokens.Profile {
	auth := p.Normalized().Auth
	if p.ClientSecret == "" && auth.UsesSecret() {
		p.ClientSecret = stored.ClientSecret
	}
	if p.PrivateKeyPEM == "" && auth == tokens.AuthPrivateKeyJWT {
		p.PrivateKeyPEM = stored.PrivateKeyPEM
	}
	if p.ClientKeyPEM == "" && auth == tokens.AuthTLSClient {
		p.ClientKeyPEM = stored.ClientKeyPEM
	}
	return p
}

func readAllLimited(r io.Reader, limit int64) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("input larger than %d bytes", limit)
	}
	return b, nil
}
