package quietlocale

import (
	"os"
	"testing"
)

func TestIsCommandLine(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"tokentray"}, false},
		{[]string{"tokentray", "--demo"}, false},
		{[]string{"tokentray", "--show", "list"}, false},
		{[]string{"tokentray", ""}, false},
		{[]string{"tokentray", "list"}, true},
		{[]string{"tokentray", "token", "x"}, true},
		{[]string{"tokentray", "--help"}, true},
		{[]string{"tokentray", "-h"}, true},
		{[]string{"tokentray", "--version"}, true},
		{[]string{"tokentray", "not-a-command"}, true},
	} {
		if got := isCommandLine(tc.args); got != tc.want {
			t.Errorf("isCommandLine(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

// TestRestore checks that Restore puts back set, empty and unset variables
// exactly (the test binary's own os.Args name no subcommand, so init left
// everything alone and this test plays init's part).
func TestRestore(t *testing.T) {
	if Active() {
		t.Fatal("init acted for a test binary")
	}
	t.Setenv("LANG", "C.UTF-8")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LC_ALL", "x") // registers cleanup, then unset below
	os.Unsetenv("LC_ALL")
	os.Unsetenv("LANGUAGE")
	for i, k := range localeVars {
		before[i].value, before[i].set = os.LookupEnv(k)
	}
	active = true
	os.Setenv("LC_ALL", "C")
	Restore()
	if v := os.Getenv("LANG"); v != "C.UTF-8" {
		t.Errorf("LANG = %q", v)
	}
	if v, ok := os.LookupEnv("LC_MESSAGES"); !ok || v != "" {
		t.Errorf("LC_MESSAGES = %q, %v; want set and empty", v, ok)
	}
	if _, ok := os.LookupEnv("LC_ALL"); ok {
		t.Error("LC_ALL still set after Restore")
	}
	if _, ok := os.LookupEnv("LANGUAGE"); ok {
		t.Error("LANGUAGE set by Restore")
	}
	if Active() {
		t.Error("still active after Restore")
	}
}
