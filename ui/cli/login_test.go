package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// userServer is an authorization server that consents at once: /authorize
// redirects the browser back with a code, /token redeems it (checking the
// PKCE verifier) and refreshes, rotating the refresh token.
type userServer struct {
	*httptest.Server
	mu        sync.Mutex
	codes     map[string]string // code → S256 challenge
	refresh   string            // the live refresh token
	n         int
	refreshes int
}

func newUserServer(t *testing.T) *userServer {
	s := &userServer{codes: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		s.mu.Lock()
		s.n++
		code := fmt.Sprintf("code-%d", s.n)
		s.codes[code] = q.Get("code_challenge")
		s.mu.Unlock()
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {code}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		s.mu.Lock()
		defer s.mu.Unlock()
		switch r.Form.Get("grant_type") {
		case "authorization_code":
			if _, ok := s.codes[r.Form.Get("code")]; !ok {
				tokentest.WriteJSON(w, 400, map[string]any{"error": "invalid_grant"})
				return
			}
			delete(s.codes, r.Form.Get("code"))
		case "refresh_token":
			if r.Form.Get("refresh_token") != s.refresh {
				tokentest.WriteJSON(w, 400, map[string]any{"error": "invalid_grant"})
				return
			}
			s.refreshes++
		default:
			tokentest.WriteJSON(w, 400, map[string]any{"error": "unsupported_grant_type"})
			return
		}
		s.n++
		s.refresh = fmt.Sprintf("refresh-token-%d-0123456789", s.n)
		tokentest.WriteJSON(w, 200, map[string]any{"access_token": fmt.Sprintf("access-%d", s.n), "token_type": "Bearer",
			"expires_in": 3600, "refresh_token": s.refresh, "refresh_expires_in": 8 * 3600})
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func TestLoginTokenAndSignInNeeded(t *testing.T) {
	tokentest.CurlBrowser(t)
	srv := newUserServer(t)
	h := newHarness(t)
	h.mustRun("", "add", "me", "--grant", "authorization_code", "--auth", "none", "--client-id", "cli",
		"--authorization-url", srv.URL+"/authorize", "--token-url", srv.URL+"/token", "--scope", "profile")

	// Not signed in yet: exit 8 naming the command.
	code, out, errs := h.run("", "token", "me")
	if code != ExitSignIn || out != "" || !strings.Contains(errs, "tokentray login me") {
		t.Fatalf("token before login: exit %d, stdout %q, stderr %q", code, out, errs)
	}

	code, out, errs = h.run("", "login", "me")
	if code != 0 || out != "" {
		t.Fatalf("login: exit %d\nstdout %q (must be empty)\nstderr %s", code, out, errs)
	}
	if !strings.Contains(errs, srv.URL+"/authorize?") || !strings.Contains(errs, "Signed in to me") {
		t.Errorf("login's stderr does not show the address or the result: %s", errs)
	}
	tok := strings.TrimSpace(h.mustRun("", "token", "me"))
	if !strings.HasPrefix(tok, "access-") {
		t.Fatalf("token after login: %q", tok)
	}
	// Expired: the refresh token renews it, rotated and stored.
	h.now = h.now.Add(2 * 3600e9)
	tok2 := strings.TrimSpace(h.mustRun("", "token", "me"))
	if tok2 == tok || srv.refreshes != 1 {
		t.Fatalf("after expiry: %q (was %q), %d refreshes", tok2, tok, srv.refreshes)
	}
	rt, err := h.store.(tokens.RefreshStore).LoadRefresh(context.Background(), "me")
	if err != nil || rt.Value != srv.refresh {
		t.Fatalf("stored refresh token %v, %v; the server's live one is %s", rt, err, srv.refresh)
	}
	// list --json says when the sign-in ends (refresh_expires_in).
	if out := h.mustRun("", "list", "--json"); !strings.Contains(out, `"session_ends_at"`) {
		t.Errorf("list --json does not say when the sign-in ends:\n%s", out)
	}
	// Never shown: not in list --json, not in an export.
	for _, args := range [][]string{{"list", "--json"}, {"export", "--with-secrets"}} {
		if out := h.mustRun("", args...); strings.Contains(out, "refresh-token-") {
			t.Errorf("%s shows the refresh token: %s", args, out)
		}
	}

	// The server forgets the sign-in: exit 8, and the refused token is gone.
	srv.mu.Lock()
	srv.refresh = "deleted on the server"
	srv.mu.Unlock()
	h.now = h.now.Add(2 * 3600e9)
	code, _, errs = h.run("", "token", "me")
	if code != ExitSignIn || !strings.Contains(errs, "tokentray login me") {
		t.Fatalf("after the server forgot the sign-in: exit %d, %s", code, errs)
	}
	if _, err := h.store.(tokens.RefreshStore).LoadRefresh(context.Background(), "me"); !errors.Is(err, tokens.ErrNotFound) {
		t.Errorf("the refused refresh token is still stored: %v", err)
	}
	if out := h.mustRun("", "list", "--json"); !strings.Contains(out, `"state": "sign-in-needed"`) || !strings.Contains(out, `"grant": "authorization_code"`) {
		t.Errorf("list --json after the server forgot the sign-in:\n%s", out)
	}
	if out := h.mustRun("", "list"); !strings.Contains(out, "sign-in needed") {
		t.Errorf("list after the server forgot the sign-in:\n%s", out)
	}
	// Signing in again mends it.
	h.mustRun("", "login", "me")
	h.mustRun("", "token", "me")
	// Logout forgets both tokens (no revocation endpoint: the server is not told).
	out = h.mustRun("", "logout", "me")
	if !strings.Contains(out, "Signed out of me") {
		t.Errorf("logout said %q", out)
	}
	if code, _, _ := h.run("", "token", "me"); code != ExitSignIn {
		t.Errorf("token after logout: exit %d, want %d", code, ExitSignIn)
	}
}

func TestLoginOfAClientCredentialsProfileIsAUsageError(t *testing.T) {
	h := newHarness(t)
	srv := newTokenServer(t, secret)
	h.mustRun(secret+"\n", "add", "svc", "--token-url", srv.URL+"/token", "--client-id", "cli-client")
	if code, _, errs := h.run("", "login", "svc"); code != ExitUsage || !strings.Contains(errs, "client credentials") {
		t.Errorf("login of a client credentials profile: exit %d, %s", code, errs)
	}
}

// The device grant on the command line: the code on stderr, nothing on
// stdout, polling until the person signs in on the other device.
func TestLoginWithTheDeviceGrant(t *testing.T) {
	polls := 0
	var mu sync.Mutex
	h := newHarness(t)
	srv := h.deviceProfile(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if polls++; polls < 3 {
			tokentest.WriteJSON(w, 400, map[string]any{"error": "authorization_pending"})
			return
		}
		tokentest.WriteJSON(w, 200, map[string]any{"access_token": "device-access", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "device-refresh-0123"})
	})
	code, out, errs := h.run("", "login", "tv")
	if code != 0 || out != "" || !strings.Contains(errs, "ABCD-EFGH") || !strings.Contains(errs, srv.URL+"/activate") {
		t.Fatalf("login: exit %d, stdout %q, stderr %s", code, out, errs)
	}
	if tok := strings.TrimSpace(h.mustRun("", "token", "tv")); tok != "device-access" {
		t.Fatalf("token %q", tok)
	}
}

// Every command that gets a token says sign-in needed the same way:
// exit 8, nothing on stdout, the command to run on stderr.
func TestEveryTokenCommandExitsEightWhenASignInIsNeeded(t *testing.T) {
	srv := newUserServer(t)
	h := newHarness(t)
	h.mustRun("", "add", "me", "--grant", "authorization_code", "--auth", "none", "--client-id", "cli",
		"--authorization-url", srv.URL+"/authorize", "--token-url", srv.URL+"/token")
	for _, c := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"token", "me"}},
		{"", []string{"token", "me", "--format", "exec-credential"}},
		{"", []string{"exec", "me", "--", self(t), "-test.run=^$"}},
		{"protocol=https\nhost=git.example.com\n\n", []string{"git-credential", "me", "get"}},
	} {
		code, out, errs := h.run(c.stdin, c.args...)
		if code != ExitSignIn || out != "" || !strings.Contains(errs, "tokentray login me") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", strings.Join(c.args, " "), code, out, errs)
		}
	}
}

