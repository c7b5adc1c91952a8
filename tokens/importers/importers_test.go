package importers

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"

	"github.com/tokentray/tokentray/tokens/testenv"
)

func mustRead(t *testing.T, f Format, path, env string) *Result {
	t.Helper()
	r, err := Read(f, path, Options{Environment: env})
	if err != nil {
		t.Fatalf("Read(%s, %s): %v", f, path, err)
	}
	return r
}

func find(t *testing.T, r *Result, name string) Candidate {
	t.Helper()
	for _, c := range r.Candidates {
		if c.Profile.Name == name {
			return c
		}
	}
	var names []string
	for _, c := range r.Candidates {
		names = append(names, c.Profile.Name)
	}
	t.Fatalf("no candidate %q among %q", name, names)
	return Candidate{}
}

func skippedReasons(r *Result) map[string]string {
	m := map[string]string{}
	for _, s := range r.Skipped {
		switch s.Code {
		case SkipGrant:
			m[s.Origin] = "grant " + strconv.Quote(s.Grant)
		case SkipUnreadable:
			m[s.Origin] = "unreadable: " + s.Err.Error()
		}
	}
	return m
}

// usable: the candidate needs nothing more and validates as a profile.
func usable(t *testing.T, c Candidate) {
	t.Helper()
	if len(c.Problems) > 0 || c.SecretMissing != "" {
		t.Fatalf("%s: problems %+v, secret missing %q", c.Profile.Name, c.Problems, c.SecretMissing)
	}
	if err := c.Profile.Validate(); err != nil {
		t.Fatalf("%s: %v", c.Profile.Name, err)
	}
}

func TestPostmanFolderAuthRealExport(t *testing.T) {
	r := mustRead(t, Postman, "testdata/postman/Oauth2Folder.postman_collection.json", "")
	if r.Source != "Oauth2 Folder" || len(r.Candidates) != 3 || len(r.Skipped) != 0 {
		t.Fatalf("got %+v", r)
	}
	folder := find(t, r, "Oauth2 Folder - Inherited Folder")
	usable(t, folder)
	p := folder.Profile
	if p.TokenURL != "http://localhost:3000/oauth2/token" || p.ClientID != "folder-client-id" || p.ClientSecret != "folder-client-secret" ||
		!slices.Equal(p.Scopes, []string{"example_read", "example_write"}) || p.Normalized().Auth != tokens.AuthClientSecretBasic {
		t.Fatalf("folder profile %+v", p)
	}
	req := find(t, r, "Oauth2 Folder - Inherited Folder - Query Placement No Prefix")
	usable(t, req)
	if req.Profile.ClientID != "client-id-query" || req.Origin != "Oauth2 Folder / Inherited Folder / Query Placement No Prefix" {
		t.Fatalf("request profile %+v", req)
	}
}

func TestPostmanV21RealExportPlacesParams(t *testing.T) {
	r := mustRead(t, Postman, "testdata/postman/Oauth2.postman_collection.json", "")
	if len(r.Skipped) != 0 {
		t.Fatalf("skipped %+v (Auth Code is a sign-in profile: signin_test.go)", r.Skipped)
	}
	c := find(t, r, "Oauth2 - Client Creds")
	p := c.Profile
	// tokenRequestParams: request_body → body, request_header → header, request_url → token URL query.
	if p.Params["tokenKey"] != "tokenValue" || p.Headers["tokenKey2"] != "tokenValue2" || p.TokenURL != "https://api.example.com/access?tokenKey1=tokenValue1" {
		t.Fatalf("params %+v headers %+v url %q", p.Params, p.Headers, p.TokenURL)
	}
	// {{client_id}} and {{client_secret}} have no value without an environment:
	// reported, and the secret is asked for, never stored as "{{client_secret}}".
	if p.ClientSecret != "" || c.SecretMissing != "client_secret" || len(c.Problems) != 1 || c.Problems[0].Code != ProblemUnsetVariable || c.Problems[0].Field != tokens.FieldClientID || c.Problems[0].Var != "client_id" {
		t.Fatalf("unresolved: secret %q missing %q problems %+v", p.ClientSecret, c.SecretMissing, c.Problems)
	}
	// The refresh and authorization parameters are not token request parameters.
	if _, ok := p.Params["refreshKey"]; ok || strings.Contains(p.TokenURL, "authKey") {
		t.Fatalf("refresh/auth params leaked into the token request: %+v %q", p.Params, p.TokenURL)
	}
}

