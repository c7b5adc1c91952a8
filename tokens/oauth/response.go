package oauth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// maxExcerptRunes caps ServerError.Excerpt.
const maxExcerptRunes = 200

// maxExpiresIn caps expires_in so that absurd values cannot overflow
// time.Duration: about 31 years.
const maxExpiresIn = 1e9

// httpResponse is the part of an HTTP answer the parser needs, so that the
// parser is a pure function (and a fuzz target).
type httpResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// parseTokenResponse turns a token endpoint answer into a Token, or into a
// *ServerError describing why it is not one. now is the client's time at the
// response; assumed is the lifetime of tokens that state none (zero means
// DefaultAssumedLifetime); red (nil for none) removes the request's secrets
// from the server's text before it is cut into an excerpt. It never puts the
// access token into an error.
func parseTokenResponse(r httpResponse, now time.Time, assumed time.Duration, red *redactor) (*tokens.Token, error) {
	tok, _, err := parseTokenAnswer(r, now, assumed, red)
	return tok, err
}

// apart is what a token answer holds beside the token that never goes
// into it: its refresh token (a sign-in keeps it in a keyring item of its
// own) and its OpenID Connect ID token (a sign-in checks it). "" when
// none, or not a string. Both secret.
type apart struct{ refresh, idToken string }

// parseTokenAnswer is parseTokenResponse that also returns what the
// answer holds apart from the token.
func parseTokenAnswer(r httpResponse, now time.Time, assumed time.Duration, red *redactor) (*tokens.Token, apart, error) {
	if r.Status < 200 || r.Status > 299 {
		se := errorResponse(r, now, red)
		red.scrub(se)
		return nil, apart{}, se
	}
	tok, refresh, se := parseAnswer(r, now, assumed, red)
	if se != nil {
		red.scrub(se)
		return nil, apart{}, se
	}
	return tok, refresh, nil
}

// parseSuccess reads a 2xx answer.
func parseSuccess(r httpResponse, now time.Time, assumed time.Duration, red *redactor) (*tokens.Token, *tokens.ServerError) {
	tok, _, se := parseAnswer(r, now, assumed, red)
	return tok, se
}

// parseAnswer reads a 2xx answer: the token, and its refresh token apart.
func parseAnswer(r httpResponse, now time.Time, assumed time.Duration, red *redactor) (*tokens.Token, apart, *tokens.ServerError) {
	fields, se := decodeFields(r, red)
	if se != nil {
		return nil, apart{}, se
	}
	if code, ok := fields["error"].(string); ok && code != "" && fields["access_token"] == nil {
		// Some servers (GitHub among them) answer errors with 200.
		se := oauthError(r.Status, fields)
		se.RetryAfter = parseRetryAfter(r.Header.Get("Retry-After"), now)
		return nil, apart{}, se
	}
	raw, present := fields["access_token"]
	access, isString := raw.(string)
	switch {
	case !present:
		return nil, apart{}, &tokens.ServerError{Status: r.Status, Problem: tokens.ProblemNoToken, Detail: fieldList(fields)}
	case !isString:
		return nil, apart{}, &tokens.ServerError{Status: r.Status, Problem: tokens.ProblemTokenSyntax, Detail: "it is not a string"}
	}
	if err := tokens.CheckAccessToken(access); err != nil {
		return nil, apart{}, &tokens.ServerError{Status: r.Status, Problem: tokens.ProblemTokenSyntax, Detail: err.Error()}
	}

	t := &tokens.Token{AccessToken: access, IssuedAt: now}
	extra := make(map[string]any)
	var expiresIn time.Duration
	var secret apart
	for k, v := range fields {
		switch k {
		case "access_token":
			continue
		case "token_type":
			if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
				t.TokenType = tokenType(s)
				continue
			}
		case "scope":
			if s, ok := scopeString(v); ok {
				t.Scope = tokens.Printable(s, 4096)
				continue
			}
		case "expires_in":
			if d, ok := parseExpiresIn(v); ok {
				expiresIn = d
				continue
			}
		}
		if tokens.IsSecretField(k) {
			// A refresh token (or an ID token) is a secret, not something
			// to display: never in Extra. Both are returned apart, for a
			// sign-in to keep (the refresh token) or check (the ID token).
			switch k {
			case "refresh_token":
				secret.refresh, _ = v.(string)
			case "id_token":
				secret.idToken, _ = v.(string)
			}
			continue
		}
		extra[k] = v
	}
	if t.TokenType == "" {
		// RFC 6749 §5.1 requires token_type; without one, Bearer is the
		// only type a client credentials server issues in practice.
		t.TokenType, t.TokenTypeAssumed = tokens.TypeBearer, true
	}
	if len(extra) > 0 {
		t.Extra = extra
	}
	t.SetExpiry(expiresIn, assumed)
	return t, secret, nil
}

