package tokens

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// CutUTF8 never splits a character: at every byte limit over a string of
// 1-, 2-, 3- and 4-byte characters the result is valid UTF-8, as long as
// it can be, and a prefix of the input.
func TestCutUTF8NeverSplitsACharacter(t *testing.T) {
	s := "aé€😀b" + strings.Repeat("€😀", 5)
	for n := -1; n <= len(s)+1; n++ {
		got := CutUTF8(s, n)
		if !utf8.ValidString(got) || !strings.HasPrefix(s, got) || len(got) > max(n, 0) {
			t.Fatalf("CutUTF8(%d) = %q", n, got)
		}
		// As long as it can be: the next character would not fit.
		if rest := s[len(got):]; rest != "" {
			_, size := utf8.DecodeRuneInString(rest)
			if len(got)+size <= n {
				t.Fatalf("CutUTF8(%d) = %q stops early", n, got)
			}
		}
	}
	if got := Shorten("😀😀", 5); got != "😀…" {
		t.Errorf("Shorten = %q", got)
	}
	if got := Shorten("short", 5); got != "short" {
		t.Errorf("Shorten = %q", got)
	}
}
