package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens/testenv"
)

func TestFormatEnvIsEvaluatedByARealShell(t *testing.T) {
	testenv.SkipUnlessLinux(t, "--format env is for a POSIX shell's eval, and this test runs sh")
	h := newHarness(t)
	srv := newToolServer(t)
	addToolProfile(t, h, "api", srv)
	out := h.mustRun("", "token", "api", "--format", "env")
	tok := cachedToken(t, h, "api")
	if !strings.HasPrefix(out, "export ACCESS_TOKEN='"+tok+"'\n") {
		t.Fatalf("env output %q", out)
	}
	sh := exec.Command("sh", "-c", `eval "$(cat)"; printf '%s|%s' "$ACCESS_TOKEN" "$TOKENTRAY_TOKEN_EXPIRES_AT"`)
	sh.Stdin = strings.NewReader(out)
	got, err := sh.Output()
	if err != nil {
		t.Fatal(err)
	}
	tokGot, expGot, _ := strings.Cut(string(got), "|")
	if tokGot != tok {
		t.Fatalf("after eval ACCESS_TOKEN=%q, want %q", tokGot, tok)
	}
	exp, err := time.Parse(time.RFC3339, expGot)
	if err != nil || exp.Sub(h.now) < 59*time.Minute || exp.Sub(h.now) > 61*time.Minute {
		t.Fatalf("expiry %q (%v), want about an hour from now", expGot, err)
	}
}

func TestFormatExecCredential(t *testing.T) {
	h := newHarness(t)
	srv := newToolServer(t)
	addToolProfile(t, h, "k8s", srv)
	for _, tc := range []struct{ execInfo, want string }{
		{"", "client.authentication.k8s.io/v1"},
		{`{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}`, "client.authentication.k8s.io/v1"},
		{`{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false}}`, "client.authentication.k8s.io/v1beta1"},
		{`not json`, "client.authentication.k8s.io/v1"},
	} {
		t.Setenv("KUBERNETES_EXEC_INFO", tc.execInfo)
		out := h.mustRun("", "token", "k8s", "--format", "exec-credential")
		var cred struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Status     struct {
				Token               string `json:"token"`
				ExpirationTimestamp string `json:"expirationTimestamp"`
			} `json:"status"`
		}
		dec := json.NewDecoder(strings.NewReader(out))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cred); err != nil {
			t.Fatalf("exec-credential output %q: %v", out, err)
		}
		exp, err := time.Parse(time.RFC3339, cred.Status.ExpirationTimestamp)
		if cred.APIVersion != tc.want || cred.Kind != "ExecCredential" || cred.Status.Token != cachedToken(t, h, "k8s") || err != nil || exp.Before(h.now.Add(59*time.Minute)) {
			t.Fatalf("KUBERNETES_EXEC_INFO=%q: got %+v (%v)", tc.execInfo, cred, err)
		}
	}
	if srv.Requests() != 1 {
		t.Fatalf("%d token requests for four outputs of a valid token, want 1", srv.Requests())
	}
}

// A token that is not a Bearer token (RFC 6749 §7.1) or that would inject
// lines into a shell, git's protocol or a header is refused by every tool
// output, with the reason and no token on stdout.
func TestToolOutputsRefuseNonBearerAndHostileTokens(t *testing.T) {
	for _, tc := range []struct{ tokenType, token, want string }{
		{"DPoP", "", `type "DPoP"`},
		{"mac", "", `type "mac"`},
		{"Bearer", "good\nusername=attacker", "not a valid bearer token"},
		{"bearer", "has space", "not a valid bearer token"},
	} {
		h := newHarness(t)
		srv := newToolServer(t)
		srv.SetToken(tc.token, tc.tokenType)
		addToolProfile(t, h, "odd", srv)
		for _, args := range [][]string{
			{"token", "odd", "--format", "env"},
			{"token", "odd", "--format", "exec-credential"},
			// Any program that exists: it must never start.
			{"exec", "odd", "--", os.Args[0], "-test.run=^$"},
			{"git-credential", "odd", "get"},
		} {
			code, out, errs := h.run("protocol=https\nhost=git.example.com\n\n", args...)
			if code != ExitFailure || out != "" || !strings.Contains(errs, tc.want) {
				t.Errorf("%s/%q: %v: exit %d, stdout %q, stderr %q", tc.tokenType, tc.token, args, code, out, errs)
			}
		}
	}
}
