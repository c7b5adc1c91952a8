package importers

import (
	"maps"
	"reflect"
	"slices"

	"github.com/tokentray/tokentray/tokens"
)

// keepSecrets fills secrets missing from an imported profile (an export
// made without secrets, a collection that keeps them elsewhere) from the
// stored profile of the same name: the tokens.RoleSecret fields its
// authentication method uses, and the values of tokens.RoleNamedSecrets
// entries (headers and parameters named like credentials). So
// re-importing such a file changes settings but keeps credentials. It does
// so only for the same client: a source that changes any
// tokens.RoleClient field (where credentials go, who the client is, whom
// it trusts) would otherwise get the stored secret sent to a host of its
// choosing (*ClientChangeError).
func keepSecrets(p, stored tokens.Profile) (tokens.Profile, error) {
	auth := p.Normalized().Auth
	var fields []string
	for _, f := range tokens.FieldsWith(tokens.RoleSecret) {
		if auth.CredentialField(f) && p.FieldValue(f) == "" && stored.FieldValue(f) != "" {
			fields = append(fields, f)
		}
	}
	named := map[string][]string{}
	for _, f := range tokens.FieldsWith(tokens.RoleNamedSecrets) {
		if names := missingSecretValues(p.FieldValue(f).(map[string]string), stored.FieldValue(f).(map[string]string)); len(names) > 0 {
			named[f] = names
		}
	}
	if len(fields) == 0 && len(named) == 0 {
		return p, nil
	}
	if changed := clientChange(p, stored); len(changed) > 0 {
		return p, &ClientChangeError{Name: p.Name, Changed: changed}
	}
	for _, f := range fields {
		p.SetField(f, stored.FieldValue(f))
	}
	for f, names := range named {
		m := maps.Clone(p.FieldValue(f).(map[string]string))
		from := stored.FieldValue(f).(map[string]string)
		for _, k := range names {
			m[k] = from[k]
		}
		p.SetField(f, m)
	}
	return p, nil
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
	slices.Sort(names)
	return names
}

// clientChange names the tokens.RoleClient fields (tokens.Field*) in which
// p is another client than stored, in field order, or nothing for the
// same one. A list (the endpoint origins) changes only by an added
// element: fewer origins are fewer places the secret may go.
func clientChange(p, stored tokens.Profile) []string {
	a, b := p.Normalized(), stored.Normalized()
	var changed []string
	for _, f := range tokens.FieldsWith(tokens.RoleClient) {
		va, vb := a.FieldValue(f), b.FieldValue(f)
		if list, ok := va.([]string); ok {
			if slices.ContainsFunc(list, func(s string) bool { return !slices.Contains(vb.([]string), s) }) {
				changed = append(changed, f)
			}
			continue
		}
		if !reflect.DeepEqual(va, vb) {
			changed = append(changed, f)
		}
	}
	return changed
}
