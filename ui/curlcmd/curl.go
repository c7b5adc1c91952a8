// Package curlcmd writes a profile's token request as a curl command for
// a POSIX shell ("Copy as curl" in the tray and the window, and
// `tokentray curl NAME`): the same URL, headers, body encoding and client
// authentication, with every secret read from an environment variable the
// command names ($CLIENT_SECRET, $CLIENT_ASSERTION…) and handed to curl on
// its standard input, never on a command line. It needs curl 7.55 or later
// and printf, a builtin of every POSIX shell; no other tool (no jq).
package curlcmd

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/ui/explain"
)

// Environment variables the command reads.
const (
	EnvSecret    = "CLIENT_SECRET"
	EnvAssertion = "CLIENT_ASSERTION"
	EnvCert      = "CLIENT_CERT_FILE"
	EnvKey       = "CLIENT_KEY_FILE"
	EnvCA        = "CA_FILE"
	EnvRefresh   = "REFRESH_TOKEN"
)

// builder collects the parts of the command.
type builder struct {
	comments []string
	needs    []need          // environment variables, in order
	helpers  map[string]bool // helperConfig, helperForm, helperJSON
	config   []string        // printf commands writing curl config lines
	args     []string        // curl arguments, each one shell word
	dynamic  []segment       // the JSON body, when it holds a secret
}

// need is an environment variable the command requires; what is fixed
// text of this package (it goes into the shell's ${VAR:?what}, where
// quotes and $ would be special).
type need struct{ name, what string }

// segment is part of a JSON body: static text, or a secret's variable.
type segment struct{ text, env string }

// Command returns the shell command for profile name's request s. The
// command is a subshell, so its helper functions and variables do not
// stay in an interactive shell; it stops with a message naming the first
// unset variable it needs.
func Command(name string, s oauth.RequestShape) string {
	b := &builder{helpers: map[string]bool{}}
	b.comments = append(b.comments,
		fmt.Sprintf("Token request of the Tokentray profile %q, for curl 7.55 or later in a POSIX shell.", explain.Printable(name)),
		"Secrets are read from environment variables and given to curl on its standard input, never on a command line.")
	b.args = append(b.args, "-sS")
	for _, h := range s.Header {
		b.args = append(b.args, "-H", quote(h.Name+": "+h.Value))
	}
	if s.Host != "" {
		b.args = append(b.args, "-H", quote("Host: "+s.Host))
	}
	for _, h := range s.SecretHeaders {
		env := envName("HEADER_", h)
		b.needs = append(b.needs, need{env, "the header value"})
		b.comments = append(b.comments, fmt.Sprintf("The %s header is read from $%s.", explain.Printable(h), env))
		b.configLine(`header = "%s: %s"`, lit(h), b.secret(env))
	}
	params := slices.Clone(s.Params)
	secrets := map[string]string{} // body parameter → its variable
	for _, k := range s.SecretParams {
		env := envName("PARAM_", k)
		b.needs = append(b.needs, need{env, "the parameter value"})
		b.comments = append(b.comments, fmt.Sprintf("The %s parameter is read from $%s.", explain.Printable(k), env))
		secrets[k] = env
	}
	if s.Refresh {
		b.needs = append(b.needs, need{EnvRefresh, "the refresh token"})
		b.comments = append(b.comments, "The refresh token is read from $"+EnvRefresh+" (Tokentray keeps it in the keyring only and never shows it).")
		secrets["refresh_token"] = EnvRefresh
	}
	b.clientAuth(s, &params, secrets)
	b.body(s.Body, params, secrets)
	b.args = append(b.args, quote(s.URL))
	return b.String()
}

// clientAuth adds the client authentication of s: body parameters (to
// params, or to secrets for the ones read from the environment), the
// Basic credential, or the TLS client certificate.
func (b *builder) clientAuth(s oauth.RequestShape, params *[]tokens.HeaderField, secrets map[string]string) {
	add := func(k, v string) { *params = append(*params, tokens.HeaderField{Name: k, Value: v}) }
	switch s.Auth {
	case tokens.AuthClientSecretBasic:
		b.needs = append(b.needs, need{EnvSecret, "the client secret"})
		b.comments = append(b.comments,
			"HTTP Basic as RFC 6749 §2.3.1 says: the client ID and secret are form-encoded before base64",
			"(f does that; curl -u \"id:secret\" would not), given to curl as its user option.")
		b.helpers[helperForm] = true
		b.configLine(`user = "%s:%s"`, lit(url.QueryEscape(s.ClientID)), fmt.Sprintf(`"$(f "$%s")"`, EnvSecret))
	case tokens.AuthClientSecretPost:
		b.needs = append(b.needs, need{EnvSecret, "the client secret"})
		add("client_id", s.ClientID)
		secrets["client_secret"] = EnvSecret
	case tokens.AuthClientSecretJWT, tokens.AuthPrivateKeyJWT:
		b.needs = append(b.needs, need{EnvAssertion, "a fresh client assertion"})
		signed := "the client secret (HS256)"
		if s.Auth == tokens.AuthPrivateKeyJWT {
			signed = "the profile's private key (" + s.Alg + ")"
			if s.KeyID != "" {
				signed = fmt.Sprintf("the profile's private key (%s, kid %q)", s.Alg, explain.Printable(s.KeyID))
			}
		}
		b.comments = append(b.comments,
			"The client assertion (RFC 7523) must be made fresh for each request: a JWT signed with "+signed+",",
			"iss and sub the client ID, aud the token URL, a new jti, exp a few minutes ahead. Put it in $"+EnvAssertion+".")
		add("client_id", s.ClientID)
		add("client_assertion_type", oauth.ClientAssertionType)
		secrets["client_assertion"] = EnvAssertion
	case tokens.AuthNone:
		add("client_id", s.ClientID) // a public client names itself only
	case tokens.AuthTLSClient:
		b.needs = append(b.needs, need{EnvCert, "the client certificate PEM file"}, need{EnvKey, "the private key PEM file"})
		b.comments = append(b.comments,
			"mTLS (RFC 8705): save the profile's certificate and key as PEM files (Tokentray keeps them in the keyring only)",
			"and name them in $"+EnvCert+" and $"+EnvKey+".")
		add("client_id", s.ClientID)
		b.args = append(b.args, "--cert", `"$`+EnvCert+`"`, "--key", `"$`+EnvKey+`"`)
	}
	if s.CustomCA {
		b.needs = append(b.needs, need{EnvCA, "the CA bundle PEM file"})
		b.comments = append(b.comments, "The profile trusts its own CA bundle: save it as a PEM file and name it in $"+EnvCA+
			" (curl then trusts only it; Tokentray adds it to the system's).")
		b.args = append(b.args, "--cacert", `"$`+EnvCA+`"`)
	}
	slices.SortStableFunc(*params, func(a, c tokens.HeaderField) int { return strings.Compare(a.Name, c.Name) })
}