// Export and import carry the sign-in fields, and never a refresh token.
func TestExportImportOfASignInProfile(t *testing.T) {
	tokentest.CurlBrowser(t)
	srv := newUserServer(t)
	h := newHarness(t)
	h.mustRun("", "add", "me", "--grant", "authorization_code", "--auth", "none", "--client-id", "cli",
		"--authorization-url", srv.URL+"/authorize", "--token-url", srv.URL+"/token", "--redirect-port", "8765")
	h.mustRun("", "login", "me")
	file := filepath.Join(t.TempDir(), "export.json")
	h.mustRun("", "export", "--with-secrets", file)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "refresh-token-") || !strings.Contains(string(b), `"grant": "authorization_code"`) || !strings.Contains(string(b), `"redirect_port": 8765`) {
		t.Fatalf("export:\n%s", b)
	}
	h2 := newHarness(t)
	h2.mustRun("", "import", file)
	ps, _, _ := h2.store.Load(context.Background())
	if len(ps) != 1 || ps[0].Grant != tokens.GrantAuthorizationCode || ps[0].AuthorizationURL != srv.URL+"/authorize" || ps[0].RedirectPort != 8765 || ps[0].Auth != tokens.AuthNone {
		t.Fatalf("imported %+v", ps)
	}
	// Imported, not signed in: the sign-in does not travel with the file.
	if code, _, _ := h2.run("", "token", "me"); code != ExitSignIn {
		t.Errorf("token after import: exit %d, want %d", code, ExitSignIn)
	}
}

