package tokens

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable returns s made safe to show on one line of a terminal or a
// window: control characters, bidi controls and invisible format
// characters dropped, white space collapsed, cut after max runes (and then
// followed by "…").
// Terminal escape sequences (CSI such as ESC [ 2 J, OSC such as a window
// title) are dropped whole, not just their ESC. The UI's own is
// explain.Printable (this, capped at 300).
func Printable(s string, max int) string {
	if strings.ContainsRune(s, 0x1b) {
		s = stripEscapes(s)
	}
	var b strings.Builder
	n := 0
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case !unicode.IsPrint(r):
			continue
		}
		if space && n+1 >= max || n >= max {
			b.WriteString("…")
			return b.String()
		}
		if space {
			b.WriteByte(' ')
			space = false
			n++
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// stripEscapes removes terminal escape sequences: CSI (ESC [ … final
// byte), OSC (ESC ] … BEL or ESC backslash) and two-byte ESC sequences.
func stripEscapes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != 0x1b {
			b.WriteByte(s[i])
			continue
		}
		if i+1 >= len(s) {
			break
		}
		switch s[i+1] {
		case '[':
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j // the final byte, skipped by the loop
		case ']':
			j := i + 2
			for j < len(s) && s[j] != 0x07 && !(s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\') {
				j++
			}
			if j < len(s) && s[j] == 0x1b {
				j++
			}
			i = j
		default:
			i++ // ESC and the next byte
		}
	}
	return b.String()
}

// CutUTF8 returns the longest prefix of s of at most n bytes that does not
// split a character: the one way to shorten text to a byte limit (profile
// names, quotes in messages, text shown capped). For s of valid UTF-8 the
// result is valid UTF-8; n ≤ 0 gives "".
func CutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Shorten returns s cut to at most n bytes at a character, followed by
// "…" when it was cut: a quote of a hostile input in a message.
func Shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return CutUTF8(s, n) + "…"
}