// body adds the request body: form parameters encoded by curl
// (--data-urlencode), or the JSON object as Tokentray encodes it.
func (b *builder) body(enc tokens.BodyEncoding, params []tokens.HeaderField, secrets map[string]string) {
	if enc != tokens.BodyJSON {
		for _, p := range params {
			b.args = append(b.args, "--data-urlencode", quote(url.QueryEscape(p.Name)+"="+p.Value))
		}
		for _, k := range slices.Sorted(maps.Keys(secrets)) {
			b.configLine(`data-urlencode = "%s=%s"`, lit(url.QueryEscape(k)), b.secret(secrets[k]))
		}
		return
	}
	// The same object as Tokentray sends: keys sorted, values as strings,
	// Go's escaping.
	all := map[string]string{}
	for _, p := range params {
		all[p.Name] = p.Value
	}
	keys := slices.Sorted(maps.Keys(all))
	for k := range secrets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var segs []segment
	text := "{"
	for i, k := range keys {
		if i > 0 {
			text += ","
		}
		text += jsonString(k) + ":"
		if env, ok := secrets[k]; ok {
			segs = append(segs, segment{text: text + `"`}, segment{env: env})
			text = `"`
			continue
		}
		text += jsonString(all[k])
	}
	segs = append(segs, segment{text: text + "}"})
	if len(segs) == 1 {
		b.args = append(b.args, "--data-binary", quote(segs[0].text))
		return
	}
	b.helpers[helperJSON] = true
	format, args := "", []string{}
	for _, sg := range segs {
		format += "%s"
		if sg.env != "" {
			b.helpers[helperConfig] = true
			args = append(args, fmt.Sprintf(`"$(q "$(j "$%s")")"`, sg.env))
		} else {
			args = append(args, lit(sg.text))
		}
	}
	b.configLine(`data-binary = "`+format+`"`, args...)
}

// configLine adds a printf writing one curl config line: format (a fixed
// text of this package, with %s for each arg) and args, each one shell word.
func (b *builder) configLine(format string, args ...string) {
	b.config = append(b.config, "printf "+quote(format+`\n`)+" "+strings.Join(args, " "))
}

// secret is the shell word of a secret variable's value escaped for a
// curl config value.
func (b *builder) secret(env string) string {
	b.helpers[helperConfig] = true
	return fmt.Sprintf(`"$(q "$%s")"`, env)
}

// lit is a static config value as one shell word.
func lit(s string) string { return quote(configEscape(s)) }

func jsonString(s string) string {
	out, _ := json.Marshal(s)
	return string(out)
}

// String assembles the command.
func (b *builder) String() string {
	var out strings.Builder
	for _, c := range b.comments {
		out.WriteString("# " + c + "\n")
	}
	out.WriteString("(\n")
	if b.helpers[helperConfig] || b.helpers[helperJSON] {
		out.WriteString(helperLines + "\n")
	}
	for _, h := range []string{helperConfig, helperForm, helperJSON} {
		if b.helpers[h] {
			out.WriteString(h + "\n")
		}
	}
	for _, n := range b.needs {
		fmt.Fprintf(&out, ": \"${%s:?set it to %s}\" &&\n", n.name, n.what)
	}
	if len(b.config) > 0 {
		out.WriteString("{\n")
		for _, c := range b.config {
			out.WriteString("  " + c + "\n")
		}
		out.WriteString("} | curl --config -")
	} else {
		out.WriteString("curl")
	}
	for i := 0; i < len(b.args); i++ {
		a := b.args[i]
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "-sS") && i+1 < len(b.args) {
			out.WriteString(" \\\n  " + a + " " + b.args[i+1])
			i++
			continue
		}
		out.WriteString(" \\\n  " + a)
	}
	out.WriteString("\n)\n")
	return out.String()
}
