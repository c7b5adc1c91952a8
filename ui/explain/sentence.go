package explain

import "strings"

// Sentence capitalises the first letter of msg, for a message that starts
// a dialog, a label or a notification on its own.
func Sentence(msg string) string {
	if msg == "" {
		return msg
	}
	r := []rune(msg)
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	return string(r)
}

// WithPeriod ends msg with a full stop unless it already ends a sentence.
func WithPeriod(msg string) string {
	if msg == "" || strings.HasSuffix(msg, ".") || strings.HasSuffix(msg, "!") || strings.HasSuffix(msg, "?") {
		return msg
	}
	return msg + "."
}
