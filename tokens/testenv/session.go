// What a test needing the private desktop session of .ci/session (a D-Bus
// session bus, a real Secret Service, an X display) does without it: skip
// on a developer's machine, fail in CI. A CI job that forgot .ci/session
// must not pass by skipping every real-keyring and end-to-end test.

package testenv

import (
	"os"
	"strings"
	"testing"
)

// SessionPresent reports whether the tests run inside .ci/session, which sets
// TOKENTRAY_SESSION=1.
func SessionPresent() bool { return os.Getenv("TOKENTRAY_SESSION") == "1" }

// InCI reports whether $CI says this is a continuous-integration run (set
// by GitHub Actions, GitLab CI and most others), i.e. not empty, "0" or
// "false".
func InCI() bool {
	v := strings.ToLower(strings.TrimSpace(os.Getenv("CI")))
	return v != "" && v != "0" && v != "false"
}

// RequireSession lets tb run inside the session. Outside it tb is skipped with
// hint, or fails when InCI. Safe for concurrent use.
func RequireSession(tb testing.TB, hint string) {
	tb.Helper()
	if SessionPresent() {
		return
	}
	if InCI() {
		tb.Fatalf("CI is set but the desktop session is missing, so this test cannot run (%s): run the suite through .ci/session, as `make test` does", hint)
	}
	tb.Skip(hint)
}
