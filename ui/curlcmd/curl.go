// Package curlcmd writes a profile's token request as a curl command for
// a POSIX shell ("Copy as curl" in the tray and the window, and
// `tokentray curl NAME`): the same URL, headers, body encoding and client
// authentication, with every secret read from an environment variable the
// command names ($CLIENT_SECRET, $CLIENT_ASSERTION…) and handed to curl on
// its standard input, never on a command line.
//
// The command is as careful as Tokentray's own request: curl reads no
// ~/.curlrc (-q, which only works as the first argument), follows no
// redirect (--max-redirs 0), speaks only the token URL's scheme (--proto
// =https, or =http for a loopback URL), reads no glob in the URL
// (--globoff), and goes direct to a loopback URL (--noproxy '*'), as
// Tokentray does whatever the proxy variables say. A profile value with a
// control character is refused, not written into a command that is shown
// and pasted in a terminal.
//
// It needs curl 7.55 or later and printf, a builtin of every POSIX shell;
// no other tool (no jq).
package curlcmd

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
	"github.com/tokentray/tokentray/ui/shellquote"
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

// formType is the Content-Type curl sends with --data-urlencode by itself.
const formType = "application/x-www-form-urlencoded"

// builder collects the parts of the command.
type builder struct {
	comments []string
	helpers  []string // shell function definitions, each once, in order
	needs    []need   // environment variables, in order
	config   []string // printf commands writing curl config lines to stdin
	stdin    []secretParam
	opts     []string // curl options after the fixed ones, one per line
}

// need is an environment variable the command requires; what is fixed
// text of this package (it goes into the shell's ${VAR:?what}, where
// quotes and $ would be special); secret says its value goes to curl's
// standard input (the others name files).
type need struct {
	name, what string
	secret     bool
}

// secretParam is a body parameter whose value is an environment variable.
type secretParam struct{ name, env string }

// segment is part of a JSON body: static text, or a secret's variable.
type segment struct{ text, env string }

// Command returns the shell command for profile name's request s, or an
// error wrapping ErrUnprintable when a value of s would put a control
// character into it. The common case (a client secret, a form body) is a
// pipe from printf into curl; a command that needs helper functions is a
// subshell, so they do not stay in an interactive shell. The command
// stops with a message naming the first unset variable it needs.
func Command(name string, s tokens.RequestShape) (string, error) {
	if err := check(s); err != nil {
		return "", err
	}
	b := &builder{}
	b.comments = append(b.comments,
		fmt.Sprintf("Token request of the Tokentray profile %q, for curl 7.55 or later in a POSIX shell.", explain.Printable(name)))
	for _, h := range s.Header {
		if strings.EqualFold(h.Name, "Content-Type") && h.Value == formType && s.Body != tokens.BodyJSON {
			continue // curl sends it for a form body
		}
		b.opt("-H", h.Name+": "+h.Value)
	}
	if s.Host != "" {
		b.opt("-H", "Host: "+s.Host)
	}
	for _, h := range s.SecretHeaders {
		env := envName("HEADER_", h)
		b.needs = append(b.needs, need{env, "the header value", true})
		b.comments = append(b.comments, fmt.Sprintf("The %s header is read from $%s.", h, env))
		b.configLine(`header = "%s: %s"`, lit(h), b.secret(env))
	}
	params := slices.Clone(s.Params)
	secrets := map[string]string{} // body parameter → its variable
	for _, k := range s.SecretParams {
		env := envName("PARAM_", k)
		b.needs = append(b.needs, need{env, "the parameter value", true})
		b.comments = append(b.comments, fmt.Sprintf("The %s parameter is read from $%s.", k, env))
		secrets[k] = env
	}
	if s.Refresh {
		b.needs = append(b.needs, need{EnvRefresh, "the refresh token", true})
		b.comments = append(b.comments, "The refresh token is read from $"+EnvRefresh+" (Tokentray keeps it in the keyring only and never shows it).")
		secrets["refresh_token"] = EnvRefresh
	}
	b.clientAuth(s, &params, secrets)
	b.body(s.Body, params, secrets)
	return b.assemble(s.URL), nil
}

