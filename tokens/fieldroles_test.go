package tokens_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/storetest"
)

// jsonName is a struct field's JSON name.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// TestEveryProfileFieldHasARole fails for a Profile field added without a
// role: what an export leaves out, what an import may change while keeping
// the stored secret and what a redactor searches for all derive from the
// role table, so a field must be placed there on purpose. The table also
// agrees with requestFields (the fingerprint) and gives each role fields
// of the type its users read.
func TestEveryProfileFieldHasARole(t *testing.T) {
	request := map[string]bool{}
	for f := range reflect.TypeFor[tokens.RequestFields]().Fields() {
		request[jsonName(f)] = true
	}
	for f := range reflect.TypeFor[tokens.Profile]().Fields() {
		name, role := jsonName(f), tokens.Role(jsonName(f))
		if role == 0 {
			t.Errorf("tokens.Profile.%s (%q) has no role in fieldRoles: say whether it is a secret, part of the client's identity, an endpoint, shapes the request, or is local", f.Name, name)
			continue
		}
		if role&tokens.RoleRequest != 0 != request[name] {
			t.Errorf("tokens.Profile.%s: RoleRequest is %v, requestFields says %v", f.Name, role&tokens.RoleRequest != 0, request[name])
		}
		want := map[tokens.FieldRole]reflect.Type{
			tokens.RoleSecret: reflect.TypeFor[string](), tokens.RoleEndpoint: reflect.TypeFor[string](),
			tokens.RoleNamedSecrets: reflect.TypeFor[map[string]string](),
		}
		for r, typ := range want {
			if role&r != 0 && f.Type != typ {
				t.Errorf("tokens.Profile.%s has role %b but type %v, want %v", f.Name, r, f.Type, typ)
			}
		}
		if role&tokens.RoleSecret != 0 && role&tokens.RoleClient != 0 {
			t.Errorf("tokens.Profile.%s: a secret cannot be compared to tell the same client", f.Name)
		}
	}
	for name := range tokens.FieldRoles {
		if !slices.ContainsFunc(slices.Collect(reflect.TypeFor[tokens.Profile]().Fields()), func(f reflect.StructField) bool { return jsonName(f) == name }) {
			t.Errorf("the role table names %q, no tokens.Profile field", name)
		}
	}
	// Every URL that receives the client's credentials and the trust
	// anchors are the client's identity (issue 24).
	for _, f := range []string{tokens.FieldTokenURL, tokens.FieldIssuerURL, tokens.FieldIntrospectionURL, tokens.FieldRevocationURL,
		tokens.FieldCABundle, tokens.FieldEndpointOrigins, tokens.FieldClientID, tokens.FieldAuth} {
		if tokens.Role(f)&tokens.RoleClient == 0 {
			t.Errorf("%s is not RoleClient", f)
		}
	}
	if got := tokens.FieldsWith(tokens.RoleEndpoint); !slices.Equal(got, []string{tokens.FieldTokenURL, tokens.FieldIssuerURL, tokens.FieldIntrospectionURL, tokens.FieldRevocationURL,
		tokens.FieldAuthorizationURL, tokens.FieldDeviceAuthorizationURL}) {
		t.Errorf("endpoint fields %q", got)
	}
}

// WithoutSecrets leaves out exactly the secrets SecretValues lists, and
// keeps every other value (the names of secret headers and parameters too).
func TestWithoutSecretsAndSecretValuesAgree(t *testing.T) {
	p := storetest.FullProfile("p")
	p.Params["api_key"] = "param-secret-value"
	var got []string
	for _, s := range p.SecretValues() {
		got = append(got, s.Field+"/"+s.Name+"="+s.Value)
	}
	want := []string{
		"client_secret/=" + p.ClientSecret, "private_key_pem/=" + p.PrivateKeyPEM, "client_key_pem/=" + p.ClientKeyPEM,
		"params/api_key=param-secret-value", "headers/X-Api-Key=k",
	}
	if !slices.Equal(got, want) {
		t.Errorf("SecretValues:\n got %q\nwant %q", got, want)
	}
	bare := p.WithoutSecrets()
	if s := bare.SecretValues(); len(s) != 0 {
		t.Errorf("WithoutSecrets kept %+v", s)
	}
	if p.ClientSecret == "" || p.Params["api_key"] == "" || p.Headers["X-Api-Key"] == "" {
		t.Error("WithoutSecrets changed its receiver's maps")
	}
	if _, ok := bare.Headers["X-Api-Key"]; !ok || bare.Headers["X-Trace"] != "1" || bare.Params["tenant"] != "t1" {
		t.Errorf("WithoutSecrets lost a name or an ordinary value: %v %v", bare.Headers, bare.Params)
	}
	for f := range reflect.TypeFor[tokens.Profile]().Fields() {
		name := jsonName(f)
		if tokens.Role(name)&(tokens.RoleSecret|tokens.RoleNamedSecrets) == 0 && !reflect.DeepEqual(bare.FieldValue(name), p.FieldValue(name)) {
			t.Errorf("WithoutSecrets changed %s", name)
		}
	}
	var q tokens.Profile
	q.SetField(tokens.FieldRevocationURL, "https://x.example/r")
	if q.RevocationURL != "https://x.example/r" || q.FieldValue(tokens.FieldRevocationURL) != "https://x.example/r" {
		t.Errorf("SetField/FieldValue: %+v", q)
	}
}