// tokenType returns "Bearer" for any case of it, else the type as sent,
// printable and capped.
func tokenType(s string) string {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, tokens.TypeBearer) {
		return tokens.TypeBearer
	}
	return tokens.Printable(s, tokens.MaxTokenTypeLen)
}

// decodeFields decodes a successful body as a JSON object or, for
// GitHub-style servers, as a form-encoded one. JSON numbers are kept as
// json.Number so that large integers survive for display. A body that is
// neither is a *ServerError naming the problem.
func decodeFields(r httpResponse, red *redactor) (map[string]any, *tokens.ServerError) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	mt = strings.ToLower(mt)
	trimmed := bytes.TrimSpace(r.Body)
	fail := func(p tokens.ResponseProblem) (map[string]any, *tokens.ServerError) {
		se := &tokens.ServerError{Status: r.Status, Problem: p, ContentType: tokens.Printable(mt, 60)}
		if p == tokens.ProblemHTML || p == tokens.ProblemContentType {
			se.Excerpt = excerpt(r.Body, red)
		}
		return nil, se
	}
	switch {
	case len(trimmed) == 0:
		return fail(tokens.ProblemEmptyBody)
	case mt == "application/x-www-form-urlencoded":
		if f, err := decodeForm(trimmed); err == nil {
			return f, nil
		}
		return fail(tokens.ProblemContentType)
	case mt == "application/json" || strings.HasSuffix(mt, "+json") || bytes.HasPrefix(trimmed, []byte("{")):
		f, err := decodeJSONObject(trimmed)
		if err == nil {
			return f, nil
		}
		if looksLikeHTML(trimmed) {
			return fail(tokens.ProblemHTML)
		}
		_, se := fail(tokens.ProblemInvalidJSON)
		se.Detail = err.Error()
		return nil, se
	case mt == "text/html" || mt == "application/xhtml+xml" || looksLikeHTML(trimmed):
		return fail(tokens.ProblemHTML)
	}
	// Unknown or missing content type: accept a form body that carries the
	// OAuth fields (some servers send text/plain), refuse anything else.
	if f, err := decodeForm(trimmed); err == nil && (f["access_token"] != nil || f["error"] != nil) {
		return f, nil
	}
	if mt == "" {
		mt = "none"
	}
	return fail(tokens.ProblemContentType)
}

// looksLikeHTML reports whether a body starts like an HTML document.
func looksLikeHTML(b []byte) bool {
	head := strings.ToLower(string(b[:min(len(b), 512)]))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		(strings.HasPrefix(head, "<") && (strings.Contains(head, "<body") || strings.Contains(head, "<head") || strings.Contains(head, "<title")))
}

func decodeJSONObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, fmt.Errorf("response is not a JSON object")
	}
	if dec.More() {
		return nil, fmt.Errorf("response has data after the JSON object")
	}
	return m, nil
}

func decodeForm(b []byte) (map[string]any, error) {
	vals, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, fmt.Errorf("response is not valid form encoding")
	}
	m := make(map[string]any, len(vals))
	for k, v := range vals {
		if len(v) > 0 {
			m[k] = v[0]
		}
	}
	return m, nil
}

// parseExpiresIn accepts a positive number of seconds as a JSON number or a
// numeric string ("3599"). Zero, negative, non-finite or non-numeric values
// are unusable (the caller keeps them in Extra and falls back).
func parseExpiresIn(v any) (time.Duration, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = string(x)
	case string:
		s = strings.TrimSpace(x)
	case float64:
		s = strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f <= 0 {
		return 0, false
	}
	f = min(f, maxExpiresIn)
	d := time.Duration(f * float64(time.Second))
	return d, d > 0
}