func TestPostmanV20WithEnvironmentAndCollectionVariables(t *testing.T) {
	r := mustRead(t, Postman, "testdata/postman/own-v2.0.postman_collection.json", "testdata/postman/own-cc.postman_environment.json")
	c := find(t, r, "Billing API - billing")
	usable(t, c)
	p := c.Profile
	// The environment wins over the collection variable (auth_base); a
	// disabled environment value does not hide the collection's (tenant).
	if p.TokenURL != "https://login.staging.example.com/oauth2/token" || p.ClientID != "billing-staging" || p.ClientSecret != "st4ging-s3cret-from-env" {
		t.Fatalf("resolved %+v", p)
	}
	if p.Auth != tokens.AuthClientSecretPost || p.Audience != "https://billing.example.com" || p.Params["tenant"] != "acme" || p.Headers["X-Request-Source"] != "tokentray" {
		t.Fatalf("settings %+v", p)
	}
	if _, ok := p.Params["debug"]; ok {
		t.Fatal("a disabled parameter was imported")
	}
	if _, ok := p.Params["grant_type"]; ok || len(c.Notes) != 1 || c.Notes[0] != (Note{Code: NoteReservedParam, Param: "grant_type"}) {
		t.Fatalf("grant_type override: params %+v notes %q", p.Params, c.Notes)
	}
	if why := skippedReasons(r)["Billing API / Browser login"]; !strings.Contains(why, `"implicit"`) {
		t.Fatalf("implicit grant: %q", why)
	}
	if len(r.Candidates) != 1 {
		t.Fatalf("%d candidates: requests inheriting the collection's auth make no profile of their own", len(r.Candidates))
	}
	// Without the environment the collection variable applies and the rest is reported.
	r = mustRead(t, Postman, "testdata/postman/own-v2.0.postman_collection.json", "")
	c = r.Candidates[0]
	if c.Profile.TokenURL != "https://collection-default.example.com/oauth2/token" || c.SecretMissing != "client_secret" {
		t.Fatalf("without env: %+v", c)
	}
	// A real environment export (Kong/insomnia fixture) reads; it has none of the variables.
	r = mustRead(t, Postman, "testdata/postman/own-v2.0.postman_collection.json", "testdata/postman/basic-input.postman_environment.json")
	if r.Candidates[0].SecretMissing != "client_secret" {
		t.Fatalf("with an unrelated environment: %+v", r.Candidates[0])
	}
}

func TestBrunoRealCollection(t *testing.T) {
	r := mustRead(t, Bruno, "testdata/bruno/collection_oauth2", "")
	if r.Source != "OAuth2 Demo" {
		t.Fatalf("source %q", r.Source)
	}
	c := find(t, r, "OAuth2 Demo - auth - oauth2 - client_credentials - token")
	usable(t, c)
	if c.Profile.TokenURL != "http://localhost:8080/api/auth/oauth2/client_credentials/token" || c.Profile.ClientID != "client_id_1" ||
		c.Profile.ClientSecret != "client_secret_1" || !slices.Equal(c.Profile.Scopes, []string{"admin"}) {
		t.Fatalf("from environments/Local.bru: %+v", c.Profile)
	}
	// The "cc" request has no access_token_url (Bruno used the request URL): reported.
	if cc := find(t, r, "OAuth2 Demo - auth - oauth2 - cc - token"); !slices.ContainsFunc(cc.Problems, func(p Problem) bool { return p.Code == ProblemMissing && p.Field == tokens.FieldTokenURL }) {
		t.Fatalf("cc: %+v", cc)
	}
	skipped := skippedReasons(r)
	if !strings.Contains(skipped["OAuth2 Demo / auth / oauth2 / password_credentials / token"], `"password"`) || len(skipped) != 1 {
		t.Fatalf("skipped %q", skipped)
	}
}

func TestBrunoEdgeCases(t *testing.T) {
	r := mustRead(t, Bruno, "testdata/bruno/own-edge", "")
	if len(r.Candidates) != 2 {
		t.Fatalf("%d candidates, want 2 (the request repeating the collection's settings is the same profile)", len(r.Candidates))
	}
	coll := find(t, r, "Shop APIs")
	p := coll.Profile
	if p.TokenURL != "https://auth.dev.example.com/oauth/token" || p.ClientID != "shop-dev" || p.Auth != tokens.AuthClientSecretPost ||
		p.Audience != "https://shop.example.com" || p.Headers["X-Tenant"] != "acme" || len(p.Params) != 0 {
		t.Fatalf("collection profile %+v", p)
	}
	// vars:secret: Bruno keeps the value out of the files, so it is asked for;
	// the "client_secret: …" line in the docs block is text, not a value.
	if coll.SecretMissing != "client_secret" || p.ClientSecret != "" {
		t.Fatalf("secret %q missing %q", p.ClientSecret, coll.SecretMissing)
	}
	folder := find(t, r, "Shop APIs - Payments")
	if folder.Profile.ClientID != "payments-dev" || folder.Profile.Normalized().Auth != tokens.AuthClientSecretBasic || folder.SecretMissing != "payments_secret" {
		t.Fatalf("folder profile %+v", folder)
	}
	// Choosing an environment that does not exist is an error naming it.
	if _, err := Read(Bruno, "testdata/bruno/own-edge", Options{Environment: "Prod"}); err == nil || !strings.Contains(err.Error(), "Prod") {
		t.Fatalf("missing environment: %v", err)
	}
}

