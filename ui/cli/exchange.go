package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
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
// (client_secret, private_key_pem, client_key_pem) and the values of
// headers and params named like credentials (tokens.LooksSecret; the names
// stay, with an empty value) are present only in an export made with
// --with-secrets.
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
		// A URL kept by an older version may carry a secret in its query
		// or user info (Validate now refuses one): masked, not exported.
		for _, u := range []*string{&p.TokenURL, &p.IssuerURL} {
			if tokens.CheckURLSecrets(*u) != nil {
				*u = tokens.DisplayURL(*u)
			}
		}
		// Headers and parameters named like credentials are secrets too:
		// exported by name only, with an empty value that keepSecrets fills.
		p.Headers, p.Params = withoutSecretValues(p.Headers), withoutSecretValues(p.Params)
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

// withoutSecretValues returns m with the values of names that look secret
// (tokens.LooksSecret) emptied; m itself is not changed.
func withoutSecretValues(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		if tokens.LooksSecret(k) {
			v = ""
		}
		out[k] = v
	}
	return out
}

// missingSecretValues lists the names in m that look secret, have no value
// and have one in stored.
func missingSecretValues(m, stored map[string]string) []string {
	var names []string
	for k, v := range m {
		if v == "" && tokens.LooksSecret(k) && stored[k] != "" {
			names = append(names, k)
		}
	}
	return names
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
		fmt.Fprintf(env.Stdout, "Exported %s to %s.\n", profilesCount(len(f.Profiles)), pos[0])
	}
	if len(broken) > 0 {
		verb := "were"
		if len(broken) == 1 {
			verb = "was"
		}
		return fmt.Errorf("%s could not be read and %s not exported", profilesCount(len(broken)), verb)
	}
	return nil
}

// Import limits: the file is refused whole, before it is read, when it is
// larger than MaxImportBytes, and before anything is written when it holds
// more than MaxImportProfiles profiles. Each profile's fields have the
// limits of tokens.Profile.Validate.
const (
	MaxImportBytes    = 8 << 20
	MaxImportProfiles = 500
)

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
	data, err := readImportFile(env, pos[0])
	if err != nil {
		return err
	}
	f, err := decodeExport(pos[0], data)
	if err != nil {
		return err
	}
	items := make([]importItem, len(f.Profiles))
	for i, e := range f.Profiles {
		items[i].profile, items[i].err = e.toProfile()
	}
	return importProfiles(ctx, env, env.OpenStore(*timeout), pos[0], items)
}

