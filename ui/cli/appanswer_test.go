package cli

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// TestTokenFromTheRunningApp: the app's answer is used as the keyring's
// would be, held to --min-valid by the command line's own clock too, and
// git-credential applies the profile's git hosts to it.
func TestTokenFromTheRunningApp(t *testing.T) {
	h := newHarness(t)
	life := time.Hour
	var asked []time.Duration
	h.app = func(name string, minValid time.Duration) (*tokens.Token, []string, bool) {
		asked = append(asked, minValid)
		if name != "lat" {
			return nil, nil, false
		}
		return &tokens.Token{AccessToken: "app-tok", TokenType: "Bearer", IssuedAt: h.now, ExpiresAt: h.now.Add(life)}, []string{"git.example.com"}, true
	}
	// The store holds nothing: only the app can answer.
	if out := h.mustRun("", "token", "lat", "--min-valid", "2m"); out != "app-tok\n" || !slices.Equal(asked, []time.Duration{2 * time.Minute}) {
		t.Fatalf("token: %q, asked %v", out, asked)
	}
	out := h.mustRun("protocol=https\nhost=git.example.com\n\n", "git-credential", "lat", "get")
	if !strings.Contains(out, "password=app-tok") && !strings.Contains(out, "credential=app-tok") {
		t.Fatalf("git-credential: %q", out)
	}
	if code, out, errs := h.run("protocol=https\nhost=evil.example.com\n\n", "git-credential", "lat", "get"); code != 0 || strings.Contains(out, "app-tok") || !strings.Contains(errs, "not one of the git hosts") {
		t.Fatalf("git-credential for a host not listed: exit %d, %q, %s", code, out, errs)
	}
	// An app that answers a token shorter than asked is not believed: the
	// keyring is asked instead (which has no such profile here).
	life = 30 * time.Second
	if code, out, _ := h.run("", "token", "lat", "--min-valid", "60s"); code != ExitNotFound || out != "" {
		t.Fatalf("a token shorter than --min-valid from the app: exit %d, %q", code, out)
	}
}

// TestRevokeAndRemoveTellTheApp: rm tells the running app to forget the
// profile's token (revoke does the same after the issuer's answer; see
// wire's tests for both against a real app).
func TestRevokeAndRemoveTellTheApp(t *testing.T) {
	h := newHarness(t)
	srv := newTokenServer(t, secret)
	h.mustRun(secret, "add", "svc", "--token-url", srv.URL+"/token", "--client-id", "cli-client")
	h.mustRun("", "rm", "svc")
	if !slices.Equal(h.dropped, []string{"svc"}) {
		t.Fatalf("TokenDropped calls: %q", h.dropped)
	}
}
