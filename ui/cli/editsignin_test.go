package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// edit knows the sign-in fields: the grant, the authorization and device
// authorization URLs, the redirect port, the scopes; an edit that changes
// who the client is (its ID) ends the sign-in (the refresh token belongs
// to the old client and is never sent as the new one); export and import
// carry a device profile's fields too.
func TestEditKnowsTheSignInFields(t *testing.T) {
	tokentest.CurlBrowser(t)
	srv := newUserServer(t)
	h := newHarness(t)
	h.mustRun("", "add", "me", "--grant", "authorization_code", "--auth", "none", "--client-id", "cli",
		"--authorization-url", srv.URL+"/authorize", "--token-url", srv.URL+"/token")
	h.mustRun("", "edit", "me", "--redirect-port", "8766", "--scope", "profile", "--scope", "offline_access")
	p, err := loadProfile(context.Background(), h.store, "me")
	if err != nil || p.RedirectPort != 8766 || strings.Join(p.Scopes, " ") != "profile offline_access" || p.Grant != tokens.GrantAuthorizationCode {
		t.Fatalf("after edit: %+v, %v", p, err)
	}
	h.mustRun("", "edit", "me", "--redirect-port", "0")
	h.mustRun("", "login", "me")
	h.mustRun("", "token", "me")

	// Another client ID: the sign-in was the old client's.
	h.mustRun("", "edit", "me", "--client-id", "another-client")
	if code, _, errs := h.run("", "token", "me"); code != ExitSignIn || !strings.Contains(errs, "tokentray login me") {
		t.Fatalf("token after changing the client ID: exit %d, %s", code, errs)
	}
	srv.mu.Lock()
	refreshes := srv.refreshes
	srv.mu.Unlock()
	if refreshes != 0 {
		t.Fatalf("the old client's refresh token was sent %d times as another client", refreshes)
	}

	// To the device grant.
	h.mustRun("", "edit", "me", "--grant", "device_code", "--device-authorization-url", srv.URL+"/device")
	p, err = loadProfile(context.Background(), h.store, "me")
	if err != nil || p.Grant != tokens.GrantDeviceCode || p.DeviceAuthorizationURL != srv.URL+"/device" {
		t.Fatalf("after edit to the device grant: %+v, %v", p, err)
	}
	if out := h.mustRun("", "list", "--json"); !strings.Contains(out, `"grant": "device_code"`) {
		t.Errorf("list --json:\n%s", out)
	}
	file := filepath.Join(t.TempDir(), "export.json")
	h.mustRun("", "export", file)
	h2 := newHarness(t)
	h2.mustRun("", "import", file)
	q, err := loadProfile(context.Background(), h2.store, "me")
	if err != nil || q.Grant != tokens.GrantDeviceCode || q.DeviceAuthorizationURL != p.DeviceAuthorizationURL || q.Auth != tokens.AuthNone ||
		strings.Join(q.Scopes, " ") != "profile offline_access" {
		b, _ := os.ReadFile(file)
		t.Fatalf("imported %+v, %v\n%s", q, err, b)
	}
}
