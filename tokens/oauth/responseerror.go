package oauth

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// Error answers of a token endpoint: the RFC 6749 §5.2 error object, or
// a printable, redacted excerpt of whatever else came back, and
// Retry-After.

// maxExcerptRunes caps ServerError.Excerpt.
const maxExcerptRunes = 200

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
