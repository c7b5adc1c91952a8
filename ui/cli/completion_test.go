package cli

import (
	"context"
	"flag"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// namedStore is a memory store that lists names like the keyring store
// (from its index alone); block makes ProfileNames hang like a keyring
// that does not answer.
type namedStore struct {
	tokens.Store
	names []string
	block chan struct{}
}

func (s namedStore) ProfileNames(ctx context.Context) ([]string, error) {
	if s.block != nil {
		<-s.block
	}
	return s.names, nil
}

func TestEveryCommandShowsItsFlagsToCompletion(t *testing.T) {
	for _, c := range commands() {
		fs := commandFlags(c) // an Env without store, fetcher or terminal: a command reaching one panics
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if fs.Name() != c.name {
			t.Errorf("%s: flag set %q", c.name, fs.Name())
		}
		if strings.Contains(c.args, "--") && n == 0 {
			t.Errorf("%s: its usage %q names flags but completion sees none", c.name, c.args)
		}
	}
	want := map[string]string{"token": "format", "add": "auth", "edit": "read-secret", "import": "from", "exec": "env", "list": "json"}
	for cmd, f := range want {
		c, _ := lookupCommand(cmd)
		if commandFlags(c).Lookup(f) == nil {
			t.Errorf("completion does not see %s --%s", cmd, f)
		}
	}
}

func TestCompleteWord(t *testing.T) {
	names := func() []string { return []string{"dev-api", "demo-json", "prod api"} }
	cases := []struct {
		before []string
		cur    string
		want   []string
	}{
		{nil, "to", []string{"token"}},
		{nil, "--d", []string{"--demo"}},
		{nil, "comp", []string{"completion"}},
		{[]string{"help"}, "ex", []string{"exec", "export"}},
		{[]string{"token"}, "de", []string{"dev-api", "demo-json"}},
		{[]string{"token"}, "", []string{"dev-api", "demo-json", "prod api"}},
		{[]string{"token", "dev-api"}, "", nil},
		{[]string{"token", "dev-api", "--format"}, "e", []string{"env", "exec-credential"}},
		{[]string{"token", "--format", "json"}, "d", []string{"dev-api", "demo-json"}}, // a flag's value is not the NAME
		{[]string{"token", "-v"}, "dev", []string{"dev-api"}},                          // a bool flag takes no value
		{[]string{"token", "dev-api"}, "--form", []string{"--format"}},
		{[]string{"token"}, "--format=h", []string{"--format=header"}},
		{[]string{"add", "x", "--auth"}, "private", []string{"private_key_jwt"}},
		{[]string{"add"}, "", nil}, // a new name: nothing to offer
		{[]string{"git-credential"}, "d", []string{"dev-api", "demo-json"}},
		{[]string{"git-credential", "dev-api"}, "", []string{"get", "store", "erase"}},
		{[]string{"autostart"}, "o", []string{"on", "off"}},
		{[]string{"completion"}, "", []string{"bash", "zsh", "fish", "powershell"}},
		{[]string{"exec", "dev-api", "--"}, "", nil},
		{[]string{"import", "--from"}, "", []string{"postman", "bruno", "insomnia"}},
		{[]string{"export"}, "", nil},
		{[]string{"frobnicate"}, "", nil},
	}
	for _, tc := range cases {
		got := completeWord(tc.before, tc.cur, names)
		if !slices.Equal(got, tc.want) {
			t.Errorf("tokentray %s %q: got %q, want %q", strings.Join(tc.before, " "), tc.cur, got, tc.want)
		}
	}
}

// The fixed values completion offers are the ones the commands accept.
func TestCompletedFlagValuesAreAccepted(t *testing.T) {
	h := newHarness(t)
	for _, v := range flagValues["format"] {
		if code, _, errs := h.run("", "token", "nobody", "--format", v); code != ExitNotFound {
			t.Errorf("token --format %s: exit %d (%s), want %d: no such profile", v, code, errs, ExitNotFound)
		}
	}
	for _, v := range flagValues["auth"] {
		args := []string{"add", "p-" + v, "--token-url", "https://auth.example.com/token", "--client-id", "c", "--auth", v}
		if code, _, errs := h.run(strings.Repeat("s", 32)+"\n", args...); code == ExitUsage || strings.Contains(errs, "--auth") {
			t.Errorf("add --auth %s: exit %d: %s", v, code, errs)
		}
	}
	for _, v := range flagValues["body"] {
		if code, _, errs := h.run(strings.Repeat("s", 32)+"\n", "add", "b-"+v, "--token-url", "https://auth.example.com/token", "--client-id", "c", "--body", v); code != ExitOK {
			t.Errorf("add --body %s: exit %d: %s", v, code, errs)
		}
	}
	for _, bad := range []string{"format", "body"} {
		cmd := map[string][]string{"format": {"token", "nobody", "--format", "bogus"}, "body": {"add", "x", "--token-url", "https://auth.example.com/token", "--client-id", "c", "--body", "bogus"}}[bad]
		if code, _, _ := h.run("", cmd...); code != ExitUsage && code != ExitFailure {
			t.Errorf("--%s bogus: exit %d, want a refusal", bad, code)
		}
	}
}

func TestCompletionProfileNames(t *testing.T) {
	run := func(st tokens.Store, args ...string) []string {
		env := Env{OpenStore: func(time.Duration) tokens.Store { return st }}
		var out strings.Builder
		env.Stdout, env.Stderr = &out, &out
		if code := Main(context.Background(), append([]string{"completion", "--words", "--"}, args...), env); code != 0 {
			t.Fatalf("exit %d: %s", code, out.String())
		}
		return strings.Fields(out.String())
	}
	st := namedStore{Store: tokens.NewMemoryStore(), names: []string{"dev-api", "evil\x1b]0;pwned\x07", "demo"}}
	if got := run(st, "tokentray", "token", "d"); !slices.Equal(got, []string{"dev-api", "demo"}) {
		t.Errorf("names: %q (a name with a terminal escape must be left out)", got)
	}
	// A store that cannot list names alone (it would read every profile,
	// secrets included) completes nothing.
	if got := run(tokens.NewMemoryStore(), "tokentray", "token", ""); len(got) != 0 {
		t.Errorf("a store without ProfileNames: %q", got)
	}
	// A keyring that does not answer completes nothing, after the bound.
	block := make(chan struct{})
	defer close(block)
	done := make(chan []string, 1)
	go func() {
		done <- run(namedStore{Store: tokens.NewMemoryStore(), names: []string{"x"}, block: block}, "tokentray", "rm", "")
	}()
	select {
	case got := <-done:
		if len(got) != 0 {
			t.Errorf("a hanging keyring: %q", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("completion waited on a keyring that does not answer")
	}
}

func TestCompletionScripts(t *testing.T) {
	h := newHarness(t)
	for _, sh := range completionShells {
		out := h.mustRun("", "completion", sh)
		if !strings.Contains(out, "completion --words --cword") {
			t.Errorf("%s script does not call back for candidates:\n%s", sh, out)
		}
	}
	if code, _, errs := h.run("", "completion", "tcsh"); code != ExitUsage || !strings.Contains(errs, "bash, zsh, fish, powershell") {
		t.Errorf("completion tcsh: exit %d: %s", code, errs)
	}
}
