package sessiontest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestHelperRequire is run as a child process by TestRequire.
func TestHelperRequire(t *testing.T) {
	if os.Getenv("SESSIONTEST_CHILD") != "1" {
		return
	}
	Require(t, "needs the session")
	t.Log("ran")
}

// Outside the session a test skips, unless CI is set: then it fails.
func TestRequire(t *testing.T) {
	for _, tc := range []struct {
		ci, session string
		want        string // in the verbose output
		fails       bool
	}{
		{ci: "", session: "", want: "SKIP: TestHelperRequire"},
		{ci: "false", session: "", want: "SKIP: TestHelperRequire"},
		{ci: "true", session: "", want: "CI is set but the desktop session is missing", fails: true},
		{ci: "1", session: "", want: "--- FAIL: TestHelperRequire", fails: true},
		{ci: "true", session: "1", want: "ran"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperRequire$", "-test.v")
		cmd.Env = append(os.Environ(), "SESSIONTEST_CHILD=1", "CI="+tc.ci, "TOKENTRAY_SESSION="+tc.session)
		out, err := cmd.CombinedOutput()
		if (err != nil) != tc.fails || !strings.Contains(string(out), tc.want) {
			t.Errorf("CI=%q TOKENTRAY_SESSION=%q: err %v, output:\n%s\nwant %q", tc.ci, tc.session, err, out, tc.want)
		}
	}
}
