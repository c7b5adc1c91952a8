package e2e

// The git credential helper against hostile requests, through the real
// binary and the real keyring: which hosts get a token, and which do not.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gitGet runs `tokentray git-credential NAME get` with git's request lines.
func gitGet(u *cliUser, name, request string) (code int, stdout, stderr string) {
	u.t.Helper()
	return u.run(request+"\n", "git-credential", name, "get")
}

func TestGitCredentialRefusesHostileHosts(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	secret := "cs-" + randomHex(20)
	srv := newE2EServer(t, "e2e-client", secret)
	u := newCLIUser(t)
	u.mustRun(secret, "add", "g", "--token-url", srv.URL+"/oauth/token", "--client-id", "e2e-client")

	refused := []struct{ proto, host, why string }{
		// git 2.39 sends these for http://[fe80::…%25eth0]/ and such.
		{"http", "[fe80::1%eth0]", "not a host"},
		{"http", "[fe80::1%eth0]:8080", "not a host"},
		{"http", "[fe80::1%25eth0]", "not a host"},
		{"http", "a@b.example", "not a host"},
		{"http", "evil.example:abc", "not a host"},
		{"http", "evil example", "not a host"},
		{"http", "", "not a host"},
		{"http", "127.0.0.1:", "not a host"},
		{"http", "127.0.0.1:99999", "not a host"},
		{"http", "127.0.0.1:0", "not a host"},
		{"http", "127.0.0.1/x", "not a host"},
		{"http", "127.0.0.1#@evil.example", "not a host"},
		{"http", "127.0.0.1?x", "not a host"},
		{"http", "[::1%lo]", "not a host"},
		{"http", "[127.0.0.1]", "not a host"},
		{"http", "\x1b[2Jevil.example", "not a host"},
		// Names that only look like loopback: resolved by DNS, not the OS.
		{"http", "auth.localhost", "not encrypted"},
		{"http", "localhost.", "not encrypted"},
		{"http", "127.0.0.1.nip.io", "not encrypted"},
		{"http", "0x7f.0.0.1", "not encrypted"},
		{"http", "git.example.com", "not encrypted"},
		{"http", "[fe80::1]", "not encrypted"},
		// https is encrypted, but the host must still be one.
		{"https", "a@b.example", "not a host"},
		{"https", "evil example", "not a host"},
		{"https", "evil.example:abc", "not a host"},
		{"https", "[fe80::1%eth0]", "not a host"},
		{"https", "", "not a host"},
		{"https", "git.example.com/evil", "not a host"},
	}
	for _, c := range refused {
		code, out, errs := gitGet(u, "g", "protocol="+c.proto+"\nhost="+c.host+"\n")
		if code != 0 || out != "" || !strings.Contains(errs, "not answering") || !strings.Contains(errs, c.why) {
			t.Errorf("%s host %q: exit %d stdout %q stderr %q; want no answer and %q", c.proto, c.host, code, out, errs, c.why)
		}
		if strings.ContainsRune(errs, 0x1b) {
			t.Errorf("%s host %q: the refusal echoes a terminal escape: %q", c.proto, c.host, errs)
		}
	}
	if n := srv.Requests(); n != 0 {
		t.Errorf("%d token requests for refused hosts, want none", n)
	}
	answered := []struct{ proto, host string }{
		{"http", "127.0.0.1:8080"}, {"http", "127.9.9.9"}, {"http", "localhost"}, {"http", "LocalHost:3000"},
		{"http", "[::1]:3000"}, {"https", "git.example.com"}, {"https", "git.example.com:8443"},
		{"https", "[2001:db8::1]:8443"}, {"https", "192.0.2.7"},
	}
	for _, c := range answered {
		code, out, errs := gitGet(u, "g", "protocol="+c.proto+"\nhost="+c.host+"\n")
		if code != 0 || !strings.Contains(out, "password=at-") || errs != "" {
			t.Errorf("%s host %q: exit %d stdout %q stderr %q; want the token", c.proto, c.host, code, out, errs)
		}
	}
}

