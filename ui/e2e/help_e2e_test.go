package e2e

import (
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/ui/cli"
)

// TestHelpListsEverySubcommand: `tokentray --help`, run on the real
// binary, lists every subcommand the dispatcher accepts (taken from the
// dispatcher, cli.Subcommands, not written out here) and no other; each
// one reaches its own help; and a word that is not one is refused rather
// than taken by the tray app.
func TestHelpListsEverySubcommand(t *testing.T) {
	t.Parallel()
	bin := tokentrayBin
	out, err := exec.Command(bin, "--help").Output()
	if err != nil {
		t.Fatalf("tokentray --help: %v\n%s", err, out)
	}
	_, commands, ok := strings.Cut(string(out), "\nCommands:\n")
	if !ok {
		t.Fatalf("no Commands section:\n%s", out)
	}
	commands, _, _ = strings.Cut(commands, "\n\n")
	var listed []string
	for _, m := range regexp.MustCompile(`(?m)^  ([a-z-]+)\b`).FindAllStringSubmatch(commands, -1) {
		listed = append(listed, m[1])
	}
	accepted := cli.Subcommands()
	if !slices.Contains(accepted, "pick") {
		t.Errorf("the dispatcher does not know pick: %q", accepted)
	}
	if !slices.Equal(listed, accepted) {
		t.Errorf("--help lists %q; the dispatcher accepts %q", listed, accepted)
	}
	for _, name := range accepted {
		if !cli.IsSubcommand(name) {
			t.Errorf("%s is listed but not dispatched to the command line", name)
		}
		if out, err := exec.Command(bin, name, "--help").CombinedOutput(); err != nil || !strings.Contains(string(out), "Usage: tokentray "+name) {
			t.Errorf("tokentray %s --help: %v\n%s", name, err, out)
		}
	}
	out, err = exec.Command(bin, "frobnicate").CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), `unknown command "frobnicate"`) {
		t.Errorf("tokentray frobnicate: %v\n%s", err, out)
	}
}

// TestMistypedWordsGetTheRealHelp: on the real binary, a mistyped command
// suggests the nearest one, and a mistyped top-level flag prints the
// command line's overview rather than Go's flag usage of the tray app's
// three flags; neither starts the tray app.
func TestMistypedWordsGetTheRealHelp(t *testing.T) {
	bin := tokentrayBin
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"lsit"}, []string{`unknown command "lsit"; did you mean list?`}},
		{[]string{"tokn", "dev-api"}, []string{"did you mean token?"}},
		{[]string{"--hepl"}, []string{"unknown flag --hepl; did you mean --help?", "Commands:", "tokentray help limits"}},
	} {
		cmd := exec.Command(bin, tc.args...)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
			t.Errorf("%q: %v, want exit 2", tc.args, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr.String(), w) {
				t.Errorf("%q: stderr lacks %q:\n%s", tc.args, w, stderr.String())
			}
		}
		if strings.Contains(stderr.String(), "Usage of tokentray") || strings.Contains(stderr.String(), "-demo-profiles int") || stdout.Len() > 0 {
			t.Errorf("%q: Go's flag usage or output:\n%s%s", tc.args, stdout.String(), stderr.String())
		}
	}
}
