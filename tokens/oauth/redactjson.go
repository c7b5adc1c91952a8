package oauth

import (
	"regexp"
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

// unescapedView is s with its JSON string escapes decoded; at[i] is the
// offset in s of the escape (or byte) that view byte i came from, and
// at[len(view)] is len(s).
func unescapedView(s string) (view string, at []int) {
	var b strings.Builder
	at = make([]int, 0, len(s)+1)
	emit := func(text string, from int) {
		b.WriteString(text)
		for range len(text) {
			at = append(at, from)
		}
	}
	for i := 0; i < len(s); {
		if s[i] != '\\' || i+1 >= len(s) {
			emit(s[i:i+1], i)
			i++
			continue
		}
		switch c := s[i+1]; c {
		case '"', '\\', '/':
			emit(string(c), i)
			i += 2
		case 'b', 'f', 'n', 'r', 't':
			emit(string("\b\f\n\r\t"[strings.IndexByte("bfnrt", c)]), i)
			i += 2
		case 'u':
			r, n := decodeUnicodeEscape(s[i:])
			if n == 0 {
				emit(s[i:i+1], i)
				i++
				continue
			}
			emit(string(r), i)
			i += n
		default:
			emit(s[i:i+1], i)
			i++
		}
	}
	return b.String(), append(at, len(s))
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
	view, at := unescapedView(s)
	covered := make([]bool, len(s))
	found := false
	for _, f := range r.forms {
		for i := 0; ; {
			j := strings.Index(view[i:], f)
			if j < 0 {
				break
			}
			start, end := at[i+j], at[i+j+len(f)]
			for k := start; k < end; k++ {
				covered[k] = true
			}
			found = true
			i += j + len(f)
		}
	}
	if !found {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if !covered[i] {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString(Redacted)
		for i < len(s) && covered[i] {
			i++
		}
	}
	return b.String()
}

// secretValueRE finds the value of a tokens.SecretFields member in JSON
// (group 2, maybe escaped) or parameter in a form or query (group 4).
var secretValueRE = func() *regexp.Regexp {
	names := make([]string, len(tokens.SecretFields))
	for i, n := range tokens.SecretFields {
		names[i] = regexp.QuoteMeta(n)
	}
	alt := strings.Join(names, "|")
	return regexp.MustCompile(`(?i)("(?:` + alt + `)"\s*:\s*")((?:[^"\\]|\\.)*)"` + `|((?:^|[?&\s])(?:` + alt + `)=)([^&\s"<]*)`)
}()

// namedSecretValues replaces the value of every tokens.SecretFields member
// or parameter in s by Redacted, whatever its length.
func namedSecretValues(s string) string {
	return secretValueRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := secretValueRE.FindStringSubmatch(m)
		switch {
		case sub[1] != "" && sub[2] != "" && sub[2] != Redacted:
			return sub[1] + Redacted + `"`
		case sub[3] != "" && sub[4] != "" && sub[4] != Redacted:
			return sub[3] + Redacted
		}
		return m
	})
}