func TestBrunoSeveralEnvironmentsNeedAChoice(t *testing.T) {
	dir := testenv.TempDir(t)
	if err := os.CopyFS(dir, os.DirFS("testdata/bruno/own-edge")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "environments", "Prod.bru"), []byte("vars {\n  base_url: https://auth.example.com\n  client_id: shop\n}\n"), 0o600)
	if _, err := Read(Bruno, dir, Options{}); err == nil || !strings.Contains(err.Error(), "Dev, Prod") {
		t.Fatalf("two environments, none chosen: %v", err)
	}
	r := mustRead(t, Bruno, dir, "Prod")
	if p := find(t, r, "Shop APIs").Profile; p.TokenURL != "https://auth.example.com/oauth/token" || p.ClientID != "shop" {
		t.Fatalf("--env Prod: %+v", p)
	}
}

func TestInsomniaV4AndV5(t *testing.T) {
	r := mustRead(t, Insomnia, "testdata/insomnia/own-v4.json", "Dev")
	c := find(t, r, "Inventory - Stock")
	usable(t, c)
	p := c.Profile
	// Sub environment over base; nested {{ _.auth.host }}.
	if p.TokenURL != "https://auth.dev.example.com/oauth/token" || p.ClientID != "inv-base" || p.ClientSecret != "dev-s3cret-value" ||
		p.Auth != tokens.AuthClientSecretPost || p.Audience != "https://inventory.example.com" {
		t.Fatalf("v4 Dev: %+v", p)
	}
	if !strings.Contains(skippedReasons(r)["Inventory / Admin"], `"password"`) {
		t.Fatalf("skipped %+v", r.Skipped)
	}
	if p := mustRead(t, Insomnia, "testdata/insomnia/own-v4.json", "Prod").Candidates[0].Profile; p.ClientID != "inv-prod" || p.TokenURL != "https://auth.example.com/oauth/token" {
		t.Fatalf("v4 Prod: %+v", p)
	}
	// Two sub environments and none chosen: the base alone; the secret is missing.
	if c := mustRead(t, Insomnia, "testdata/insomnia/own-v4.json", "").Candidates[0]; c.SecretMissing != "client_secret" {
		t.Fatalf("v4 base only: %+v", c)
	}
	if _, err := Read(Insomnia, "testdata/insomnia/own-v4.json", Options{Environment: "Staging"}); err == nil || !strings.Contains(err.Error(), "Dev, Prod") {
		t.Fatalf("unknown environment: %v", err)
	}

	r = mustRead(t, Insomnia, "testdata/insomnia/own-v5.yaml", "")
	c = find(t, r, "Inventory v5 - Stock")
	usable(t, c)
	if c.Profile.ClientSecret != "v5-s3cret-value" || c.Profile.Normalized().Auth != tokens.AuthClientSecretBasic {
		t.Fatalf("v5: %+v", c.Profile)
	}
	if len(r.Skipped) != 0 || len(r.Candidates) != 2 {
		t.Fatalf("v5: skipped %+v, %d candidates (Login is a sign-in profile: signin_test.go)", r.Skipped, len(r.Candidates))
	}
}

func TestInsomniaRealExports(t *testing.T) {
	r := mustRead(t, Insomnia, "testdata/insomnia/postman-export-oauth2-v2_1-output.json", "")
	if len(r.Candidates) != 1 || len(r.Skipped) != 0 { // a sign-in profile: signin_test.go
		t.Fatalf("%+v", r)
	}
	// Disabled OAuth 2.0 settings are not a configuration at all.
	r = mustRead(t, Insomnia, "testdata/insomnia/oauth2_0-auth-v2_0-output.json", "")
	if len(r.Candidates) != 0 || len(r.Skipped) != 0 {
		t.Fatalf("disabled auth: %+v", r)
	}
}

