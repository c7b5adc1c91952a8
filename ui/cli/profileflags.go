package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// profileFlags are the flags shared by add and edit, one per profile field.
type profileFlags struct {
	fs                                  *flag.FlagSet
	tokenURL, issuer, clientID, auth    string
	audience, resource, body            string
	privateKey, keyID, alg, cert, key   string
	ca                                  string
	introspectionURL, revocationURL     string
	scopes, params, headers             listFlag
	origins, gitHosts                   listFlag
	readHeaders, readParams             listFlag
	lead, assumed                       time.Duration
	noAutoRefresh, autoRefresh, readSec bool
	signInFlags                         // profileflags_signin.go
}

func newProfileFlags(fs *flag.FlagSet, edit bool) *profileFlags {
	f := &profileFlags{fs: fs}
	fs.StringVar(&f.tokenURL, "token-url", "", "token endpoint `URL` (https; http only on loopback)")
	fs.StringVar(&f.issuer, "issuer", "", "issuer `URL`: discover the token endpoint from its metadata instead")
	fs.StringVar(&f.clientID, "client-id", "", "OAuth client `ID`")
	fs.StringVar(&f.auth, "auth", "", "client authentication: "+choices(tokens.AuthMethods...))
	fs.Var(&f.scopes, "scope", "scope to request (repeatable; replaces the list on edit)")
	fs.StringVar(&f.audience, "audience", "", "audience parameter")
	fs.StringVar(&f.resource, "resource", "", "resource indicator (RFC 8707)")
	fs.Var(&f.params, "param", "extra body parameter `k=v` (repeatable; replaces the set on edit)")
	fs.Var(&f.headers, "header", "extra request header `'K: V'` (repeatable; replaces the set on edit)")
	fs.StringVar(&f.body, "body", "", "request body encoding: "+choices(tokens.BodyForm, tokens.BodyJSON))
	fs.StringVar(&f.privateKey, "private-key", "", "PEM private key `FILE` for private_key_jwt (stored in the keyring)")
	fs.StringVar(&f.keyID, "key-id", "", "key ID (kid) for private_key_jwt")
	fs.StringVar(&f.alg, "alg", "", "private_key_jwt algorithm: "+choices(tokens.AlgRS256, tokens.AlgES256, tokens.AlgPS256))
	fs.StringVar(&f.cert, "cert", "", "PEM client certificate `FILE` for tls_client_auth (stored in the keyring)")
	fs.StringVar(&f.key, "key", "", "PEM private key `FILE` of the client certificate (stored in the keyring)")
	fs.StringVar(&f.ca, "ca", "", "PEM CA bundle `FILE` to trust in addition to the system roots")
	fs.Var(&f.origins, "allow-endpoint-origin", "another `ORIGIN` (https://host[:port]) the discovered endpoints (with --issuer) or the\nintrospection and revocation URLs may be on (repeatable; replaces the list on edit; '' clears it)")
	fs.Var(&f.gitHosts, "git-host", "git-credential answers only for this `HOST`[:PORT] (repeatable; replaces the list on edit;\n'' clears it: then any https host)")
	fs.StringVar(&f.introspectionURL, "introspection-url", "", "RFC 7662 introspection endpoint `URL`, when the issuer's metadata names none (tokentray introspect)")
	fs.StringVar(&f.revocationURL, "revocation-url", "", "RFC 7009 revocation endpoint `URL`, when the issuer's metadata names none (tokentray revoke)")
	fs.DurationVar(&f.lead, "lead", 0, "refresh this long before expiry (default "+explain.Setting(tokens.DefaultRefreshLead)+", capped at half the lifetime)")
	fs.DurationVar(&f.assumed, "assumed-lifetime", 0, "lifetime assumed for tokens that state none (default "+explain.Setting(tokens.DefaultAssumedLifetime)+")")
	fs.BoolVar(&f.noAutoRefresh, "no-auto-refresh", false, "do not refresh in the background; fetch only when asked")
	f.signInFlags.define(fs)
	if edit {
		fs.BoolVar(&f.autoRefresh, "auto-refresh", false, "turn background refresh back on")
		fs.BoolVar(&f.readSec, "read-secret", false, "read a new client secret (stdin when piped, else a no-echo prompt)")
		fs.Var(&f.readHeaders, "read-header", "read the value of header `NAME`, keeping the other headers: a no-echo prompt, or stdin when piped\n(one line per value, the secret's first); for a credential an export left blank (repeatable)")
		fs.Var(&f.readParams, "read-param", "read the value of parameter `NAME`, keeping the other parameters, as --read-header (repeatable)")
	}
	return f
}

// set reports whether the named flag was given on the command line.
func (f *profileFlags) set(name string) bool {
	given := false
	f.fs.Visit(func(fl *flag.Flag) {
		if fl.Name == name {
			given = true
		}
	})
	return given
}

