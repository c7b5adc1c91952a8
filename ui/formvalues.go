package ui

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// formValues is the profile form's content as typed: strings for every
// entry, so half-typed input is never lost or reformatted. Pure data.
type formValues struct {
	Name        string
	UseIssuer   bool // discover the token URL from IssuerURL
	TokenURL    string
	IssuerURL   string
	ClientID    string
	Auth        tokens.AuthMethod
	Secret      string
	PrivateKey  string
	KeyID       string
	Alg         string
	ClientCert  string
	ClientKey   string
	CABundle    string
	Scopes      string
	Audience    string
	Resource    string
	Introspect  string // introspection URL
	Revoke      string // revocation URL
	Params      string
	Headers     string
	Body        tokens.BodyEncoding
	RefreshLead string
	Assumed     string
	AutoRefresh bool
	// Set on the command line only, one per line: the form carries them
	// unchanged, so saving from the window never drops them.
	EndpointOrigins string
	GitHosts        string
	// The grant and its sign-in fields (formsignin.go).
	SignIn signInValues
}

// signInValues are a profile's sign-in fields as the form carries them.
type signInValues struct {
	Grant                                    tokens.Grant
	AuthorizationURL, DeviceAuthorizationURL string
	RedirectPort                             int
}

// valuesFromProfile fills the form from a saved profile.
func valuesFromProfile(p tokens.Profile) formValues {
	n := p.Normalized()
	v := formValues{
		Name:            p.Name,
		UseIssuer:       p.TokenURL == "" && p.IssuerURL != "",
		TokenURL:        p.TokenURL,
		IssuerURL:       p.IssuerURL,
		ClientID:        p.ClientID,
		Auth:            n.Auth,
		Secret:          p.ClientSecret,
		PrivateKey:      p.PrivateKeyPEM,
		KeyID:           p.KeyID,
		Alg:             p.Alg,
		ClientCert:      p.ClientCertPEM,
		ClientKey:       p.ClientKeyPEM,
		CABundle:        p.CABundlePEM,
		Scopes:          strings.Join(p.Scopes, " "),
		Audience:        p.Audience,
		Resource:        p.Resource,
		Params:          formatKV(p.Params, "="),
		Headers:         formatKV(p.Headers, ": "),
		Body:            n.Body,
		AutoRefresh:     !p.ManualRefresh,
		EndpointOrigins: strings.Join(p.EndpointOrigins, "\n"),
		GitHosts:        strings.Join(p.GitHosts, "\n"),
		Introspect:      p.IntrospectionURL,
		Revoke:          p.RevocationURL,
		SignIn:          signInValues{p.Grant, p.AuthorizationURL, p.DeviceAuthorizationURL, p.RedirectPort},
	}
	if v.Alg == "" {
		v.Alg = tokens.AlgRS256
	}
	// Defaults stay empty so the placeholder shows them and a later
	// change of default applies.
	if p.RefreshLead != 0 && p.RefreshLead != tokens.DefaultRefreshLead {
		v.RefreshLead = explain.Setting(p.RefreshLead)
	}
	if p.AssumedLifetime != 0 && p.AssumedLifetime != tokens.DefaultAssumedLifetime {
		v.Assumed = explain.Setting(p.AssumedLifetime)
	}
	return v
}

// newFormValues is an empty form with the defaults selected.
func newFormValues() formValues {
	return formValues{Auth: tokens.AuthClientSecretBasic, Alg: tokens.AlgRS256, Body: tokens.BodyForm, AutoRefresh: true}
}

// profile builds the profile the form describes. Only the credentials of
// the chosen auth method are kept, and only the chosen endpoint kind. It
// returns the problems found while parsing, by tokens.Field* name; the
// caller runs Profile.Validate for the rest.
func (v formValues) profile() (tokens.Profile, map[string]string) {
	problems := map[string]string{}
	p := tokens.Profile{
		Name:             strings.TrimSpace(v.Name),
		ClientID:         strings.TrimSpace(v.ClientID),
		Auth:             v.Auth,
		CABundlePEM:      strings.TrimSpace(v.CABundle),
		Audience:         strings.TrimSpace(v.Audience),
		Resource:         strings.TrimSpace(v.Resource),
		Scopes:           parseScopes(v.Scopes),
		Body:             v.Body,
		ManualRefresh:    !v.AutoRefresh,
		GitHosts:         lines(v.GitHosts),
		IntrospectionURL: strings.TrimSpace(v.Introspect),
		RevocationURL:    strings.TrimSpace(v.Revoke),
		Grant:            v.SignIn.Grant,
		AuthorizationURL: v.SignIn.AuthorizationURL,
		RedirectPort:     v.SignIn.RedirectPort,

		DeviceAuthorizationURL: v.SignIn.DeviceAuthorizationURL,
	}
	if v.UseIssuer {
		p.IssuerURL = strings.TrimSpace(v.IssuerURL)
		p.EndpointOrigins = lines(v.EndpointOrigins) // discovery's only
	} else {
		p.TokenURL = strings.TrimSpace(v.TokenURL)
	}
	switch {
	case v.Auth.UsesSecret():
		p.ClientSecret = v.Secret
	case v.Auth == tokens.AuthPrivateKeyJWT:
		p.PrivateKeyPEM = v.PrivateKey
		p.KeyID = strings.TrimSpace(v.KeyID)
		p.Alg = v.Alg
	case v.Auth == tokens.AuthTLSClient:
		p.ClientCertPEM = v.ClientCert
		p.ClientKeyPEM = v.ClientKey
	}
	var err error
	if p.Params, err = parseKV(v.Params, "="); err != nil {
		problems[tokens.FieldParams] = explain.Error(err)
	}
	if p.Headers, err = parseKV(v.Headers, ":"); err != nil {
		problems[tokens.FieldHeaders] = explain.Error(err)
	}
	if p.RefreshLead, err = parseDuration(v.RefreshLead); err != nil {
		problems[tokens.FieldRefreshLead] = explain.Error(err)
	}
	if p.AssumedLifetime, err = parseDuration(v.Assumed); err != nil {
		problems[tokens.FieldAssumedLifetime] = explain.Error(err)
	}
	return p, problems
}