func TestDetect(t *testing.T) {
	for path, want := range map[string]Format{
		"testdata/postman/Oauth2.postman_collection.json":          Postman,
		"testdata/postman/own-v2.0.postman_collection.json":        Postman,
		"testdata/bruno/collection_oauth2":                         Bruno,
		"testdata/insomnia/own-v4.json":                            Insomnia,
		"testdata/insomnia/own-v5.yaml":                            Insomnia,
		"testdata/insomnia/postman-export-oauth2-v2_1-output.json": Insomnia,
	} {
		if got, err := Detect(path); got != want || err != nil {
			t.Errorf("Detect(%s) = %q, %v; want %q", path, got, err, want)
		}
	}
	for path, why := range map[string]string{
		"testdata/postman/own-cc.postman_environment.json": "Postman environment",
		"testdata/bruno/own-edge/collection.bru":           "choose the collection's folder",
		"testdata":                                         "without bruno.json",
	} {
		if _, err := Detect(path); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("Detect(%s): %v, want %q", path, err, why)
		}
	}
}

// Hostile inputs: size is checked before reading, nesting is bounded,
// names lose control characters and slashes, and a Postman v1 file is
// told apart.
func TestHostileInputs(t *testing.T) {
	dir := testenv.TempDir(t)
	big := filepath.Join(dir, "big.json")
	f, _ := os.Create(big)
	f.Truncate(MaxFileSize + 1) // sparse: nothing is written, a reader would read 16 MiB of zeros
	f.Close()
	if _, err := Read(Postman, big, Options{}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("oversized file: %v", err)
	}
	if _, err := Detect(big); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Detect on an oversized file: %v", err)
	}

	deep := `{"info":{"name":"d","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},"item":[` +
		strings.Repeat(`{"name":"f","item":[`, MaxNesting+2) + strings.Repeat(`]}`, MaxNesting+2) + `]}`
	os.WriteFile(filepath.Join(dir, "deep.json"), []byte(deep), 0o600)
	if _, err := Read(Postman, filepath.Join(dir, "deep.json"), Options{}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("deep nesting: %v", err)
	}

	hostile := `{"info":{"name":"Evil\u001b[31m/Coll\u202e","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
	  "item":[{"name":"a\nb\tc/` + strings.Repeat("é", 80) + `","request":{"url":"https://x","auth":{"type":"oauth2","oauth2":[
	    {"key":"grant_type","value":"client_credentials"},{"key":"accessTokenUrl","value":"https://auth.example.com/token"},
	    {"key":"clientId","value":"c"},{"key":"clientSecret","value":"s"}]}}}]}`
	os.WriteFile(filepath.Join(dir, "hostile.json"), []byte(hostile), 0o600)
	r := mustRead(t, Postman, filepath.Join(dir, "hostile.json"), "")
	name := r.Candidates[0].Profile.Name
	if strings.ContainsAny(name, "\x1b\n\t/\u202e") || len(name) > 100 || !strings.HasPrefix(name, "Evil-Coll - a b c-é") {
		t.Fatalf("hostile name became %q (%d bytes)", name, len(name))
	}
	if err := r.Candidates[0].Profile.Validate(); err != nil {
		t.Fatalf("cleaned name does not validate: %v", err)
	}

	os.WriteFile(filepath.Join(dir, "v1.json"), []byte(`{"id":"x","name":"old","requests":[]}`), 0o600)
	if _, err := Read(Postman, filepath.Join(dir, "v1.json"), Options{}); err == nil || !strings.Contains(err.Error(), "v1") {
		t.Fatalf("v1 collection: %v", err)
	}
	// An unclosed Bruno block is reported for that file; the others import.
	bad := testenv.TempDir(t)
	if err := os.CopyFS(bad, os.DirFS("testdata/bruno/own-edge")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(bad, "broken.bru"), []byte("meta {\n  name: broken\n"), 0o600)
	r = mustRead(t, Bruno, bad, "")
	if len(r.Candidates) != 2 || !strings.Contains(skippedReasons(r)["Shop APIs / broken.bru"], "not closed") {
		t.Fatalf("broken .bru: %+v", r)
	}
}

func TestUniqueNames(t *testing.T) {
	long := strings.Repeat("n", 100)
	cands := []Candidate{{Profile: tokens.Profile{Name: "A"}}, {Profile: tokens.Profile{Name: "a"}}, {Profile: tokens.Profile{Name: "A"}},
		{Profile: tokens.Profile{Name: long}}, {Profile: tokens.Profile{Name: long}}}
	uniqueNames(cands)
	var got []string
	for _, c := range cands {
		got = append(got, c.Profile.Name)
	}
	if got[0] != "A" || got[1] != "a (2)" || got[2] != "A (3)" || got[3] != long || got[4] != strings.Repeat("n", 96)+" (2)" {
		t.Fatalf("names %q", got)
	}
}
