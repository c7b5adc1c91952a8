package shellquote

import (
	"os/exec"
	"testing"

	"github.com/tokentray/tokentray/tokens/testenv"
)

// TestQuoteSurvivesHostileText: a real POSIX sh reads each quoted word
// back as the text itself, whatever it holds.
func TestQuoteSurvivesHostileText(t *testing.T) {
	testenv.SkipUnlessLinux(t, "shell quoting is checked by a real POSIX sh")
	for _, s := range []string{`a'b`, `$(touch /tmp/pwned)`, "`id`", "x\ny", `'; echo hi; '`, `\'`, `"$HOME"`, "", "-n", "*"} {
		for _, word := range []string{Quote(s), Word(s)} {
			out, err := exec.Command("sh", "-c", "printf %s "+word).Output()
			if err != nil || string(out) != s {
				t.Errorf("%s came back as %q (%v), want %q", word, out, err, s)
			}
		}
	}
}

func TestWordQuotesOnlyWhenNeeded(t *testing.T) {
	for in, want := range map[string]string{"dev-api": "dev-api", "a.b_c": "a.b_c", "a b": "'a b'", "": "''", "ü": "'ü'"} {
		if got := Word(in); got != want {
			t.Errorf("Word(%q) = %s, want %s", in, got, want)
		}
	}
}