// TestLoginWithoutADisplaySuggestsTheDeviceGrant: over SSH (no $BROWSER,
// no DISPLAY or WAYLAND_DISPLAY) login prints the address and suggests
// the device grant with the profile's own name and what else it needs.
func TestLoginWithoutADisplaySuggestsTheDeviceGrant(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the desktop opener needs no display on this system")
	}
	for _, k := range []string{"BROWSER", "DISPLAY", "WAYLAND_DISPLAY"} {
		t.Setenv(k, "")
	}
	srv := newUserServer(t)
	h := newHarness(t)
	h.mustRun("", "add", "my api", "--grant", "authorization_code", "--auth", "none", "--client-id", "cli",
		"--authorization-url", srv.URL+"/authorize", "--token-url", srv.URL+"/token")
	code, out, errs := h.run("", "login", "my api", "--timeout", "300ms")
	if code == 0 || out != "" || strings.Contains(errs, "did not answer in time") {
		t.Fatalf("login without a browser: exit %d, stdout %q", code, out)
	}
	for _, want := range []string{srv.URL + "/authorize?", "No browser could be opened here", "nobody completed the sign-in in a browser within 300ms",
		"tokentray edit 'my api' --grant device_code --device-authorization-url URL", "tokentray login 'my api'"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	// --no-browser: the person chose; no suggestion.
	_, _, errs = h.run("", "login", "my api", "--timeout", "300ms", "--no-browser")
	if strings.Contains(errs, "No browser could be opened") {
		t.Errorf("--no-browser:\n%s", errs)
	}
}

// TestListSaysWhoSignedIn: list --json shows the kept claims of the
// sign-in's ID token, and never the refresh token.
func TestListSaysWhoSignedIn(t *testing.T) {
	h := newHarness(t)
	h.mustRun("", "add", "me", "--grant", "authorization_code", "--auth", "none", "--client-id", "cli",
		"--authorization-url", "https://auth.example.com/authorize", "--token-url", "https://auth.example.com/token", "--scope", "openid")
	p, err := loadProfile(context.Background(), h.store, "me")
	if err != nil {
		t.Fatal(err)
	}
	tok := &tokens.Token{AccessToken: "opaque-access-token", TokenType: "Bearer", IssuedAt: h.now, ExpiresAt: h.now.Add(time.Hour),
		ID: &tokens.IDClaims{Issuer: "https://auth.example.com", Subject: "user-42", Email: "ada@example.com", Nonce: "kept-nonce-0"}}
	if _, err := tokens.KeepSignIn(context.Background(), h.store, p, &tokens.TokenResult{Token: tok, RefreshToken: "refresh-token-0123456789"}); err != nil {
		t.Fatal(err)
	}
	out := h.mustRun("", "list", "--json")
	if !strings.Contains(out, `"signed_in_as"`) || !strings.Contains(out, `"sub": "user-42"`) || !strings.Contains(out, `"email": "ada@example.com"`) {
		t.Fatalf("list --json does not say who signed in:\n%s", out)
	}
	if strings.Contains(out, "refresh-token-") {
		t.Fatalf("list --json shows the refresh token:\n%s", out)
	}
	if strings.Contains(out, "kept-nonce-0") {
		t.Fatalf("list --json shows the sign-in's nonce (kept for checking refreshes, not for display):\n%s", out)
	}
	// The table too, compactly, through Printable: the claim is the server's.
	tok.ID.Email = "ada@example.com\x1b[2J\u202e"
	if _, err := tokens.KeepSignIn(context.Background(), h.store, p, &tokens.TokenResult{Token: tok, RefreshToken: "refresh-token-0123456789"}); err != nil {
		t.Fatal(err)
	}
	out = h.mustRun("", "list")
	head, row, _ := strings.Cut(out, "\n")
	if !strings.Contains(head, "SIGNED IN AS") || !strings.Contains(row, " ada@example.com") || strings.ContainsAny(out, "\x1b\u202e") {
		t.Fatalf("list does not say who signed in (or shows a control character):\n%q", out)
	}
}
