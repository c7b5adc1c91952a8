package oauth

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// MinRedactableSecret is the shortest secret that redaction replaces by
// substring. A shorter secret could match inside ordinary words, so when a
// request carried one, the server's own text (error description, URI and
// body excerpt) is withheld altogether: ServerError.Withheld is set instead.
const MinRedactableSecret = 8

// Redacted replaces every secret found in server text.
const Redacted = "[redacted]"

// redactor removes, from strings derived from a token request or its
// answer, every encoding of every secret the request carried: raw,
// form-encoded (RFC 6749 §2.3.1), the base64 Basic credential of both,
// JSON-escaped and HTML-escaped forms, the client assertion and the key
// material. It is built once per request by newRedactor and is read-only
// afterwards (safe for concurrent use).
type redactor struct {
	forms    []string // longest first, so a longer form is replaced whole
	withhold bool     // a secret was too short to redact safely
}

// newRedactor builds the redactor for one request of p (normalized). sent
// lists the credentials computed for it: the Authorization header value and
// the client assertion, when any.
func newRedactor(p tokens.Profile, sent ...string) *redactor {
	r := &redactor{}
	secrets := slices.Clone(sent)
	if p.ClientSecret != "" {
		secrets = append(secrets, p.ClientSecret)
		if len(p.ClientSecret) < MinRedactableSecret {
			r.withhold = true
		}
		// The Basic credential, both as RFC 6749 says (form-encoded first)
		// and as many clients send it (raw).
		for _, cred := range []string{url.QueryEscape(p.ClientID) + ":" + url.QueryEscape(p.ClientSecret), p.ClientID + ":" + p.ClientSecret} {
			secrets = append(secrets, base64.StdEncoding.EncodeToString([]byte(cred)), base64.RawStdEncoding.EncodeToString([]byte(cred)))
		}
	}
	for _, pemText := range []string{p.PrivateKeyPEM, p.ClientKeyPEM} {
		secrets = append(secrets, pemSecrets(pemText)...)
	}
	for k, v := range p.Headers {
		if sensitiveHeader(k) {
			secrets = append(secrets, v, strings.TrimSpace(strings.TrimPrefix(v, "Bearer ")), strings.TrimSpace(strings.TrimPrefix(v, "Basic ")))
		}
	}
	for _, s := range sent {
		// A JWT's signature alone is a replayable part of the assertion.
		if i := strings.LastIndexByte(s, '.'); i > 0 && strings.Count(s, ".") == 2 {
			secrets = append(secrets, s[i+1:])
		}
	}
	seen := map[string]bool{}
	for _, s := range secrets {
		for _, f := range encodings(s) {
			if len(f) >= MinRedactableSecret && !seen[f] {
				seen[f] = true
				r.forms = append(r.forms, f)
			}
		}
	}
	slices.SortFunc(r.forms, func(a, b string) int { return len(b) - len(a) })
	return r
}

// encodings lists the forms a secret can take in an echoed request.
func encodings(s string) []string {
	if s == "" {
		return nil
	}
	forms := []string{s, url.QueryEscape(s), url.PathEscape(s), strings.ReplaceAll(url.QueryEscape(s), "+", "%20")}
	out := make([]string, 0, 3*len(forms))
	for _, f := range forms {
		out = append(out, f, jsonEscaped(f), jsonEscapedPlain(f), html.EscapeString(f), strings.ToLower(f))
	}
	return out
}

// jsonEscaped is s as it appears inside a JSON string, with Go's default
// HTML-safe escaping; jsonEscapedPlain covers encoders that do not escape
// <, > and &.
func jsonEscaped(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

func jsonEscapedPlain(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// pemSecrets lists the secret parts of a PEM text: the whole text and
// each base64 line of its blocks (an echo may wrap or cut it differently).
func pemSecrets(pemText string) []string {
	if pemText == "" {
		return nil
	}
	out := []string{pemText, strings.TrimSpace(pemText)}
	var body strings.Builder
	for line := range strings.Lines(pemText) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "-----") || strings.Contains(line, ":") {
			continue
		}
		out = append(out, line)
		body.WriteString(line)
	}
	return append(out, body.String())
}

func sensitiveHeader(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"authorization", "cookie", "key", "token", "secret", "password", "auth"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// apply returns s with every secret form replaced by Redacted.
func (r *redactor) apply(s string) string {
	if r == nil || s == "" {
		return s
	}
	for _, f := range r.forms {
		if strings.Contains(s, f) {
			s = strings.ReplaceAll(s, f, Redacted)
		}
	}
	return s
}

// Caps on the server's free text in a ServerError.
const (
	maxDescriptionRunes = 1000
	maxURIRunes         = 500
)

// scrub removes secrets from a ServerError built for this request's answer,
// then makes its strings printable and caps them (redaction first, so that
// no cut leaves part of a secret). When a secret was too short to redact,
// all of the server's free text is dropped and Withheld is set. A nil
// redactor only sanitises.
func (r *redactor) scrub(se *tokens.ServerError) {
	withhold := r != nil && r.withhold
	if withhold && (se.Description != "" || se.URI != "" || se.Excerpt != "" || se.Detail != "" && se.Problem == tokens.ProblemRedirect) {
		se.Withheld = true
		se.Description, se.URI, se.Excerpt = "", "", ""
		if se.Problem == tokens.ProblemRedirect {
			se.Detail = ""
		}
	}
	se.Code = tokens.Printable(r.apply(se.Code), 120)
	se.Description = tokens.Printable(r.apply(se.Description), maxDescriptionRunes)
	se.URI = tokens.Printable(r.apply(se.URI), maxURIRunes)
	se.Excerpt = tokens.Printable(r.apply(se.Excerpt), maxExcerptRunes)
	se.Detail = tokens.Printable(r.apply(se.Detail), maxExcerptRunes)
	se.ContentType = tokens.Printable(r.apply(se.ContentType), 60)
}
