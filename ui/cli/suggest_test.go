package cli

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/importers"
	"github.com/tokentray/tokentray/ui/explain"
)

// A mistyped command or flag is refused with the nearest real one; a word
// near nothing gets no guess.
func TestDidYouMean(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"lsit"}, `unknown command "lsit"; did you mean list?`},
		{[]string{"tokn", "dev-api"}, `unknown command "tokn"; did you mean token?`},
		{[]string{"LIST"}, "did you mean list?"},
		{[]string{"git-credentail", "x", "get"}, "did you mean git-credential?"},
		{[]string{"--hepl"}, "unknown flag --hepl; did you mean --help?"},
		{[]string{"-dmeo"}, "did you mean --demo?"},
		{[]string{"token", "dev-api", "--fromat", "raw"}, "did you mean --format?"},
		{[]string{"help", "limts"}, "did you mean limits?"},
	} {
		code, out, errs := h.run("", tc.args...)
		if code != ExitUsage || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %q", tc.args, code, out, errs, tc.want)
		}
	}
	if _, _, errs := h.run("", "frobnicate"); strings.Contains(errs, "did you mean") {
		t.Errorf("a guess for a word near no command: %q", errs)
	}
}

// A mistyped top-level flag prints the real overview (not Go's flag
// usage of the tray app's three flags) on stderr.
func TestUnknownTopFlagPrintsHelp(t *testing.T) {
	code, out, errs := newHarness(t).run("", "--hepl")
	if code != ExitUsage || out != "" || !strings.Contains(errs, "Commands:") || !strings.Contains(errs, "  token ") ||
		strings.Contains(errs, "Usage of") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// `token` (and every command taking a profile) without a name says which
// profiles there are.
func TestMissingNameListsProfiles(t *testing.T) {
	h := newHarness(t)
	code, _, errs := h.run("", "token")
	if code != ExitUsage || !strings.Contains(errs, "missing profile NAME") || !strings.Contains(errs, "no profiles are stored yet") {
		t.Fatalf("empty store: exit %d %q", code, errs)
	}
	for _, name := range []string{"dev-api", "Billing"} {
		if err := h.store.Save(context.Background(), tokens.Profile{Name: name, TokenURL: "https://auth.example.com/t", ClientID: "c", ClientSecret: secret}); err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range []string{"token", "curl", "rm", "introspect"} {
		code, out, errs := h.run("", cmd)
		if code != ExitUsage || out != "" || !strings.Contains(errs, "stored profiles: Billing, dev-api") {
			t.Errorf("%s: exit %d %q", cmd, code, errs)
		}
	}
	// A new profile's name is not one of them.
	if _, _, errs := h.run("", "add"); strings.Contains(errs, "stored profiles") {
		t.Errorf("add: %q", errs)
	}
	// A name given, an argument missing: no list.
	if _, _, errs := h.run("", "git-credential", "dev-api"); strings.Contains(errs, "stored profiles") || !strings.Contains(errs, "missing argument") {
		t.Errorf("git-credential NAME: %q", errs)
	}
}

// The overview is short, and points to the topics; the topics and flags
// give every number and list from the constant that enforces it.
func TestHelpTextsComeFromTheConstants(t *testing.T) {
	h := newHarness(t)
	_, overview, _ := h.run("", "--help")
	if n := strings.Count(overview, "\n"); n > 40 {
		t.Errorf("the overview is %d lines:\n%s", n, overview)
	}
	for _, topic := range helpTopics {
		if !strings.Contains(overview, "tokentray help "+topic.name) {
			t.Errorf("the overview does not point to %q", topic.name)
		}
	}
	_, limits, _ := h.run("", "help", "limits")
	for _, want := range []string{
		"export " + explain.Size(importers.MaxExportBytes), "(--from) " + explain.Size(importers.MaxFileSize),
		explain.Size(importers.MaxFolderBytes), strconv.Itoa(importers.MaxProfiles) + " profiles",
		"name " + strconv.Itoa(tokens.MaxNameLen) + " bytes", "CA bundle\n  " + explain.Size(tokens.MaxCABundleLen),
		"token responses " + explain.Size(tokens.MaxResponseBytes),
	} {
		if !strings.Contains(limits, want) {
			t.Errorf("help limits lacks %q:\n%s", want, limits)
		}
	}
	_, codes, _ := h.run("", "help", "exit-codes")
	for c := ExitOK; c <= ExitUnchecked; c++ {
		if strings.Count(codes, "\n  "+strconv.Itoa(c)+"  ") != 1 {
			t.Errorf("exit code %d is not described once:\n%s", c, codes)
		}
	}
	_, _, addHelp := h.run("", "add", "--help")
	for _, m := range tokens.AuthMethods {
		if !strings.Contains(addHelp, string(m)) {
			t.Errorf("add --help does not offer --auth %s", m)
		}
	}
	for _, want := range []string{"default " + explain.Setting(tokens.DefaultRefreshLead) + ",", "default " + explain.Setting(tokens.DefaultAssumedLifetime) + ")"} {
		if !strings.Contains(addHelp, want) {
			t.Errorf("add --help lacks %q", want)
		}
	}
	for cmd, want := range map[string]string{"token": "--min-valid " + explain.Setting(DefaultTokenMinValid) + "]", "exec": "--min-valid " + explain.Setting(DefaultExecMinValid) + "]"} {
		if _, _, help := h.run("", cmd, "--help"); !strings.Contains(help, want) {
			t.Errorf("%s --help lacks %q", cmd, want)
		}
	}
	_, _, importHelp := h.run("", "import", "--help")
	if !strings.Contains(importHelp, "--from "+explain.Size(importers.MaxFileSize)) {
		t.Errorf("import --help does not give the --from limit:\n%s", importHelp)
	}
}

func TestNearest(t *testing.T) {
	words := []string{"list", "token", "edit", "exec", "export", "rm"}
	for in, want := range map[string]string{
		"lsit": "list", "tokn": "token", "toekn": "token", "exprot": "export", "rn": "rm",
		"xyz": "", "": "", "frobnicate": "", strings.Repeat("a", 5000): "",
	} {
		if got := nearest(in, words); got != want {
			t.Errorf("nearest(%.10q) = %q, want %q", in, got, want)
		}
	}
}