// scopeString accepts the RFC 6749 space-separated string and, leniently, a
// JSON array of strings.
func scopeString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, " "), true
	}
	return "", false
}

// fieldList names (never shows the values of) the fields of a response, for
// the "no access_token" error.
func fieldList(fields map[string]any) string {
	if len(fields) == 0 {
		return " (empty object)"
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, tokens.Printable(k, 40))
	}
	slices.Sort(names)
	if len(names) > 10 {
		names = append(names[:10], "…")
	}
	return " (fields: " + strings.Join(names, ", ") + ")"
}

// errorResponse builds the *ServerError for a non-2xx answer: the RFC 6749
// §5.2 error object when the body is one (JSON or form), else a printable
// excerpt of the body.
func errorResponse(r httpResponse, now time.Time, red *redactor) *tokens.ServerError {
	var se *tokens.ServerError
	if fields, fe := decodeFields(r, red); fe == nil {
		if code, ok := fields["error"].(string); ok && code != "" {
			se = oauthError(r.Status, fields)
		}
	}
	if se == nil {
		se = &tokens.ServerError{Status: r.Status, Excerpt: excerpt(r.Body, red)}
		if r.Status >= 300 && r.Status < 400 {
			// The token request never follows redirects; say where it was sent.
			se.Problem, se.Excerpt = tokens.ProblemRedirect, ""
			se.Detail = tokens.Printable(red.apply(r.Header.Get("Location")), maxExcerptRunes)
		} else if looksLikeHTML(bytes.TrimSpace(r.Body)) {
			se.Problem = tokens.ProblemHTML
		}
	}
	se.RetryAfter = parseRetryAfter(r.Header.Get("Retry-After"), now)
	return se
}

// oauthError reads an RFC 6749 §5.2 error object. The code keeps only the
// characters RFC 6749 allows in it; description and URI stay whole until
// scrub has redacted them, and only then are they made printable and cut.
func oauthError(status int, fields map[string]any) *tokens.ServerError {
	str := func(k string) string { s, _ := fields[k].(string); return s }
	return &tokens.ServerError{Status: status, Code: errorCode(str("error")), Description: str("error_description"), URI: str("error_uri")}
}

// errorCode keeps an error code that has RFC 6749's syntax (NQSCHAR, at
// most 100 bytes) and marks anything else as malformed.
func errorCode(s string) string {
	if validErrorCode(s) {
		return s
	}
	// Cut by scrub, after redaction: a cut here could keep part of a secret.
	return "(malformed error code) " + s
}

func validErrorCode(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP-date
// (RFC 9110 §10.2.3). Missing, malformed or past values give zero.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, maxExpiresIn)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// excerpt makes a short, printable, single-line piece of an error body:
// HTML tags, scripts and styles are dropped, control characters removed and
// white space collapsed, capped at maxExcerptRunes.
//
// The request's secrets are removed (red) before anything is cut, and
// again after tags and entities are gone, so that no part of a secret
// survives at a cut or behind an HTML entity.
func excerpt(body []byte, red *redactor) string {
	s := red.apply(string(body)) // whole: a cut must not split a secret
	if len(s) > 64<<10 {
		s = s[:64<<10]
	}
	s = red.apply(stripTags(s))
	return red.apply(tokens.Printable(s, maxExcerptRunes))
}

// stripTags removes <…> tags and the content of <script> and <style>
// elements, and decodes the few entities error pages commonly use.
func stripTags(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	lower := asciiLower(s)        // same byte offsets as s
	unclosed := map[string]bool{} // elements with no closing tag further on
	for i := 0; i < len(s); {
		if s[i] != '<' {
			b.WriteByte(s[i])
			i++
			continue
		}
		for _, el := range []string{"script", "style"} {
			if !unclosed[el] && strings.HasPrefix(lower[i+1:], el) {
				if end := strings.Index(lower[i:], "</"+el); end >= 0 {
					i += end
				} else {
					unclosed[el] = true
				}
			}
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			break
		}
		b.WriteByte(' ')
		i += end + 1
	}
	return strings.NewReplacer("&nbsp;", " ", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&amp;", "&").Replace(b.String())
}

// asciiLower lowers A-Z only, so byte offsets stay those of s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
