package cli

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestGitCredentialPasswordPath(t *testing.T) {
	h := newHarness(t)
	srv := newToolServer(t)
	addToolProfile(t, h, "git", srv)
	out := h.mustRun("protocol=https\nhost=git.example.com\npath=team/repo.git\n\n", "git-credential", "git", "get")
	tok := cachedToken(t, h, "git")
	tokRec, _ := h.store.LoadToken(t.Context(), "git")
	want := "username=oauth2\npassword=" + tok + "\npassword_expiry_utc=" + strconv.FormatInt(tokRec.ExpiresAt.Unix(), 10) + "\n"
	if out != want {
		t.Fatalf("answer %q, want %q", out, want)
	}
	// A user name git already has (from the URL) is kept; --username sets the default.
	if out := h.mustRun("protocol=https\nhost=h\nusername=alice\n\n", "git-credential", "git", "get"); !strings.HasPrefix(out, "username=alice\npassword="+tok+"\n") {
		t.Fatalf("with username=alice: %q", out)
	}
	if out := h.mustRun("protocol=https\nhost=h\n", "git-credential", "--username", "x-access-token", "git", "get"); !strings.HasPrefix(out, "username=x-access-token\n") {
		t.Fatalf("--username and no blank line at the end: %q", out)
	}
	if srv.Requests() != 1 {
		t.Fatalf("%d token requests, want the cached one reused", srv.Requests())
	}
}

// git ≥ 2.46 offers capability[]=authtype; the answer is then a Bearer
// credential, which git sends as "Authorization: Bearer <token>". This git
// (2.39) never offers it, so the path is checked here, against the
// protocol as git documents it.
func TestGitCredentialAuthtypePath(t *testing.T) {
	h := newHarness(t)
	srv := newToolServer(t)
	addToolProfile(t, h, "git", srv)
	out := h.mustRun("capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=git.example.com\nwwwauth[]=Bearer realm=\"git\"\n\n", "git-credential", "git", "get")
	tok := cachedToken(t, h, "git")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := []string{"capability[]=authtype", "authtype=Bearer", "credential=" + tok, "ephemeral=true"}
	if len(lines) != 5 || strings.Join(lines[:4], "\n") != strings.Join(want, "\n") || !strings.HasPrefix(lines[4], "password_expiry_utc=") {
		t.Fatalf("authtype answer %q", out)
	}
	if strings.Contains(out, "password=") || strings.Contains(out, "username=") {
		t.Fatalf("authtype answer also carries a password: %q", out)
	}
}

func TestGitCredentialStoreEraseAndRefusals(t *testing.T) {
	h := newHarness(t)
	srv := newToolServer(t)
	addToolProfile(t, h, "git", srv)
	for _, action := range []string{"store", "erase", "some-future-action"} {
		code, out, errs := h.run("protocol=https\nhost=h\nusername=oauth2\npassword=x\n\n", "git-credential", "git", action)
		if code != 0 || out != "" || errs != "" {
			t.Fatalf("%s: exit %d stdout %q stderr %q; want silence", action, code, out, errs)
		}
	}
	for _, tc := range []struct{ in, why string }{
		{"protocol=http\nhost=git.example.com\n\n", "not encrypted"},
		{"protocol=cert\npath=/home/me/client.p12\n\n", `protocol "cert"`},
		{"host=git.example.com\n\n", "did not say which protocol"},
	} {
		code, out, errs := h.run(tc.in, "git-credential", "git", "get")
		if code != 0 || out != "" || !strings.Contains(errs, tc.why) {
			t.Fatalf("%q: exit %d stdout %q stderr %q; want no answer and %q", tc.in, code, out, errs, tc.why)
		}
	}
	// Loopback over http is allowed, as for token URLs.
	if out := h.mustRun("protocol=http\nhost=127.0.0.1:8080\n\n", "git-credential", "git", "get"); !strings.Contains(out, "password=") {
		t.Fatalf("loopback http: %q", out)
	}
	if srv.Requests() != 1 {
		t.Fatalf("%d token requests: store, erase and refusals must fetch nothing", srv.Requests())
	}
	if code, _, errs := h.run("garbage line\n\n", "git-credential", "git", "get"); code != ExitFailure || !strings.Contains(errs, "without '='") {
		t.Fatalf("malformed input: exit %d stderr %q", code, errs)
	}
	if code, _, _ := h.run("", "git-credential", "git"); code != ExitUsage {
		t.Fatalf("missing action: exit %d", code)
	}
	// A huge request is cut, not read whole.
	huge := "protocol=https\nhost=" + strings.Repeat("a", 1<<20) + "\n\n"
	if code, _, _ := h.run(huge, "git-credential", "git", "get"); code == 0 {
		t.Fatal("a 1 MiB line was accepted")
	}
}

// Against a server whose tokens live 2 minutes, `token` works (its
// --min-valid is 60s) while git-credential and exec, which ask for 5
// minutes by default, cannot: they say it is their default that is too
// long and what to pass.
func TestDefaultMinValidLongerThanTheServersTokens(t *testing.T) {
	h := newHarness(t)
	srv := newToolServer(t)
	srv.SetLifetime(120)
	addToolProfile(t, h, "git", srv)
	h.mustRun("", "token", "git")
	for _, args := range [][]string{{"git-credential", "git", "get"}, {"exec", "git", "--", self(t), "-test.run=^$"}} {
		code, out, errs := h.run("protocol=https\nhost=git.example.com\n\n", args...)
		if code != ExitTooShort || out != "" {
			t.Fatalf("%q: exit %d stdout %q", args, code, out)
		}
		for _, want := range []string{"tokens live 2 min", "less than the 5m that " + args[0] + " asks for by default", "--min-valid 1m"} {
			if !strings.Contains(errs, want) {
				t.Errorf("%q: %q lacks %q", args, errs, want)
			}
		}
	}
	if out := h.mustRun("protocol=https\nhost=git.example.com\n\n", "git-credential", "git", "--min-valid", "1m", "get"); !strings.Contains(out, "password=") {
		t.Fatalf("with --min-valid 1m: %q", out)
	}
	// Asked for explicitly, the message is about the flag given.
	_, _, errs := h.run("", "exec", "git", "--min-valid", "3m", "--", self(t), "-test.run=^$")
	if strings.Contains(errs, "by default") || !strings.Contains(errs, "asked for with --min-valid") {
		t.Errorf("explicit --min-valid: %q", errs)
	}
}

// A line git sent, quoted in an error, is cut at a character, not a byte.
func TestGitRequestQuoteCutsAtACharacter(t *testing.T) {
	_, err := readGitRequest(strings.NewReader(strings.Repeat("a", 39) + strings.Repeat("é", 10) + "\n"))
	if err == nil {
		t.Fatal("a line without '=' was accepted")
	}
	if msg := err.Error(); strings.Contains(msg, `\x`) || !strings.Contains(msg, strings.Repeat("a", 39)+"…") {
		t.Errorf("%s", msg)
	}
}

// self is this test program: a command exec can start on every OS (there
// is no sh or true under Wine); with -test.run=^$ it runs no test.
func self(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}