// lines splits a hidden list kept one entry per line; "" is none.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// parseScopes splits scopes at spaces and commas.
func parseScopes(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
	if len(f) == 0 {
		return nil
	}
	return f
}

// parseKV reads one "key<sep>value" pair per line; blank lines and lines
// starting with # are skipped. Keys and values are trimmed.
func parseKV(text, sep string) (map[string]string, error) {
	var m map[string]string
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, val, ok := strings.Cut(line, sep)
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			want := "name=value"
			if sep == ":" {
				want = "Name: value"
			}
			return nil, fmt.Errorf("line %d: expected %s", i+1, want)
		}
		if m == nil {
			m = map[string]string{}
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("line %d: %s is given twice", i+1, k)
		}
		m[k] = strings.TrimSpace(val)
	}
	return m, nil
}

// formatKV writes a map one "key<sep>value" per line, sorted by key.
func formatKV(m map[string]string, sep string) string {
	keys := slices.Sorted(maps.Keys(m))
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = k + sep + m[k]
	}
	return strings.Join(lines, "\n")
}

// parseDuration reads "5m", "90s", "1h30m", or a bare number of minutes;
// empty means zero (the default applies).
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("must not be negative")
		}
		return time.Duration(n * float64(time.Minute)), nil
	}
	d, err := time.ParseDuration(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		return 0, fmt.Errorf("is not a duration such as 5m, 90s or 1h30m")
	}
	if d < 0 {
		return 0, fmt.Errorf("must not be negative")
	}
	return d, nil
}

// values reads the form.
func (f *profileForm) values() formValues {
	return formValues{
		Name:        f.name.Text,
		UseIssuer:   f.endpoint.Selected == endpointIssuer,
		TokenURL:    f.tokenURL.Text,
		IssuerURL:   f.issuerURL.Text,
		ClientID:    f.clientID.Text,
		Auth:        authFromLabel(f.auth.Selected),
		Secret:      f.secret.Text,
		PrivateKey:  f.privateKey.pem,
		KeyID:       f.keyID.Text,
		Alg:         f.alg.Selected,
		ClientCert:  f.clientCert.pem,
		ClientKey:   f.clientKey.pem,
		CABundle:    f.caBundle.pem,
		Scopes:      f.scopes.Text,
		Audience:    f.audience.Text,
		Resource:    f.resource.Text,
		Introspect:  f.introspectionURL.Text,
		Revoke:      f.revocationURL.Text,
		Params:      f.params.Text,
		Headers:     f.headers.Text,
		Body:        bodyFromLabel(f.body.Selected),
		RefreshLead: f.lead.Text,
		Assumed:     f.assumed.Text,
		AutoRefresh: f.autoRefresh.Checked,
		// Not on the form: kept as loaded.
		EndpointOrigins: f.kept.EndpointOrigins,
		GitHosts:        f.kept.GitHosts,
		SignIn:          f.signInValues(),
	}
}

// setValues fills the form.
func (f *profileForm) setValues(v formValues) {
	f.kept.EndpointOrigins, f.kept.GitHosts, f.kept.SignIn = v.EndpointOrigins, v.GitHosts, v.SignIn
	f.name.SetText(v.Name)
	if v.UseIssuer {
		f.endpoint.SetSelected(endpointIssuer)
	} else {
		f.endpoint.SetSelected(endpointTokenURL)
	}
	f.tokenURL.SetText(v.TokenURL)
	f.issuerURL.SetText(v.IssuerURL)
	f.clientID.SetText(v.ClientID)
	f.setSignIn(v.SignIn)
	f.auth.SetSelected(explain.AuthMethod(v.Auth))
	f.secret.SetText(v.Secret)
	f.privateKey.set(v.PrivateKey, "")
	f.keyID.SetText(v.KeyID)
	f.alg.SetSelected(v.Alg)
	f.clientCert.set(v.ClientCert, "")
	f.clientKey.set(v.ClientKey, "")
	f.caBundle.set(v.CABundle, "")
	f.scopes.SetText(v.Scopes)
	f.audience.SetText(v.Audience)
	f.resource.SetText(v.Resource)
	f.introspectionURL.SetText(v.Introspect)
	f.revocationURL.SetText(v.Revoke)
	f.params.SetText(v.Params)
	f.headers.SetText(v.Headers)
	if v.Body == tokens.BodyJSON {
		f.body.SetSelected(bodyJSONLabel)
	} else {
		f.body.SetSelected(bodyFormLabel)
	}
	f.autoRefresh.SetChecked(v.AutoRefresh)
	f.lead.SetText(v.RefreshLead)
	f.assumed.SetText(v.Assumed)
	f.advancedOpen = f.advancedOpen || usesAdvanced(v)
	f.showGroups()
}
