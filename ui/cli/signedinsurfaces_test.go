package cli

import (
	"runtime"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens/tokentest"
)

// A signed-in profile's token reaches every surface as a client
// credentials token does: token in every format, exec, git-credential;
// after expiry each of them gets the refreshed one.
func TestASignedInTokenReachesEverySurface(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("exec runs sh")
	}
	tokentest.CurlBrowser(t)
	srv := newUserServer(t)
	h := newHarness(t)
	h.mustRun("", "add", "me", "--grant", "authorization_code", "--auth", "none", "--client-id", "cli",
		"--authorization-url", srv.URL+"/authorize", "--token-url", srv.URL+"/token")
	h.mustRun("", "login", "me")
	for round := range 2 {
		tok := strings.TrimSpace(h.mustRun("", "token", "me"))
		for _, format := range tokenFormats {
			if out := h.mustRun("", "token", "me", "--format", format); !strings.Contains(out, tok) {
				t.Errorf("round %d: --format %s: %q lacks %q", round, format, out, tok)
			}
		}
		if out := h.mustRun("", "exec", "me", "--", "sh", "-c", `printf '%s' "$ACCESS_TOKEN"`); out != tok {
			t.Errorf("round %d: exec gave %q, want %q", round, out, tok)
		}
		if out := h.mustRun("protocol=https\nhost=git.example.com\n\n", "git-credential", "me", "get"); !strings.Contains(out, "password="+tok+"\n") {
			t.Errorf("round %d: git-credential gave %q", round, out)
		}
		h.now = h.now.Add(2 * 3600e9) // expired: the next round refreshes
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.refreshes != 1 {
		t.Errorf("%d refreshes, want 1", srv.refreshes)
	}
}
