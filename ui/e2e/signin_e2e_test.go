package e2e

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// signInServer is an authorization server that consents at once:
// /authorize sends the browser back with a code, /token redeems it
// (checking the PKCE verifier) and refreshes, rotating the refresh token
// (each answer carries an opaque id_token too, which the profile, without
// openid, never asked for), /revoke records what it was sent.
type signInServer struct {
	*httptest.Server
	mu       sync.Mutex
	codes    map[string]string // code → S256 challenge
	live     string            // the live refresh token
	seen     []string          // every refresh token, code, verifier and ID token it issued or took
	revoked  url.Values
	n        int
	refreshs int
}

func newSignInServer(t *testing.T) *signInServer {
	s := &signInServer{codes: map[string]string{}}
	mux := http.NewServeMux()
	answer := func(w http.ResponseWriter, life int) {
		s.n++
		s.live = fmt.Sprintf("e2e-refresh-%d-%s", s.n, randomHex(12))
		id := "e2e-idt-" + randomHex(16)
		s.seen = append(s.seen, s.live, id)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": fmt.Sprintf("e2e-access-%d-%s", s.n, randomHex(8)), "token_type": "Bearer",
			"expires_in": life, "refresh_token": s.live, "id_token": id})
	}
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		s.mu.Lock()
		code := "e2e-code-" + randomHex(12)
		s.codes[code] = q.Get("code_challenge")
		s.seen = append(s.seen, code)
		s.mu.Unlock()
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {code}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		s.mu.Lock()
		defer s.mu.Unlock()
		fail := func() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			fmt.Fprint(w, `{"error":"invalid_grant"}`)
		}
		switch r.Form.Get("grant_type") {
		case "authorization_code":
			sum := sha256.Sum256([]byte(r.Form.Get("code_verifier")))
			challenge, ok := s.codes[r.Form.Get("code")]
			delete(s.codes, r.Form.Get("code"))
			s.seen = append(s.seen, r.Form.Get("code_verifier"))
			if !ok || base64.RawURLEncoding.EncodeToString(sum[:]) != challenge {
				fail()
				return
			}
			answer(w, 3600)
		case "refresh_token":
			if r.Form.Get("refresh_token") != s.live {
				fail()
				return
			}
			s.refreshs++
			answer(w, 7200)
		default:
			fail()
		}
	})
	mux.HandleFunc("/revoke", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		s.mu.Lock()
		defer s.mu.Unlock()
		s.revoked = r.Form
		if r.Form.Get("token") == s.live {
			s.live = ""
		}
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// noisyBrowser is a $BROWSER that talks on stdout and stderr as real ones
// do (and prints the page it lands on, curl's way), then follows the
// sign-in to the loopback callback.
func noisyBrowser(t *testing.T) string {
	t.Helper()
	script := filepath.Join(t.TempDir(), "browser")
	body := "#!/bin/sh\necho 'BROWSER-NOISE on stdout'\necho 'BROWSER-NOISE on stderr' >&2\nexec curl -sS -L --max-time 20 \"$1\"\n"
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	return script
}

// TestSignInEndToEnd: the real binary signs in through a $BROWSER that
// writes on stdout, refreshes, copies the refresh as curl and signs out.
// login's stdout stays empty (the browser's output goes to stderr, where
// the address is printed too); token -v shows the refresh request with the
// refresh token, the code's and the answers' secrets redacted; curl's
// command reads $REFRESH_TOKEN and holds none; logout revokes with
// token_type_hint=refresh_token, and then token exits 8.
func TestSignInEndToEnd(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool", "curl", "sh")
	srv := newSignInServer(t)
	u := newCLIUser(t)
	u.extra = []string{"BROWSER=" + noisyBrowser(t), "LC_ALL=en_US.UTF-8"}
	u.mustRun("", "add", "me", "--grant", "authorization_code", "--auth", "none", "--client-id", "cli",
		"--authorization-url", srv.URL+"/authorize", "--token-url", srv.URL+"/token", "--revocation-url", srv.URL+"/revoke")

	code, out, errs := u.run("", "login", "me")
	if code != 0 || out != "" {
		t.Fatalf("login: exit %d\nstdout %q (must be empty: the browser's output goes to stderr)\nstderr %s", code, out, errs)
	}
	if !strings.Contains(errs, srv.URL+"/authorize?") || !strings.Contains(errs, "BROWSER-NOISE on stdout") {
		t.Errorf("login's stderr lacks the address or the browser's output:\n%s", errs)
	}
	first := strings.TrimSpace(u.mustRun("", "token", "me"))

	// A refresh (the cached token has 60 minutes left, 90 are asked for),
	// shown with -v.
	code, second, verbose := u.run("", "token", "me", "-v", "--min-valid", "90m")
	second = strings.TrimSpace(second)
	if code != 0 || second == first || srv.refreshs != 1 {
		t.Fatalf("token -v after a refresh: exit %d, %q (was %q), %d refreshes\n%s", code, second, first, srv.refreshs, verbose)
	}
	if !strings.Contains(verbose, "grant_type=refresh_token") || !strings.Contains(verbose, "refresh_token=[redacted]") ||
		!strings.Contains(verbose, `"id_token": "[redacted]"`) {
		t.Errorf("token -v does not show the refresh request redacted:\n%s", verbose)
	}
	srv.mu.Lock()
	secrets := append([]string(nil), srv.seen...)
	live := srv.live
	srv.mu.Unlock()
	for what, text := range map[string]string{"login's stderr": errs, "token -v": verbose} {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s shows %q", what, s)
			}
		}
	}

	// Copy as curl: the refresh request, its refresh token from the
	// environment.
	command := u.mustRun("", "curl", "me")
	if !strings.Contains(command, "REFRESH_TOKEN") || strings.Contains(command, live) {
		t.Fatalf("the curl command:\n%s", command)
	}
	cmd := exec.Command("sh", "-c", command)
	cmd.Env = append(os.Environ(), "REFRESH_TOKEN="+live)
	if got, err := cmd.Output(); err != nil || !strings.Contains(string(got), `"access_token":"e2e-access-`) || srv.refreshs != 2 {
		t.Fatalf("the curl command: %v, %d refreshes, stdout %q", err, srv.refreshs, got)
	}

	// The curl command rotated the refresh token on the server: the stored
	// one is spent, so the next refresh needs a sign-in (exit 8).
	code, out, errs = u.run("", "token", "me", "--min-valid", "150m")
	if code != 8 || out != "" || !strings.Contains(errs, "tokentray login me") {
		t.Fatalf("token with a spent refresh token: exit %d, stdout %q, stderr %s", code, out, errs)
	}

	// Sign in again, then out: the refresh token is revoked.
	u.mustRun("", "login", "me")
	srv.mu.Lock()
	live = srv.live
	srv.mu.Unlock()
	if out := u.mustRun("", "logout", "me"); !strings.Contains(out, "the refresh token was revoked") {
		t.Errorf("logout said %q", out)
	}
	srv.mu.Lock()
	revoked := srv.revoked
	srv.mu.Unlock()
	if revoked.Get("token") != live || revoked.Get("token_type_hint") != "refresh_token" || revoked.Get("client_id") != "cli" {
		t.Errorf("the revocation request: %v (the live refresh token is %q)", revoked, live)
	}
	if code, _, _ := u.run("", "token", "me"); code != 8 {
		t.Errorf("token after logout: exit %d, want 8", code)
	}
}
