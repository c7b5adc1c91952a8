package tokens

import (
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Each Profile field's role is declared once, here, and everything that
// treats fields by their role derives from this table: what an export
// without secrets leaves out (WithoutSecrets), what a redactor searches
// for (SecretValues), which fields an import may not change while keeping
// the stored secret (ClientFields, importers' same-client rule), which
// URLs must be safe to show (EndpointURLFields). requestFields, the
// fields that shape the token request, is a struct of its own so that
// fingerprints stay stable; fieldroles_test.go checks that it agrees with
// RoleRequest here and that every Profile field has a role.

// FieldRole is what a Profile field is for; a field may have several
// roles (a bit set).
type FieldRole uint8

// The roles of Profile fields.
const (
	// RoleSecret: a credential. Left out of an export made without
	// secrets, taken from the stored profile only by an import of the same
	// client, redacted from everything a request shows.
	RoleSecret FieldRole = 1 << iota
	// RoleNamedSecrets: a map whose values are credentials when their
	// names look like one (LooksSecret: X-Api-Key, api_key, …). Those
	// values are treated as RoleSecret fields are; the names are not.
	RoleNamedSecrets
	// RoleClient: the client's identity and whom it trusts. Every URL
	// that receives the client's credentials (token, introspection,
	// revocation; the issuer, which names the token endpoint), the
	// origins such URLs may be on, the client ID, the authentication
	// method, and the CA bundle (the trust anchors that decide which
	// server may answer). A profile that changes any of them is another
	// client: a stored secret is not reused for it.
	RoleClient
	// RoleEndpoint: a URL Tokentray sends requests to. It must be https
	// (plain http on loopback only) and carry no credential in its user
	// information or query (CheckEndpointURL, CheckURLSecrets), as it is
	// shown in lists and exports.
	RoleEndpoint
	// RoleRequest: shapes what the token endpoint issues (requestFields,
	// the request fingerprint): changing it drops the cached token.
	RoleRequest
	// RoleLocal: how Tokentray itself uses the profile and its token: the
	// name, when to refresh, which git hosts may be handed the token.
	RoleLocal
)

// fieldRoles is the role of every Profile field, by its JSON name.
var fieldRoles = map[string]FieldRole{
	FieldName:             RoleLocal,
	FieldTokenURL:         RoleClient | RoleEndpoint | RoleRequest,
	FieldIssuerURL:        RoleClient | RoleEndpoint | RoleRequest,
	FieldClientID:         RoleClient | RoleRequest,
	FieldAuth:             RoleClient | RoleRequest,
	FieldClientSecret:     RoleSecret | RoleRequest,
	FieldPrivateKey:       RoleSecret | RoleRequest,
	FieldKeyID:            RoleRequest,
	FieldAlg:              RoleRequest,
	FieldClientCert:       RoleRequest, // public; without its key it authenticates nobody
	FieldClientKey:        RoleSecret | RoleRequest,
	FieldScopes:           RoleRequest,
	FieldAudience:         RoleRequest,
	FieldResource:         RoleRequest,
	FieldParams:           RoleNamedSecrets | RoleRequest,
	FieldHeaders:          RoleNamedSecrets | RoleRequest,
	FieldBody:             RoleRequest,
	FieldCABundle:         RoleClient | RoleRequest,
	FieldRefreshLead:      RoleLocal,
	FieldAssumedLifetime:  RoleLocal,
	FieldManualRefresh:    RoleLocal,
	FieldEndpointOrigins:  RoleClient | RoleRequest,
	FieldGitHosts:         RoleLocal,
	FieldIntrospectionURL: RoleClient | RoleEndpoint,
	FieldRevocationURL:    RoleClient | RoleEndpoint,
	FieldGrant:            RoleRequest,
	// Where the person signs in, and where the device grant's first
	// request (with the client's credentials) goes: both the client's.
	FieldAuthorizationURL:       RoleClient | RoleEndpoint | RoleRequest,
	FieldDeviceAuthorizationURL: RoleClient | RoleEndpoint | RoleRequest,
	FieldRedirectPort:           RoleLocal,
}

// profileFields maps each Profile field's JSON name to its index, in
// declaration order.
var profileFields = func() []profileField {
	var out []profileField
	for i, f := range slices.Collect(reflect.TypeFor[Profile]().Fields()) {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out = append(out, profileField{name: name, index: i})
	}
	return out
}()

type profileField struct {
	name  string
	index int
}

// Role returns the role of the Profile field named field (its JSON name,
// a Field* constant); zero for a name that is no field.
func Role(field string) FieldRole { return fieldRoles[field] }

// FieldsWith lists the JSON names of the Profile fields that have role r
// (any of its bits), in declaration order.
func FieldsWith(r FieldRole) []string {
	var out []string
	for _, f := range profileFields {
		if fieldRoles[f.name]&r != 0 {
			out = append(out, f.name)
		}
	}
	return out
}

// FieldValue returns the value of p's field named field (a JSON name):
// a string, []string, map[string]string, time.Duration, bool, or one of
// the string types (AuthMethod, BodyEncoding); nil for no such field.
func (p Profile) FieldValue(field string) any {
	for _, f := range profileFields {
		if f.name == field {
			return reflect.ValueOf(p).Field(f.index).Interface()
		}
	}
	return nil
}

// SetField sets p's field named field (a JSON name) to v, which must have
// the field's type (as FieldValue returns it). It panics otherwise, as
// for a name that is no field: both are programming errors.
func (p *Profile) SetField(field string, v any) {
	for _, f := range profileFields {
		if f.name == field {
			reflect.ValueOf(p).Elem().Field(f.index).Set(reflect.ValueOf(v))
			return
		}
	}
	panic("fieldroles: no Profile field " + field)
}

// WithoutSecrets returns a copy of p without its secrets: every RoleSecret
// field empty, and in every RoleNamedSecrets map the values of names that
// look secret emptied (the names stay, so an import can tell what is
// missing). p itself is not changed (maps are copied).
func (p Profile) WithoutSecrets() Profile {
	v := reflect.ValueOf(&p).Elem()
	for _, f := range profileFields {
		role, fv := fieldRoles[f.name], v.Field(f.index)
		switch {
		case role&RoleSecret != 0:
			fv.SetZero()
		case role&RoleNamedSecrets != 0 && !fv.IsNil():
			m := maps.Clone(fv.Interface().(map[string]string))
			for k := range m {
				if LooksSecret(k) {
					m[k] = ""
				}
			}
			fv.Set(reflect.ValueOf(m))
		}
	}
	return p
}

// SecretValue is one secret a profile holds: the field it is in (a
// Field* constant), the name within a RoleNamedSecrets map, and the value.
type SecretValue struct {
	Field string
	Name  string // the header or parameter name; "" for a RoleSecret field
	Value string
}

// SecretValues lists every non-empty secret of p: the RoleSecret fields,
// and the values of RoleNamedSecrets entries whose names look secret
// (entries in name order), in field order. A redactor searches for each.
func (p Profile) SecretValues() []SecretValue {
	var out []SecretValue
	v := reflect.ValueOf(p)
	for _, f := range profileFields {
		role, fv := fieldRoles[f.name], v.Field(f.index)
		switch {
		case role&RoleSecret != 0 && fv.String() != "":
			out = append(out, SecretValue{Field: f.name, Value: fv.String()})
		case role&RoleNamedSecrets != 0:
			m := fv.Interface().(map[string]string)
			for _, k := range slices.Sorted(maps.Keys(m)) {
				if m[k] != "" && LooksSecret(k) {
					out = append(out, SecretValue{Field: f.name, Name: k, Value: m[k]})
				}
			}
		}
	}
	return out
}

// CredentialField reports whether method m authenticates with the
// RoleSecret field named field: the client secret for the client_secret_*
// methods, the private key for private_key_jwt, the TLS client key for
// tls_client_auth.
func (m AuthMethod) CredentialField(field string) bool {
	switch field {
	case FieldClientSecret:
		return m.UsesSecret()
	case FieldPrivateKey:
		return m == AuthPrivateKeyJWT
	case FieldClientKey:
		return m == AuthTLSClient
	}
	return false
}