// readImportFile reads an import file (or stdin for "-"), refusing one
// larger than MaxImportBytes by its size before reading it.
func readImportFile(env *Env, path string) ([]byte, error) {
	tooLarge := fmt.Errorf("%s is larger than the import limit of %d MiB; nothing was imported", path, MaxImportBytes>>20)
	if path == "-" {
		b, err := readAllLimited(env.Stdin, MaxImportBytes)
		if errors.Is(err, errInputTooLarge) {
			return nil, tooLarge
		}
		if err != nil {
			return nil, fmt.Errorf("reading stdin: %w", err)
		}
		return b, nil
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer file.Close()
	if fi, err := file.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > MaxImportBytes {
		return nil, tooLarge
	}
	b, err := readAllLimited(file, MaxImportBytes) // a pipe or a growing file
	if errors.Is(err, errInputTooLarge) {
		return nil, tooLarge
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return b, nil
}

// importItem is one profile of an import source, or why it could not be
// read.
type importItem struct {
	profile tokens.Profile
	err     error
}

// importProfiles adds or replaces the profiles of items (from source, a
// file name for messages). Every profile is checked before any is written:
// too many profiles refuse the whole import; a bad profile is rejected by
// name and the others are imported. A profile without secrets keeps the
// stored secrets of the profile of the same name only when it is the same
// client (see sameClient).
func importProfiles(ctx context.Context, env *Env, st tokens.Store, source string, items []importItem) error {
	if len(items) > MaxImportProfiles {
		return fmt.Errorf("%s holds %d profiles, more than the import limit of %d; nothing was imported", source, len(items), MaxImportProfiles)
	}
	m := engine(env, st)
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
	var accepted []tokens.Profile
	rejected := 0
	for i, it := range items {
		p, err := it.profile, it.err
		if err == nil && seen[p.Name] {
			err = errors.New("the file holds this name twice; only the first was imported")
		}
		if err == nil {
			seen[p.Name] = true
			if stored, ok := byName[p.Name]; ok {
				p, err = keepSecrets(p, stored)
			}
		}
		if err == nil {
			err = p.Validate()
		}
		if err != nil {
			rejected++
			name := explain.Printable(p.Name)
			if name == "" || tokens.CheckName(p.Name) != nil {
				name = fmt.Sprintf("#%d %s", i+1, name)
			}
			fmt.Fprintf(env.Stderr, "tokentray import: profile %q not imported: %s\n", name, oneLine(describe(err)))
			continue
		}
		accepted = append(accepted, p)
	}
	var added, replaced int
	for _, p := range accepted {
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
		return fmt.Errorf("%d of %d profiles were rejected (see above)", rejected, len(items))
	}
	return nil
}

// keepSecrets fills secret fields missing from an imported profile (an
// export made without --with-secrets) from the stored profile of the same
// name (the client secret, the keys, and the values of headers and
// parameters named like credentials), so re-importing such a file changes settings but keeps
// credentials. It does so only for the same client: a file that points the
// name at another token URL or issuer, client ID or authentication method
// would otherwise get the stored secret sent to a host of its choosing.
func keepSecrets(p, stored tokens.Profile) (tokens.Profile, error) {
	auth := p.Normalized().Auth
	headers, params := missingSecretValues(p.Headers, stored.Headers), missingSecretValues(p.Params, stored.Params)
	needs := p.ClientSecret == "" && auth.UsesSecret() && stored.ClientSecret != "" ||
		p.PrivateKeyPEM == "" && auth == tokens.AuthPrivateKeyJWT && stored.PrivateKeyPEM != "" ||
		p.ClientKeyPEM == "" && auth == tokens.AuthTLSClient && stored.ClientKeyPEM != "" ||
		len(headers) > 0 || len(params) > 0
	if !needs {
		return p, nil
	}
	if changed := clientChange(p, stored); changed != "" {
		return p, fmt.Errorf("it changes the %s of the stored profile, so the stored secret is not reused for it; "+
			"import a file made with --with-secrets, or supply the secret with 'tokentray edit %s' and the new settings plus --read-secret (or --private-key/--key FILE)", changed, explain.Printable(p.Name))
	}
	if p.ClientSecret == "" && auth.UsesSecret() {
		p.ClientSecret = stored.ClientSecret
	}
	if p.PrivateKeyPEM == "" && auth == tokens.AuthPrivateKeyJWT {
		p.PrivateKeyPEM = stored.PrivateKeyPEM
	}
	if p.ClientKeyPEM == "" && auth == tokens.AuthTLSClient {
		p.ClientKeyPEM = stored.ClientKeyPEM
	}
	p.Headers, p.Params = maps.Clone(p.Headers), maps.Clone(p.Params)
	for _, k := range headers {
		p.Headers[k] = stored.Headers[k]
	}
	for _, k := range params {
		p.Params[k] = stored.Params[k]
	}
	return p, nil
}

// clientChange names what makes p another client than stored (token URL,
// issuer URL, client ID, authentication method, an added endpoint origin),
// or "" for the same one.
func clientChange(p, stored tokens.Profile) string {
	a, b := p.Normalized(), stored.Normalized()
	var changed []string
	if a.TokenURL != b.TokenURL {
		changed = append(changed, "token URL")
	}
	if a.IssuerURL != b.IssuerURL {
		changed = append(changed, "issuer URL")
	}
	if a.ClientID != b.ClientID {
		changed = append(changed, "client ID")
	}
	if a.Auth != b.Auth {
		changed = append(changed, "authentication method")
	}
	// More origins for discovered endpoints: more places the secret may go.
	for _, o := range a.EndpointOrigins {
		if !slices.Contains(b.EndpointOrigins, o) {
			changed = append(changed, "endpoint origins")
			break
		}
	}
	return strings.Join(changed, " and ")
}

var errInputTooLarge = errors.New("input too large")

func readAllLimited(r io.Reader, limit int64) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", errInputTooLarge, limit)
	}
	return b, nil
}