// clientAuth adds the client authentication of s: body parameters (to
// params, or to secrets for the ones read from the environment), the
// Basic credential, or the TLS client certificate.
func (b *builder) clientAuth(s tokens.RequestShape, params *[]tokens.HeaderField, secrets map[string]string) {
	add := func(k, v string) { *params = append(*params, tokens.HeaderField{Name: k, Value: v}) }
	switch s.Auth {
	case tokens.AuthClientSecretBasic:
		b.needs = append(b.needs, need{EnvSecret, "the client secret", true})
		b.comments = append(b.comments,
			"HTTP Basic with the client ID and secret form-encoded first, as RFC 6749 §2.3.1 says (curl -u would not).")
		b.config = append(b.config, fmt.Sprintf(basicUser, shellquote.Quote(url.QueryEscape(s.ClientID)), EnvSecret))
	case tokens.AuthClientSecretPost:
		b.needs = append(b.needs, need{EnvSecret, "the client secret", true})
		add("client_id", s.ClientID)
		secrets["client_secret"] = EnvSecret
	case tokens.AuthClientSecretJWT, tokens.AuthPrivateKeyJWT:
		b.needs = append(b.needs, need{EnvAssertion, "a fresh client assertion", true})
		signed := "the client secret (HS256)"
		if s.Auth == tokens.AuthPrivateKeyJWT {
			signed = "the profile's private key (" + s.Alg + ")"
			if s.KeyID != "" {
				signed = fmt.Sprintf("the profile's private key (%s, kid %q)", s.Alg, s.KeyID)
			}
		}
		b.comments = append(b.comments,
			"The client assertion (RFC 7523) must be made fresh for each request: a JWT signed with "+signed+",",
			"iss and sub the client ID, aud the token URL, a new jti, exp a few minutes ahead. Put it in $"+EnvAssertion+".")
		add("client_id", s.ClientID)
		add("client_assertion_type", tokens.ClientAssertionType)
		secrets["client_assertion"] = EnvAssertion
	case tokens.AuthNone:
		add("client_id", s.ClientID) // a public client names itself only
	case tokens.AuthTLSClient:
		b.needs = append(b.needs, need{EnvCert, "the client certificate PEM file", false}, need{EnvKey, "the private key PEM file", false})
		b.comments = append(b.comments,
			"mTLS (RFC 8705): save the profile's certificate and key as PEM files (Tokentray keeps them in the keyring only)",
			"and name them in $"+EnvCert+" and $"+EnvKey+".")
		add("client_id", s.ClientID)
		b.opts = append(b.opts, `--cert "$`+EnvCert+`"`, `--key "$`+EnvKey+`"`)
	}
	if s.CustomCA {
		b.needs = append(b.needs, need{EnvCA, "the CA bundle PEM file", false})
		b.comments = append(b.comments, "The profile trusts its own CA bundle: save it as a PEM file and name it in $"+EnvCA+
			" (curl then trusts only it; Tokentray adds it to the system's).")
		b.opts = append(b.opts, `--cacert "$`+EnvCA+`"`)
	}
	// grant_type first, as a reader expects; the rest by name.
	slices.SortStableFunc(*params, func(a, c tokens.HeaderField) int {
		return strings.Compare(sortKey(a.Name), sortKey(c.Name))
	})
}

func sortKey(name string) string {
	if name == "grant_type" {
		return ""
	}
	return name
}

