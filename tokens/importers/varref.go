package importers

import (
	"strings"
	"unicode/utf8"
)

// refSyntax is how a source writes a reference to a variable: {{name}}
// (Postman, Bruno), or also {{ _.name }} (Insomnia). Up to 8 blanks may
// stand inside the braces; a name is 1 to maxNameRef bytes without blanks
// or braces (characters, not bytes). It is the regular expression
// \{\{\s{0,8}(?:_\.)?([^{}\s]{1,256})\s{0,8}\}\} matched by hand: the
// resolver looks for references once per substitution, and a regexp
// allocates its matching state each time its pool is empty (always under
// the race detector), which made 100,000 substitutions cost 2 GB.
type refSyntax struct {
	underscore bool // "_." may precede the name
}

var (
	curlyVar    = refSyntax{}
	insomniaVar = refSyntax{underscore: true}
)

const (
	maxNameRef  = 256
	maxRefBlank = 8
	// maxRefLen is the longest reference in bytes: a longer {{…}} is text.
	maxRefLen = 2 + maxRefBlank + 2 + 4*maxNameRef + maxRefBlank + 2
)

// find returns the leftmost reference in s, from start to end, and the
// name it refers to; start is -1 when there is none.
func (x refSyntax) find(s string) (start, end int, name string) {
	for off := 0; ; {
		i := strings.Index(s[off:], "{{")
		if i < 0 {
			return -1, -1, ""
		}
		i += off
		if end, name, ok := x.at(s, i+2); ok {
			return i, end, name
		}
		off = i + 1
	}
}

// whole reports whether s is exactly one reference, and names it.
func (x refSyntax) whole(s string) (string, bool) {
	if !strings.HasPrefix(s, "{{") {
		return "", false
	}
	end, name, ok := x.at(s, 2)
	return name, ok && end == len(s)
}

// at matches the rest of a reference whose "{{" ends at j.
func (x refSyntax) at(s string, j int) (end int, name string, ok bool) {
	if j = skipBlanks(s, j); j < 0 {
		return 0, "", false
	}
	if x.underscore && strings.HasPrefix(s[j:], "_.") {
		if end, name, ok := nameAt(s, j+2); ok {
			return end, name, true
		}
	}
	return nameAt(s, j)
}

// nameAt matches a name of 1 to maxNameRef characters at j followed by the
// closing braces.
func nameAt(s string, j int) (end int, name string, ok bool) {
	k, n := j, 0
	for ; k < len(s) && n <= maxNameRef && !isBlank(s[k]) && s[k] != '{' && s[k] != '}'; n++ {
		_, size := utf8.DecodeRuneInString(s[k:])
		k += size
	}
	if n == 0 || n > maxNameRef {
		return 0, "", false
	}
	m := skipBlanks(s, k)
	if m < 0 || !strings.HasPrefix(s[m:], "}}") {
		return 0, "", false
	}
	return m + 2, s[j:k], true
}

// skipBlanks skips up to maxRefBlank blanks at j; -1 when there are more.
func skipBlanks(s string, j int) int {
	for n := 0; j < len(s) && isBlank(s[j]); n++ {
		if n == maxRefBlank {
			return -1
		}
		j++
	}
	return j
}

// isBlank is the regexp's \s: ASCII blanks.
func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
