// Package shellquote makes text one word of a POSIX shell command line,
// for the commands Tokentray prints for the user to run: the curl command
// (ui/curlcmd), `token --format env`, and the hints the command line
// prints. It holds no secret policy: callers decide what may be quoted
// into a command at all.
package shellquote

import "strings"

// Quote returns s as one shell word that the shell takes literally: in
// single quotes, where nothing is special, with each single quote inside
// closed, written escaped (\') and reopened. Newlines and control
// characters stay as they are (callers that print for a terminal refuse
// them first). Safe for concurrent use.
func Quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Word returns s unquoted when it is made only of letters, digits, '-',
// '_' and '.', which no shell treats specially, and Quote(s) otherwise:
// for names in hints the user reads and may type.
func Word(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return Quote(s)
}