// apply changes p's fields for every flag given; files are read here so
// their contents (not their paths) go to the keyring.
func (f *profileFlags) apply(p *tokens.Profile) error {
	var err error
	str := func(name string, dst *string, v string) {
		if f.set(name) {
			*dst = v
		}
	}
	str("token-url", &p.TokenURL, f.tokenURL)
	str("issuer", &p.IssuerURL, f.issuer)
	if f.set("token-url") && !f.set("issuer") {
		p.IssuerURL = ""
	}
	if f.set("issuer") && !f.set("token-url") {
		p.TokenURL = ""
	}
	str("client-id", &p.ClientID, f.clientID)
	if f.set("auth") {
		p.Auth = tokens.AuthMethod(f.auth)
	}
	if err := f.signInFlags.apply(f.set, p); err != nil {
		return err
	}
	if f.set("scope") {
		p.Scopes = nil
		for _, s := range f.scopes {
			p.Scopes = append(p.Scopes, strings.Fields(s)...)
		}
	}
	str("audience", &p.Audience, f.audience)
	str("introspection-url", &p.IntrospectionURL, f.introspectionURL)
	str("revocation-url", &p.RevocationURL, f.revocationURL)
	str("resource", &p.Resource, f.resource)
	if f.set("param") {
		if p.Params, err = pairs(f.params, "=", "--param", "k=v"); err != nil {
			return err
		}
	}
	if f.set("header") {
		if p.Headers, err = pairs(f.headers, ":", "--header", "'Name: value'"); err != nil {
			return err
		}
	}
	if f.set("body") {
		p.Body = tokens.BodyEncoding(f.body)
	}
	if f.set("allow-endpoint-origin") {
		p.EndpointOrigins = listValues(f.origins)
	}
	if f.set("git-host") {
		p.GitHosts = listValues(f.gitHosts)
	}
	str("key-id", &p.KeyID, f.keyID)
	str("alg", &p.Alg, f.alg)
	for _, file := range []struct {
		flag string
		path string
		dst  *string
	}{{"private-key", f.privateKey, &p.PrivateKeyPEM}, {"cert", f.cert, &p.ClientCertPEM}, {"key", f.key, &p.ClientKeyPEM}, {"ca", f.ca, &p.CABundlePEM}} {
		if !f.set(file.flag) {
			continue
		}
		if file.path == "" {
			*file.dst = ""
			continue
		}
		b, err := os.ReadFile(file.path)
		if err != nil {
			return usagef("--%s: %v", file.flag, err)
		}
		*file.dst = string(b)
	}
	if f.set("lead") {
		p.RefreshLead = f.lead
	}
	if f.set("assumed-lifetime") {
		p.AssumedLifetime = f.assumed
	}
	if f.noAutoRefresh && f.autoRefresh {
		return usagef("--auto-refresh and --no-auto-refresh contradict each other")
	}
	if f.set("no-auto-refresh") {
		p.ManualRefresh = f.noAutoRefresh
	}
	if f.set("auto-refresh") && f.autoRefresh {
		p.ManualRefresh = false
	}
	return nil
}

// listValues is a repeatable flag's list as given, trimmed; one empty value
// clears it. Other empty entries stay, for Validate to refuse by name.
func listValues(values []string) []string {
	if len(values) == 1 && strings.TrimSpace(values[0]) == "" {
		return nil
	}
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = strings.TrimSpace(v)
	}
	return out
}

// pairs splits "k=v" / "K: V" flag values into a map.
func pairs(values []string, sep, flagName, form string) (map[string]string, error) {
	if len(values) == 1 && values[0] == "" {
		return nil, nil // "--param ''" clears the set on edit
	}
	m := make(map[string]string, len(values))
	for _, v := range values {
		k, val, ok := strings.Cut(v, sep)
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, usagef("%s %q: expected %s", flagName, v, form)
		}
		m[k] = strings.TrimSpace(val)
	}
	return m, nil
}

// readSecret reads the client secret: all of stdin when it is piped (one
// trailing newline dropped), or a no-echo prompt on a terminal. Never argv.
func readSecret(env *Env, name string) (string, error) {
	if env.StdinIsTerminal != nil && env.StdinIsTerminal() {
		if env.ReadPassword == nil {
			return "", fmt.Errorf("cannot prompt for the client secret")
		}
		s, err := env.ReadPassword(fmt.Sprintf("Client secret for %s: ", name))
		if err != nil {
			return "", fmt.Errorf("reading the client secret: %w", err)
		}
		return s, nil
	}
	b, err := readAllLimited(env.Stdin, 64<<10)
	if err != nil {
		return "", fmt.Errorf("reading the client secret from stdin: %w", err)
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	return s, nil
}

// errInputTooLarge: readAllLimited read more than its limit.
var errInputTooLarge = errors.New("input too large")

// readAllLimited reads r (nil: nothing) up to limit bytes, failing with
// errInputTooLarge past it.
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
