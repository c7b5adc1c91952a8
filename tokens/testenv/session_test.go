package testenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestHelperRequireSession is run as a child process by TestRequireSession.
func TestHelperRequireSession(t *testing.T) {
	if os.Getenv("SESSIONTEST_CHILD") != "1" {
		return
	}
	RequireSession(t, "needs the session")
	t.Log("ran")
}

// Outside the session a test skips, unless CI is set: then it fails.
func TestRequireSession(t *testing.T) {
	for _, tc := range []struct {
		ci, session string
		want        string // in the verbose output
		fails       bool
	}{
		{ci: "", session: "", want: "SKIP: TestHelperRequireSession"},
		{ci: "false", session: "", want: "SKIP: TestHelperRequireSession"},
		{ci: "true", session: "", want: "CI is set but the desktop session is missing", fails: true},
		{ci: "1", session: "", want: "--- FAIL: TestHelperRequireSession", fails: true},
		{ci: "true", session: "1", want: "ran"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperRequireSession$", "-test.v")
		cmd.Env = append(os.Environ(), "SESSIONTEST_CHILD=1", "CI="+tc.ci, "TOKENTRAY_SESSION="+tc.session)
		out, err := cmd.CombinedOutput()
		if (err != nil) != tc.fails || !strings.Contains(string(out), tc.want) {
			t.Errorf("CI=%q TOKENTRAY_SESSION=%q: err %v, output:\n%s\nwant %q", tc.ci, tc.session, err, out, tc.want)
		}
	}
}
