package cli

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func readme(t *testing.T) string {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The page holds every command of the table with each of its flags, and
// every exit code the command line uses, from the README.
func TestManPageHasEveryCommandFlagAndExitCode(t *testing.T) {
	page, err := ManPage(readme(t), "1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page, `"Tokentray 1.2.3"`) {
		t.Error("the page does not name its version")
	}
	for _, c := range commands() {
		if !strings.Contains(page, `\fBtokentray `+roffText(c.name)+`\fR`) {
			t.Errorf("no entry for %s", c.name)
		}
		commandFlags(c).VisitAll(func(f *flag.Flag) {
			if !strings.Contains(page, `\fB\-\-`+roffText(f.Name)+`\fR`) {
				t.Errorf("%s --%s is missing", c.name, f.Name)
			}
		})
	}
	_, exits, _ := strings.Cut(page, ".SH EXIT STATUS\n")
	exits, _, _ = strings.Cut(exits, ".SH ")
	for code := ExitOK; code <= ExitUnchecked; code++ {
		if !strings.Contains(exits, fmt.Sprintf(".TP\n\\fB%d\\fR\n", code)) {
			t.Errorf("exit code %d is not in EXIT STATUS (README's Exit codes table):\n%s", code, exits)
		}
	}
	_, env, _ := strings.Cut(page, ".SH ENVIRONMENT\n")
	if !strings.Contains(env, `\fBTOKENTRAY_KEYRING_SERVICE\fR`) {
		t.Errorf("ENVIRONMENT lacks TOKENTRAY_KEYRING_SERVICE:\n%s", env)
	}
}

// groff reads the page without a warning (-ww: all of them).
func TestManPageRendersCleanly(t *testing.T) {
	if _, err := exec.LookPath("groff"); err != nil {
		t.Skip("groff is not installed (Debian: groff-base, with man-db)")
	}
	page, err := ManPage(readme(t), "1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = strings.NewReader(page)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Errorf("groff: %v\n%s", err, stderr.String())
	}
}

func TestManPageNeedsTheReadmeSections(t *testing.T) {
	if _, err := ManPage("# Tokentray\n\n## Exit codes\n\n| code | meaning |\n|---|---|\n| 0 | ok |\n", "1"); err == nil || !strings.Contains(err.Error(), "Environment") {
		t.Errorf("a README without an Environment section: %v", err)
	}
}

// Text from the table or the README never becomes a roff request: a line
// starting with a dot or a quote is escaped, as are backslashes.
func TestRoffTextEscapes(t *testing.T) {
	for in, want := range map[string]string{
		".so /etc/passwd": `\&.so /etc/passwd`,
		"'bp":             `\&'bp`,
		`a\fBb`:           `a\efBb`,
		"--min-valid":     `\-\-min\-valid`,
		"wait…":           `wait\[u2026]`,
	} {
		if got := roffText(in); got != want {
			t.Errorf("roffText(%q) = %q, want %q", in, got, want)
		}
	}
	// And through the Markdown path, a table cell or paragraph line.
	got := markdownToRoff("| a | b |\n|---|---|\n| x | .TH evil |\n\n.SH evil\n")
	if strings.Contains(got, "\n.TH evil") || strings.Contains(got, "\n.SH evil") {
		t.Errorf("markdown became roff requests:\n%s", got)
	}
}
