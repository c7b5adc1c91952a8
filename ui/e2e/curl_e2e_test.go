package e2e

import (
	"encoding/base64"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestCLICurlAndVerboseEndToEnd: with the real binary and keyring,
// `token -v` prints the exchange redacted, and the command `tokentray
// curl` prints gets a token when run by sh and the real curl with the
// secret in its environment, the secret being on no process's command
// line while curl runs.
func TestCLICurlAndVerboseEndToEnd(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool", "curl", "sh")
	u := newCLIUser(t)
	secret := "e2e-curl-" + randomHex(12)
	srv := newE2EServer(t, "curl-client", secret)
	u.mustRun(secret, "add", "api", "--token-url", srv.URL+"/token", "--client-id", "curl-client")

	code, out, errs := u.run("", "token", "api", "-v")
	if code != 0 || !strings.Contains(errs, "Authorization: Basic [redacted]") || !strings.Contains(errs, "HTTP 200 OK") {
		t.Fatalf("token -v: exit %d, stderr:\n%s", code, errs)
	}
	basic := base64.StdEncoding.EncodeToString([]byte("curl-client:" + secret))
	for _, leak := range []string{secret, basic, strings.TrimSpace(out)} {
		if strings.Contains(errs, leak) {
			t.Errorf("token -v shows %q on stderr", leak)
		}
	}

	command := u.mustRun("", "curl", "api")
	if strings.Contains(command, secret) {
		t.Fatal("the curl command holds the secret")
	}
	release := srv.Hold()
	cmd := exec.Command("sh", "-c", command)
	cmd.Env = append(os.Environ(), "CLIENT_SECRET="+secret)
	var stdout strings.Builder
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	srv.WaitEntered(t) // curl is waiting for its answer
	checkArgv(t, cmd.Process.Pid, secret, basic)
	release()
	if err := cmd.Wait(); err != nil || !strings.Contains(stdout.String(), `"access_token":"at-`) {
		t.Fatalf("the curl command: %v, stdout %q", err, stdout.String())
	}
}
