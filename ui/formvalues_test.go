package ui

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

func TestParseKV(t *testing.T) {
	m, err := parseKV("a=1\n\n# comment\n b = two words \nc=x=y", "=")
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"a": "1", "b": "two words", "c": "x=y"}; !maps.Equal(m, want) {
		t.Errorf("got %v", m)
	}
	h, err := parseKV("X-Tenant: acme\nAccept: application/json", ":")
	if err != nil || h["X-Tenant"] != "acme" || h["Accept"] != "application/json" {
		t.Errorf("headers %v %v", h, err)
	}
	for _, tc := range []struct{ text, sep, want string }{
		{"a=1\nnonsense", "=", "line 2: expected name=value"},
		{"=1", "=", "line 1: expected name=value"},
		{"a=1\na=2", "=", "line 2: a is given twice"},
		{"X-Tenant acme", ":", "line 1: expected Name: value"},
	} {
		if _, err := parseKV(tc.text, tc.sep); err == nil || err.Error() != tc.want {
			t.Errorf("parseKV(%q) error %v, want %q", tc.text, err, tc.want)
		}
	}
	if m, err := parseKV("  \n", "="); m != nil || err != nil {
		t.Errorf("blank: %v %v", m, err)
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "5m": 5 * time.Minute, "90s": 90 * time.Second, "1h30m": 90 * time.Minute, "10": 10 * time.Minute, "1 h": time.Hour} {
		if got, err := parseDuration(in); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"soon", "-5m", "-3"} {
		if _, err := parseDuration(in); err == nil {
			t.Errorf("parseDuration(%q) accepted", in)
		}
	}
	for d, want := range map[time.Duration]string{5 * time.Minute: "5m", 90 * time.Minute: "1h30m", 2 * time.Hour: "2h", 90 * time.Second: "1m30s", 45 * time.Second: "45s"} {
		if got := explain.Setting(d); got != want {
			t.Errorf("Setting(%v) = %q, want %q", d, got, want)
		}
		if back, _ := parseDuration(explain.Setting(d)); back != d {
			t.Errorf("round trip of %v gave %v", d, back)
		}
	}
}

func TestFormValuesRoundTrip(t *testing.T) {
	p := tokens.Profile{
		Name: "dev-api", TokenURL: "https://auth.example.com/token", ClientID: "cid",
		Auth: tokens.AuthPrivateKeyJWT, PrivateKeyPEM: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", KeyID: "k1", Alg: tokens.AlgES256,
		Scopes: []string{"read", "write"}, Audience: "api", Resource: "https://api.example.com",
		Params: map[string]string{"tenant": "acme"}, Headers: map[string]string{"X-Trace": "1"},
		Body: tokens.BodyJSON, CABundlePEM: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
		RefreshLead: 2 * time.Minute, AssumedLifetime: 30 * time.Minute, ManualRefresh: true,
		GitHosts:         []string{"git.example.com"},
		IntrospectionURL: "https://auth.example.com/introspect", RevocationURL: "https://auth.example.com/revoke",
	}
	got, problems := valuesFromProfile(p).profile()
	if len(problems) != 0 {
		t.Fatalf("problems %v", problems)
	}
	if !reflect.DeepEqual(got, p) {
		t.Errorf("round trip changed the profile:\n got %+v\nwant %+v", got, p)
	}
	// Fields the form does not show survive a save from the window.
	p.TokenURL, p.IssuerURL, p.EndpointOrigins = "", "https://issuer.example.com", []string{"https://login.example.com"}
	if got, _ := valuesFromProfile(p).profile(); !reflect.DeepEqual(got, p) {
		t.Errorf("round trip with an issuer changed the profile:\n got %+v\nwant %+v", got, p)
	}
}

func TestFormValuesKeepOnlyTheChosenCredentials(t *testing.T) {
	v := newFormValues()
	v.Name, v.TokenURL, v.ClientID = "x", "https://a.example/token", "c"
	v.Secret = "a-secret"
	v.PrivateKey = "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----"
	v.IssuerURL = "https://a.example"
	v.Auth = tokens.AuthPrivateKeyJWT
	p, _ := v.profile()
	if p.ClientSecret != "" || p.PrivateKeyPEM == "" {
		t.Errorf("private_key_jwt profile keeps secret %q / key %q", p.ClientSecret, p.PrivateKeyPEM)
	}
	if p.IssuerURL != "" || p.TokenURL == "" {
		t.Errorf("token URL chosen but issuer kept: %+v", p)
	}
	v.Auth, v.UseIssuer = tokens.AuthClientSecretPost, true
	p, _ = v.profile()
	if p.ClientSecret != "a-secret" || p.PrivateKeyPEM != "" || p.TokenURL != "" || p.IssuerURL == "" {
		t.Errorf("client_secret_post with issuer: %+v", p)
	}
}

func TestFormValuesParseProblemsByField(t *testing.T) {
	v := newFormValues()
	v.Params, v.Headers, v.RefreshLead, v.Assumed = "novalue", "Bad header", "soon", "-1m"
	_, problems := v.profile()
	keys := slices.Sorted(maps.Keys(problems))
	want := []string{tokens.FieldAssumedLifetime, tokens.FieldHeaders, tokens.FieldParams, tokens.FieldRefreshLead}
	if !slices.Equal(keys, want) {
		t.Errorf("problem fields %v, want %v", keys, want)
	}
	if !strings.Contains(problems[tokens.FieldRefreshLead], "5m") {
		t.Errorf("lead problem does not show an example: %q", problems[tokens.FieldRefreshLead])
	}
}
