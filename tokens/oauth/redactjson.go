package oauth

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tokentray/tokentray/tokens"
)

// Two passes of the redactor that do not depend on listing every encoding
// of a secret in advance.
//
// An echo may JSON-escape any character of a secret: PHP's json_encode
// writes "/" as "\/" and non-ASCII as "\u00e9", with flags "<" as
// "\u003C", and other encoders choose other escapes and hex case. So the
// text's JSON escapes are decoded into a view, the secrets are searched
// for in the view, and each match is replaced in the text over the span
// of its escaped form (unescapedMatches).
//
// And the values of fields named in tokens.SecretFields (refresh_token,
// code, …) are secrets whoever sent them: in a JSON member or a form
// parameter they are replaced whatever their length (namedSecretValues).

// jsonEscape is one escape of an unescapedView: at view offset view it
// decoded to n bytes from the escape of size bytes at offset orig of s.
type jsonEscape struct{ view, n, orig, size int }

// unescapedView is s with its JSON string escapes decoded, and the escapes
// it decoded, in order (most of s is copied as it is, so offsets between
// escapes map one to one).
func unescapedView(s string) (view string, escapes []jsonEscape) {
	var b strings.Builder
	b.Grow(len(s))
	escapes = make([]jsonEscape, 0, strings.Count(s, `\`))
	decoded := func(text string, at, size int) {
		escapes = append(escapes, jsonEscape{view: b.Len(), n: len(text), orig: at, size: size})
		b.WriteString(text)
	}
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '\\')
		if j < 0 || i+j+1 >= len(s) {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+j])
		i += j
		switch c := s[i+1]; c {
		case '"', '\\', '/':
			decoded(string(c), i, 2)
			i += 2
		case 'b', 'f', 'n', 'r', 't':
			decoded(string("\b\f\n\r\t"[strings.IndexByte("bfnrt", c)]), i, 2)
			i += 2
		case 'u':
			if r, n := decodeUnicodeEscape(s[i:]); n > 0 {
				decoded(string(r), i, n)
				i += n
				continue
			}
			fallthrough
		default:
			b.WriteByte('\\')
			i++
		}
	}
	return b.String(), escapes
}

// origSpan maps the view span [start, end) back to the span of s it came
// from, widened to whole escapes.
func origSpan(escapes []jsonEscape, start, end int) (int, int) {
	// last is the last escape at or before view offset v.
	last := func(v int) (jsonEscape, bool) {
		k, _ := slices.BinarySearchFunc(escapes, v, func(e jsonEscape, v int) int { return cmp.Compare(e.view, v+1) })
		if k == 0 {
			return jsonEscape{}, false
		}
		return escapes[k-1], true
	}
	from, to := start, end
	if e, ok := last(start); ok {
		from = e.orig
		if start >= e.view+e.n {
			from = e.orig + e.size + (start - e.view - e.n)
		}
	}
	if e, ok := last(end - 1); ok {
		to = e.orig + e.size
		if end-1 >= e.view+e.n {
			to += end - e.view - e.n
		}
	}
	return from, to
}

// decodeUnicodeEscape decodes the \uXXXX escape (either hex case) at the
// start of s, with its low surrogate when it is a high one; n is the
// length consumed, 0 when s does not start with a valid escape.
func decodeUnicodeEscape(s string) (r rune, n int) {
	hex4 := func(s string) (rune, bool) {
		if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(s[2:6], 16, 32)
		return rune(v), err == nil
	}
	r, ok := hex4(s)
	if !ok {
		return 0, 0
	}
	if utf16.IsSurrogate(r) {
		if r2, ok := hex4(s[6:]); ok {
			if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
				return d, 12
			}
		}
		return utf8.RuneError, 6
	}
	return r, 6
}

// unescapedMatches replaces in s every secret form that appears in s's
// JSON-unescaped view, over the span of its escaped form.
func (r *redactor) unescapedMatches(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	view, escapes := unescapedView(s)
	var spans []span
	for _, f := range r.forms {
		for i := 0; ; {
			j := strings.Index(view[i:], f)
			if j < 0 {
				break
			}
			start, end := origSpan(escapes, i+j, i+j+len(f))
			spans = append(spans, span{start, end})
			i += j + len(f)
		}
	}
	return redactSpans(s, spans)
}

// span is a byte range [start, end) of a text to redact.
type span struct{ start, end int }

// redactSpans returns s with every span replaced by Redacted; overlapping
// spans become one. A span that already reads Redacted stays as it is.
func redactSpans(s string, spans []span) string {
	if len(spans) == 0 {
		return s
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		switch {
		case sp.end <= last:
			continue
		case sp.start < last: // overlaps the previous one: extend it
			last = sp.end
			continue
		case s[sp.start:sp.end] == Redacted:
			continue
		}
		b.WriteString(s[last:sp.start])
		b.WriteString(Redacted)
		last = sp.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// namedSecretValues replaces the value of every tokens.SecretFields member
// in JSON ("refresh_token": "…", the value maybe escaped) or parameter in
// a form or query (refresh_token=…, after the start, "?", "&" or white
// space) in s by Redacted, whatever its length. Names match without
// regard to ASCII case.
func namedSecretValues(s string) string {
	lower := asciiLower(s)
	var spans []span
	for _, name := range tokens.SecretFields {
		for i := 0; ; {
			j := strings.Index(lower[i:], name)
			if j < 0 {
				break
			}
			at, end := i+j, i+j+len(name)
			i = end
			if start, stop, ok := jsonMemberValue(s, at, end); ok {
				spans = append(spans, span{start, stop})
			} else if start, stop, ok := formValue(s, at, end); ok {
				spans = append(spans, span{start, stop})
			}
		}
	}
	return redactSpans(s, spans)
}

// jsonMemberValue finds, for the name at s[at:end], the value of the JSON
// member "name": "value": the span of value inside its quotes.
func jsonMemberValue(s string, at, end int) (start, stop int, ok bool) {
	if at == 0 || s[at-1] != '"' || end >= len(s) || s[end] != '"' {
		return 0, 0, false
	}
	i := skipSpace(s, end+1)
	if i >= len(s) || s[i] != ':' {
		return 0, 0, false
	}
	i = skipSpace(s, i+1)
	if i >= len(s) || s[i] != '"' {
		return 0, 0, false
	}
	start = i + 1
	for i = start; i < len(s) && s[i] != '"'; i++ {
		if s[i] == '\\' {
			i++
		}
	}
	if i > len(s) {
		i = len(s)
	}
	return start, i, i > start
}

// formValue finds, for the name at s[at:end], the value of the parameter
// name=value in a form or query.
func formValue(s string, at, end int) (start, stop int, ok bool) {
	if at > 0 && !strings.ContainsRune("?& \t\r\n", rune(s[at-1])) || end >= len(s) || s[end] != '=' {
		return 0, 0, false
	}
	start = end + 1
	stop = start
	for stop < len(s) && !strings.ContainsRune("& \t\r\n\"<", rune(s[stop])) {
		stop++
	}
	return start, stop, stop > start
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i
}
