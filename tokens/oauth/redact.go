package oauth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"html"
	"net/url"
	"slices"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// MinRedactableSecret is the shortest secret that redaction replaces by
// substring. A shorter secret could match inside ordinary words, so when a
// request carried one (the client secret, or the value of a header or
// parameter named like a credential), the server's own text (error code
// unless a standard one, description, URI and body excerpt) is withheld
// altogether: ServerError.Withheld is set instead.
const MinRedactableSecret = 8

// Redacted replaces every secret found in server text.
const Redacted = tokens.Redacted

// redactor removes, from strings derived from a token request or its
// answer, every encoding of every secret the request carried: the client
// secret raw, form-encoded (RFC 6749 §2.3.1), the base64 Basic credential
// of both, HTML-escaped and JSON-escaped in any spelling (redactjson.go);
// the client assertion and its signature; the key material; the values of
// headers and parameters whose names look secret (tokens.LooksSecret): the
// secrets tokens.Profile.SecretValues lists. And the values of
// tokens.SecretFields (refresh_token, code, …) in any JSON or form text.
//
// It is the one redaction of Tokentray: whatever shows text that a token
// request or its answer produced (errors, the window's details, a request
// log) builds one with newRedactor from the request as sent and passes all
// such text through apply, or scrub for a ServerError. It is read-only
// once built, so safe for concurrent use.
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
	// short marks a secret that cannot be searched for safely.
	short := func(v string) {
		if v != "" && len(v) < MinRedactableSecret {
			r.withhold = true
		}
	}
	// Every secret the profile holds, as its role table says
	// (tokens.Profile.SecretValues), with the forms each kind takes.
	for _, sv := range p.SecretValues() {
		v := sv.Value
		switch {
		case sv.Field == tokens.FieldClientSecret:
			secrets = append(secrets, v)
			short(v)
			// The Basic credential, both as RFC 6749 says (form-encoded
			// first) and as many clients send it (raw).
			for _, cred := range []string{url.QueryEscape(p.ClientID) + ":" + url.QueryEscape(v), p.ClientID + ":" + v} {
				secrets = append(secrets, base64.StdEncoding.EncodeToString([]byte(cred)), base64.RawStdEncoding.EncodeToString([]byte(cred)))
			}
		case sv.Name == "" && strings.Contains(v, "-----BEGIN "):
			secrets = append(secrets, pemSecrets(v)...)
		case sv.Name == "":
			secrets = append(secrets, v)
			short(v)
		case sv.Field == tokens.FieldHeaders:
			// The value, and the credential after a scheme ("Bearer x").
			cred := v
			if _, after, ok := strings.Cut(strings.TrimSpace(v), " "); ok {
				cred = strings.TrimSpace(after)
			}
			secrets = append(secrets, v, cred)
			short(strings.TrimSpace(v))
			short(cred)
		default:
			secrets = append(secrets, v)
			short(v)
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

// apply returns s with every secret form replaced by Redacted: the forms
// listed, then any JSON-escaped spelling of them (unescapedMatches), then
// the values of tokens.SecretFields members and parameters
// (namedSecretValues). A nil redactor does the last only.
func (r *redactor) apply(s string) string {
	if s == "" {
		return s
	}
	if r != nil {
		for _, f := range r.forms {
			if strings.Contains(s, f) {
				s = strings.ReplaceAll(s, f, Redacted)
			}
		}
		s = r.unescapedMatches(s)
	}
	return namedSecretValues(s)
}

// Caps on the server's free text in a ServerError.
const (
	maxDescriptionRunes = 1000
	maxURIRunes         = 500
)

// withDisplayURL masks, in a *url.Error within err, the query values and
// user info of the URL it repeats (Go prints it whole: Post
// "https://…/token?client_secret=…": connection refused). See
// tokens.DisplayURL.
func withDisplayURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = tokens.DisplayURL(ue.URL)
	}
	return err
}

// standardCodes are the error codes of RFC 6749 §5.2 and §4.1.2.1, RFC
// 6750 §3.1 and RFC 8628 §3.5: kept even when the server's text is
// withheld, since they carry the error's class and no secret.
var standardCodes = []string{"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type",
	"invalid_scope", "server_error", "temporarily_unavailable", "access_denied", "invalid_token", "insufficient_scope", "slow_down"}

// scrub removes secrets from a ServerError built for this request's answer,
// then makes its strings printable and caps them (redaction first, so that
// no cut leaves part of a secret). When a secret was too short to redact,
// all of the server's free text is dropped, the error code too unless it
// is a standard one, and Withheld is set. A nil redactor only sanitises.
func (r *redactor) scrub(se *tokens.ServerError) {
	withhold := r != nil && r.withhold
	code := se.Code != "" && !slices.Contains(standardCodes, se.Code)
	if withhold && (code || se.Description != "" || se.URI != "" || se.Excerpt != "" || se.Detail != "" && se.Problem == tokens.ProblemRedirect) {
		se.Withheld = true
		se.Description, se.URI, se.Excerpt = "", "", ""
		if code {
			se.Code = ""
		}
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
