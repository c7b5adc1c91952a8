package importers

import (
	"maps"
	"slices"

	"github.com/tokentray/tokentray/tokens"
)

// keepSecrets fills secret fields missing from an imported profile (an
// export made without secrets, a collection that keeps them elsewhere)
// from the stored profile of the same name (the client secret, the keys,
// and the values of headers and parameters named like credentials), so
// re-importing such a file changes settings but keeps credentials. It does
// so only for the same client: a source that points the name at another
// token URL or issuer, client ID or authentication method would otherwise
// get the stored secret sent to a host of its choosing (*ClientChangeError).
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
	if changed := clientChange(p, stored); len(changed) > 0 {
		return p, &ClientChangeError{Name: p.Name, Changed: changed}
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

// clientChange names the fields (tokens.Field*) that make p another client
// than stored (token URL, issuer URL, client ID, authentication method, an
// added endpoint origin), or nothing for the same one.
func clientChange(p, stored tokens.Profile) []string {
	a, b := p.Normalized(), stored.Normalized()
	var changed []string
	if a.TokenURL != b.TokenURL {
		changed = append(changed, tokens.FieldTokenURL)
	}
	if a.IssuerURL != b.IssuerURL {
		changed = append(changed, tokens.FieldIssuerURL)
	}
	if a.ClientID != b.ClientID {
		changed = append(changed, tokens.FieldClientID)
	}
	if a.Auth != b.Auth {
		changed = append(changed, tokens.FieldAuth)
	}
	// More origins for discovered endpoints: more places the secret may go.
	for _, o := range a.EndpointOrigins {
		if !slices.Contains(b.EndpointOrigins, o) {
			changed = append(changed, tokens.FieldEndpointOrigins)
			break
		}
	}
	return changed
}