func TestGitCredentialHostAllowList(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	secret := "cs-" + randomHex(20)
	srv := newE2EServer(t, "e2e-client", secret)
	u := newCLIUser(t)
	u.mustRun(secret, "add", "g", "--token-url", srv.URL+"/oauth/token", "--client-id", "e2e-client",
		"--git-host", "git.example.com", "--git-host", "127.0.0.1:8080")

	for _, host := range []string{"git.example.com", "GIT.Example.COM"} {
		if code, out, errs := gitGet(u, "g", "protocol=https\nhost="+host+"\n"); code != 0 || !strings.Contains(out, "password=at-") {
			t.Errorf("listed host %q: exit %d stdout %q stderr %q; want the token", host, code, out, errs)
		}
	}
	if code, out, _ := gitGet(u, "g", "protocol=http\nhost=127.0.0.1:8080\n"); code != 0 || !strings.Contains(out, "password=at-") {
		t.Errorf("listed loopback host: exit %d stdout %q; want the token", code, out)
	}
	before := srv.Requests()
	for _, host := range []string{"other.example.com", "git.example.com:443", "git.example.com.evil.example", "127.0.0.1:8081", "127.0.0.1"} {
		code, out, errs := gitGet(u, "g", "protocol=https\nhost="+host+"\n")
		if code != 0 || out != "" || !strings.Contains(errs, "not one of the git hosts of profile g") || !strings.Contains(errs, "--git-host") {
			t.Errorf("unlisted host %q: exit %d stdout %q stderr %q; want no answer and why", host, code, out, errs)
		}
	}
	// The list does not open plain http to a listed remote host.
	if code, out, errs := gitGet(u, "g", "protocol=http\nhost=git.example.com\n"); out != "" || !strings.Contains(errs, "not encrypted") {
		t.Errorf("http to a listed remote host: exit %d stdout %q stderr %q", code, out, errs)
	}
	if n := srv.Requests(); n != before {
		t.Errorf("%d token requests for refused hosts, want none", n-before)
	}

	// The list is part of the profile: listed, exported, imported.
	var list []map[string]any
	if err := json.Unmarshal([]byte(u.mustRun("", "list", "--json")), &list); err != nil || len(list) != 1 {
		t.Fatalf("list --json: %v %v", list, err)
	}
	if got, _ := json.Marshal(list[0]["git_hosts"]); string(got) != `["git.example.com","127.0.0.1:8080"]` {
		t.Errorf("list --json git_hosts = %s", got)
	}
	export := filepath.Join(t.TempDir(), "export.json")
	u.mustRun("", "export", "--with-secrets", export)
	data, err := os.ReadFile(export)
	if err != nil || !strings.Contains(string(data), `"git_hosts": [`) {
		t.Fatalf("export lacks git_hosts: %v\n%s", err, data)
	}
	u2 := newCLIUser(t)
	u2.bin = u.bin
	u2.mustRun("", "import", export)
	if code, out, errs := gitGet(u2, "g", "protocol=https\nhost=other.example.com\n"); out != "" || !strings.Contains(errs, "not one of the git hosts") {
		t.Errorf("imported profile answered an unlisted host: exit %d stdout %q stderr %q", code, out, errs)
	}

	// Bad entries are refused by name; an empty value clears the list.
	for _, bad := range []string{"a@b.example", "evil example", "[fe80::1%eth0]", "x:abc", "https://git.example.com", ""} {
		args := []string{"edit", "g", "--git-host", "ok.example", "--git-host", bad}
		if code, _, errs := u.run("", args...); code == 0 || !strings.Contains(errs, "git hosts") {
			t.Errorf("--git-host %q: exit %d stderr %q; want it refused", bad, code, errs)
		}
	}
	u.mustRun("", "edit", "g", "--git-host", "")
	if code, out, _ := gitGet(u, "g", "protocol=https\nhost=other.example.com\n"); code != 0 || !strings.Contains(out, "password=at-") {
		t.Errorf("cleared list: exit %d stdout %q; want the token", code, out)
	}
}

// TestGitCredentialWithRealGit asks the installed git (2.39 here) to fill
// credentials through Tokentray: a URL with a link-local zone over plain
// http gets nothing, an https one gets the token; and the README's
// advice (an empty credential.helper before Tokentray) keeps a storing
// helper configured before it from writing the token to disk.
func TestGitCredentialWithRealGit(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool", "git")
	secret := "cs-" + randomHex(20)
	srv := newE2EServer(t, "e2e-client", secret)
	u := newCLIUser(t)
	u.mustRun(secret, "add", "g", "--token-url", srv.URL+"/oauth/token", "--client-id", "e2e-client")
	helper := "!'" + u.bin + "' git-credential g"
	dir := t.TempDir()

	fill := func(url string, config ...string) (string, error) {
		args := []string{}
		for _, c := range config {
			args = append(args, "-c", c)
		}
		cmd := gitCmd(t, u, dir, append(args, "credential", "fill")...)
		cmd.Stdin = strings.NewReader("url=" + url + "\n\n")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for _, url := range []string{"http://[fe80::1%25eth0]/repo.git", "http://[fe80::1%25eth0]:8080/repo.git", "http://auth.localhost/repo.git", "http://git.example.com/repo.git"} {
		out, err := fill(url, "credential.helper="+helper)
		if err == nil || strings.Contains(out, "password=") || !strings.Contains(out, "tokentray git-credential: not answering") {
			t.Errorf("git credential fill %s: %v\n%s\nwant no password and Tokentray's reason", url, err, out)
		}
	}
	if n := srv.Requests(); n != 0 {
		t.Fatalf("%d token requests for refused URLs", n)
	}
	out, err := fill("https://git.example.com/repo.git", "credential.helper="+helper)
	if err != nil || !strings.Contains(out, "password=at-") {
		t.Fatalf("https fill: %v\n%s", err, out)
	}

	// After a successful fill git runs `store` on every helper. A storing
	// helper listed before Tokentray writes the token to disk, unless an
	// empty helper line resets the list for that host.
	stored := filepath.Join(dir, "git-credentials")
	approve := func(config ...string) string {
		filled, err := fill("https://git.example.com/repo.git", config...)
		if err != nil {
			t.Fatalf("fill: %v\n%s", err, filled)
		}
		args := []string{}
		for _, c := range config {
			args = append(args, "-c", c)
		}
		cmd := gitCmd(t, u, dir, append(args, "credential", "approve")...)
		cmd.Stdin = strings.NewReader(filled + "\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("approve: %v\n%s", err, out)
		}
		b, _ := os.ReadFile(stored)
		return string(b)
	}
	storeHelper := "credential.helper=store --file=" + stored
	issued := srv.Issued()
	if got := approve(storeHelper, "credential.https://git.example.com.helper=", "credential.https://git.example.com.helper="+helper); got != "" {
		t.Errorf("with the reset line, git stored %q", got)
	}
	if got := approve(storeHelper, "credential.helper="+helper); !strings.Contains(got, issued[0]) {
		t.Errorf("without the reset line the storing helper should have kept the token (the case the README warns about); file: %q", got)
	}
}
