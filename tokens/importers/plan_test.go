package importers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/testenv"
)

func writeExport(t *testing.T, f Export) string {
	t.Helper()
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(testenv.TempDir(t), "export.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A Tokentray export is read and planned like every source: an export
// without secrets plans as Replace with the stored secret kept for the
// same client, and names the missing secret of a new profile; a file over
// the size limit is refused by its size; another tool's file is not an
// export; Detect knows an export by its content.
func TestExportPlansLikeEverySource(t *testing.T) {
	stored := tokens.Profile{Name: "kept", TokenURL: "https://auth.example.com/token", ClientID: "c1", ClientSecret: "stored-secret-value", RefreshLead: 90 * time.Second}
	f := NewExport([]tokens.Profile{stored, {Name: "new-one", TokenURL: "https://auth.example.com/token", ClientID: "c2"}}, false, time.Now())
	path := writeExport(t, f)
	if data, _ := os.ReadFile(path); strings.Contains(string(data), stored.ClientSecret) || !strings.Contains(string(data), `"refresh_lead":"1m30s"`) {
		t.Fatalf("export:\n%s", data)
	}
	if format, err := Detect(path); err != nil || format != Tokentray {
		t.Fatalf("Detect: %q, %v", format, err)
	}
	res := mustRead(t, Tokentray, path, "")
	if res.Format != Tokentray || len(res.Candidates) != 2 || res.Candidates[0].Profile.RefreshLead != 90*time.Second {
		t.Fatalf("Read: %+v", res)
	}
	plan, err := NewPlan(res, []tokens.Profile{stored}, ReplacesByDefault(Tokentray))
	if err != nil {
		t.Fatal(err)
	}
	if r := plan.Rows[0]; r.Action != Replace || r.Profile.ClientSecret != stored.ClientSecret || r.SecretMissing != "" {
		t.Errorf("stored profile: %+v", r)
	}
	if r := plan.Rows[1]; r.Action != New || r.SecretMissing == "" || r.Profile.ClientSecret != "" {
		t.Errorf("new profile without a secret: %+v", r)
	}
	if got := plan.MissingSecrets(); len(got) != 1 || got[0] != plan.Rows[1].SecretMissing {
		t.Errorf("MissingSecrets %q", got)
	}

	big := filepath.Join(testenv.TempDir(t), "big.json")
	if err := os.WriteFile(big, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, MaxExportBytes+1); err != nil {
		t.Fatal(err)
	}
	var le *LimitError
	if _, err := Read(Tokentray, big, Options{}); !errors.As(err, &le) || !errors.Is(err, ErrTooLarge) || le.Limit != MaxExportBytes {
		t.Errorf("oversized export: %v", err)
	}
	if _, err := ReadExport(strings.NewReader(strings.Repeat(" ", MaxExportBytes+1)), "stdin"); !errors.As(err, &le) {
		t.Errorf("oversized stdin: %v", err)
	}
	if _, err := Read(Tokentray, "testdata/postman/Oauth2.postman_collection.json", Options{}); err == nil {
		t.Error("a Postman collection was read as a Tokentray export")
	}
}

// The plan's rules, for every format: a clash unless replacing, a repeated
// name, another client (the stored secret is not reused), an invalid
// profile, the profile count limit.
func TestPlanRules(t *testing.T) {
	stored := tokens.Profile{Name: "svc", TokenURL: "https://auth.example.com/token", ClientID: "c1", ClientSecret: "stored-secret-value"}
	cand := func(p tokens.Profile) Candidate { return Candidate{Profile: p} }
	moved := stored
	moved.ClientSecret, moved.TokenURL = "", "https://attacker.example/token"
	res := &Result{Format: Postman, Candidates: []Candidate{
		cand(moved),
		cand(tokens.Profile{Name: "plain", TokenURL: "http://auth.example.com/token", ClientID: "c", ClientSecret: "s3cret-value"}),
		cand(tokens.Profile{Name: "ok", TokenURL: "https://auth.example.com/token", ClientID: "c", ClientSecret: "s3cret-value"}),
		cand(tokens.Profile{Name: "ok", TokenURL: "https://other.example.com/token", ClientID: "c", ClientSecret: "s3cret-value"}),
		{Profile: tokens.Profile{Name: "bad"}, Problems: []Problem{{Code: ProblemUnsetVariable, Field: tokens.FieldTokenURL, Var: "host"}}},
	}}
	existing := []tokens.Profile{stored}

	plan, err := NewPlan(res, existing, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []Action{Clash, Unusable, New, Unusable, Unusable}
	for i, r := range plan.Rows {
		if r.Action != want[i] {
			t.Errorf("row %d %q: action %d, want %d (%v)", i, r.Profile.Name, r.Action, want[i], r.Err)
		}
	}
	var ve *tokens.ValidationError
	if !errors.As(plan.Rows[1].Err, &ve) || !errors.Is(plan.Rows[3].Err, ErrDuplicateName) || plan.Importable() != 1 {
		t.Errorf("reasons: %v, %v; importable %d", plan.Rows[1].Err, plan.Rows[3].Err, plan.Importable())
	}

	plan, _ = NewPlan(res, existing, true)
	var ce *ClientChangeError
	if r := plan.Rows[0]; r.Action != Unusable || !errors.As(r.Err, &ce) || ce.Name != "svc" || len(ce.Changed) != 1 || ce.Changed[0] != tokens.FieldTokenURL || r.Profile.ClientSecret != "" {
		t.Errorf("another client replacing svc: %+v", r)
	}

	many := &Result{Format: Tokentray}
	for range MaxProfiles + 1 {
		many.Candidates = append(many.Candidates, cand(stored))
	}
	var le *LimitError
	if _, err := NewPlan(many, nil, true); !errors.As(err, &le) || le.Profiles != MaxProfiles+1 {
		t.Errorf("%d profiles: %v", MaxProfiles+1, err)
	}
}

// A profile from an export made without secrets whose credential-named
// header and parameter were blanked is importable, like one without its
// client secret: the plan asks for their values, Apply puts in the ones
// given and saves the rest as a draft, saying what is still blank. It was
// refused outright ("has no value").
func TestBlankCredentialsAreAskedForOrLeftToAnEdit(t *testing.T) {
	p := tokens.Profile{Name: "keyed", TokenURL: "https://auth.example.com/token", ClientID: "c",
		Headers: map[string]string{"X-Api-Key": "secret-header-value", "X-Tenant": "acme"},
		Params:  map[string]string{"api_key": "secret-param-value"}}
	f := NewExport([]tokens.Profile{p}, false, time.Unix(0, 0))
	data, _ := json.Marshal(f)
	res, err := ReadExport(bytes.NewReader(data), "export.json")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := NewPlan(res, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if r := plan.Rows[0]; r.Action != New {
		t.Fatalf("action %d: %v", r.Action, r.Err)
	}
	want := []string{"client secret of keyed", "header X-Api-Key of keyed", "parameter api_key of keyed"}
	if got := plan.MissingSecrets(); !slices.Equal(got, want) {
		t.Fatalf("missing %q, want %q", got, want)
	}
	// The header's value given, the parameter's not.
	st := tokens.NewMemoryStore()
	m := tokens.NewManager(tokens.ManagerOptions{Store: st})
	defer m.Close()
	out, err := Apply(context.Background(), m, plan, map[string]string{"header X-Api-Key of keyed": "given-value"})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Incomplete) != 1 || len(out.Incomplete[0].Headers) != 0 || !slices.Equal(out.Incomplete[0].Params, []string{"api_key"}) ||
		!slices.Equal(out.NeedSecret, []string{"keyed"}) {
		t.Fatalf("outcome %+v", out)
	}
	saved, _, _ := st.Load(context.Background())
	if len(saved) != 1 || saved[0].Headers["X-Api-Key"] != "given-value" || saved[0].Headers["X-Tenant"] != "acme" || saved[0].Params["api_key"] != "" {
		t.Fatalf("saved %+v", saved)
	}
	if plan.Rows[0].Profile.Headers["X-Api-Key"] != "" {
		t.Fatal("Apply changed the plan's profile")
	}
}

// Every tokens.RoleClient field is part of the same-client rule: an
// import without the secret that moves the introspection or revocation
// URL, or adds or changes the CA bundle, does not get the stored secret
// (before, only the token URL, issuer, client ID, method and added
// origins counted); settings that are not the client's keep it.
func TestSameClientCoversEveryClientField(t *testing.T) {
	stored := tokens.Profile{Name: "svc", TokenURL: "https://auth.example.com/token", ClientID: "c1", ClientSecret: "stored-secret-value",
		IntrospectionURL: "https://auth.example.com/introspect", Headers: map[string]string{"X-Api-Key": "stored-key-value"}}
	ca := "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
	for _, tc := range []struct {
		name    string
		change  func(p *tokens.Profile)
		changed []string // nil: the secret is kept
	}{
		{"a scope", func(p *tokens.Profile) { p.Scopes = []string{"more"} }, nil},
		{"the refresh lead", func(p *tokens.Profile) { p.RefreshLead = time.Hour }, nil},
		{"introspection elsewhere", func(p *tokens.Profile) { p.IntrospectionURL = "https://auth.example.com/v2/introspect" }, []string{tokens.FieldIntrospectionURL}},
		{"revocation added", func(p *tokens.Profile) { p.RevocationURL = "https://auth.example.com/revoke" }, []string{tokens.FieldRevocationURL}},
		{"a CA bundle added", func(p *tokens.Profile) { p.CABundlePEM = ca }, []string{tokens.FieldCABundle}},
		{"token URL and CA", func(p *tokens.Profile) { p.TokenURL, p.CABundlePEM = "https://evil.example/token", ca }, []string{tokens.FieldTokenURL, tokens.FieldCABundle}},
	} {
		p := stored.WithoutSecrets()
		tc.change(&p)
		got, err := keepSecrets(p, stored)
		var ce *ClientChangeError
		switch {
		case tc.changed == nil && (err != nil || got.ClientSecret != stored.ClientSecret || got.Headers["X-Api-Key"] != "stored-key-value"):
			t.Errorf("%s: %v, secrets %q %q; want them kept", tc.name, err, got.ClientSecret, got.Headers["X-Api-Key"])
		case tc.changed != nil && (!errors.As(err, &ce) || !slices.Equal(ce.Changed, tc.changed) || got.ClientSecret != "" || got.Headers["X-Api-Key"] != ""):
			t.Errorf("%s: %v, secrets %q %q; want a *ClientChangeError naming %q", tc.name, err, got.ClientSecret, got.Headers["X-Api-Key"], tc.changed)
		}
	}
}
