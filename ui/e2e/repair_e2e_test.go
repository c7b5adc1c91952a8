package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// plantItem writes one keyring item of the user's service straight into
// the Secret Service, as damage from outside Tokentray would.
func (u *cliUser) plantItem(t *testing.T, user, value string) {
	t.Helper()
	cmd := exec.Command("secret-tool", "store", "--label", "planted", "service", u.service, "username", user)
	cmd.Stdin = strings.NewReader(value)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store %s: %v: %s", user, err, out)
	}
}

// A damaged index hides every profile; the error says to run repair, and
// repair brings them back from the profile items (through the Secret
// Service's own search). A hostile item planted under a profile-like name
// is listed as unreadable, its name escaped, never printed raw.
func TestCLIRepairRebuildsADamagedIndex(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	u := newCLIUser(t)
	for _, n := range []string{"billing", "orders"} {
		u.mustRun("s3cret-"+n+"\n", "add", n, "--token-url", "http://127.0.0.1:9/token", "--client-id", "c-"+n)
	}
	if out := u.mustRun("", "repair"); !strings.Contains(out, `intact: 2 profiles ("billing", "orders")`) {
		t.Fatalf("repair of a healthy store:\n%s", out)
	}

	u.plantItem(t, "index", "\x00garbage")
	u.plantItem(t, "profile/%1B%5D0%3Bowned%07%1B%5B2J", "not a header")
	u.plantItem(t, "profile/"+strings.Repeat("A", 5000), "far over the name limit")
	code, out, errs := u.run("", "list")
	if code != 1 || out != "" || !strings.Contains(errs, "list of profiles in the OS keyring is damaged") || !strings.Contains(errs, "'tokentray repair'") {
		t.Fatalf("list with a damaged index: exit %d, stdout %q, stderr %q", code, out, errs)
	}

	out = u.mustRun("", "repair")
	for _, want := range []string{
		`The list of profiles was damaged; rebuilt it from the keyring: 3 profiles ("\x1b]0;owned\a\x1b[2J", "billing", "orders").`,
		`Cannot be read, kept so 'tokentray rm' can remove it: "\x1b]0;owned\a\x1b[2J":`,
		"Left alone: 1 item(s) named like profiles but longer than any profile name (100 bytes)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("repair output lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "\x1b\a") || strings.Contains(out, "AAAAAAAAAA") {
		t.Errorf("repair printed a control character: %q", out)
	}
	code, out, errs = u.run("", "list")
	if !strings.Contains(out, "billing") || !strings.Contains(out, "orders") || strings.ContainsAny(out+errs, "\x1b\a") {
		t.Fatalf("list after repair: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	// The unreadable one is named, escaped, and the others export whole.
	code, out, errs = u.run("", "export", "--with-secrets")
	if code != 1 || !strings.Contains(out, "s3cret-billing") || !strings.Contains(out, "s3cret-orders") ||
		!strings.Contains(errs, `"\x1b]0;owned\a\x1b[2J", it cannot be read`) || !strings.Contains(errs, "1 profile could not be read and was not exported") {
		t.Fatalf("export after repair: exit %d, stderr %q:\n%s", code, errs, out)
	}
}