// body adds the request body: form parameters encoded by curl
// (--data-urlencode), or the JSON object as Tokentray encodes it.
func (b *builder) body(enc tokens.BodyEncoding, params []tokens.HeaderField, secrets map[string]string) {
	if enc != tokens.BodyJSON {
		for _, p := range params {
			b.opt("--data-urlencode", url.QueryEscape(p.Name)+"="+p.Value)
		}
		for _, k := range slices.Sorted(maps.Keys(secrets)) {
			b.stdin = append(b.stdin, secretParam{url.QueryEscape(k), secrets[k]})
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
		b.opt("--data-binary", segs[0].text)
		return
	}
	format, args := "", []string{}
	for _, sg := range segs {
		format += "%s"
		if sg.env != "" {
			b.helper(helperConfig)
			b.helper(helperJSON)
			args = append(args, fmt.Sprintf(`"$(q "$(j "$%s")")"`, sg.env))
		} else {
			args = append(args, lit(sg.text))
		}
	}
	b.configLine(`data-binary = "`+format+`"`, args...)
}

// opt adds a curl option and its value, a profile's text quoted.
func (b *builder) opt(option, value string) {
	b.opts = append(b.opts, option+" "+shellquote.Quote(value))
}

// helper defines a shell function in the command, once.
func (b *builder) helper(h string) {
	if !slices.Contains(b.helpers, h) {
		b.helpers = append(b.helpers, h)
	}
}

// configLine adds a printf writing one curl config line: format (a fixed
// text of this package, with %s for each arg) and args, each one shell word.
func (b *builder) configLine(format string, args ...string) {
	b.config = append(b.config, "printf "+shellquote.Quote(format+`\n`)+" "+strings.Join(args, " "))
}

// secret is the shell word of a secret variable's value escaped for a
// curl config value.
func (b *builder) secret(env string) string {
	b.helper(helperConfig)
	return fmt.Sprintf(`"$(q "$%s")"`, env)
}

// lit is a static config value as one shell word.
func lit(s string) string { return shellquote.Quote(configEscape(s)) }

func jsonString(s string) string {
	out, _ := json.Marshal(s)
	return string(out)
}

// assemble writes the command for the token endpoint endpoint, once: it
// decides how the secrets reach curl, adding the options and comments
// that go with it.
func (b *builder) assemble(endpoint string) string {
	// One secret body parameter and nothing else on stdin: curl reads and
	// form-encodes it itself (--data-urlencode NAME@-). More than one
	// thing to hand over: all of it as curl config lines.
	feed := ""
	switch {
	case len(b.config) == 0 && len(b.stdin) == 1:
		p := b.stdin[0]
		feed = fmt.Sprintf(`printf %%s "$%s"`, p.env)
		b.opts = append(b.opts, "--data-urlencode "+shellquote.Quote(p.name+"@-"))
	default:
		for _, p := range b.stdin {
			b.configLine(`data-urlencode = "%s=%s"`, lit(p.name), b.secret(p.env))
		}
		switch len(b.config) {
		case 0:
		case 1:
			feed = b.config[0]
		default:
			feed = "{\n  " + strings.ReplaceAll(strings.Join(b.config, "\n"), "\n", "\n  ") + "\n}"
		}
	}
	if feed != "" {
		var envs []string
		for _, n := range b.needs {
			if n.secret {
				envs = append(envs, "$"+n.name)
			}
		}
		b.comments = append(b.comments, "Secrets ("+strings.Join(envs, ", ")+") are given to curl on its standard input, never on a command line.")
	}
	loopback := false
	scheme := "https"
	if u, err := url.Parse(endpoint); err == nil && tokens.IsLoopbackHost(u.Hostname()) {
		loopback = true
		if u.Scheme == "http" {
			scheme = "http"
		}
	}
	safety := "no ~/.curlrc (-q, first), no URL globbing, no redirect, " + scheme + " only"
	if loopback {
		safety += ", no proxy for loopback"
	}
	b.comments = append(b.comments, "As Tokentray sends it: "+safety+".")

	var out strings.Builder
	for _, c := range b.comments {
		out.WriteString("# " + c + "\n")
	}
	if len(b.helpers) > 0 {
		out.WriteString("(\n")
		if slices.Contains(b.helpers, helperConfig) {
			out.WriteString(helperLines + "\n")
		}
		for _, h := range b.helpers {
			out.WriteString(h + "\n")
		}
	}
	for _, n := range b.needs {
		fmt.Fprintf(&out, ": \"${%s:?set it to %s}\" &&\n", n.name, n.what)
	}
	if feed != "" {
		out.WriteString(feed + " |\n")
	}
	out.WriteString("curl -q")
	if len(b.config) > 0 {
		out.WriteString(" --config -")
	}
	out.WriteString(" -sS")
	if loopback {
		out.WriteString(" --noproxy '*'")
	}
	fmt.Fprintf(&out, " --proto '=%s' --max-redirs 0 --globoff %s", scheme, shellquote.Quote(endpoint))
	for _, o := range b.opts {
		out.WriteString(" \\\n  " + o)
	}
	out.WriteString("\n")
	if len(b.helpers) > 0 {
		out.WriteString(")\n")
	}
	return out.String()
}
