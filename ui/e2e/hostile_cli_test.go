package e2e

// The hostile-server suite through the real binary, the real keyring
// (.ci/session) and loopback servers: for every case, the exit code, the
// wording and its class, a bounded time, no form of the secret on stdout
// or stderr, no terminal control characters, and a cached good token that
// survives the failed refresh.

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// hostileTimeout is the token command's --timeout in the slow cases; every
// case must end well within hostileBound.
const (
	hostileTimeout = "2s"
	hostileBound   = 15 * time.Second
)

func TestHostileServersCLI(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	keyFile := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(keyFile, []byte(hostileKeyPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := hostileCases()
	if len(cases) < 40 {
		t.Fatalf("only %d hostile cases", len(cases))
	}
	// A locale the old binary does not complain about, so its failures
	// here are the hostile ones (TestCLIStderrOnlyOwnLines covers C).
	extra := []string{"LC_ALL=en_US.UTF-8"}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Each case has a keyring service of its own, so they run in parallel.
			u := newCLIUser(t)
			u.extra = extra
			secret := hostileSecret(c.shortSecret)
			s := newHostileServer(t, c, secret)
			tokenURL := s.URL + "/token"
			if c.transport != nil {
				tokenURL = c.transport(t, s)
			}
			name := "h" + strings.Repeat("x", i%3) + randomHex(3)
			add := []string{"add", name, "--client-id", hostileClientID}
			if c.issuer {
				add = append(add, "--issuer", s.URL)
			} else {
				add = append(add, "--token-url", tokenURL)
			}
			if c.auth != "" {
				add = append(add, "--auth", c.auth)
			}
			if c.body != "" {
				add = append(add, "--body", c.body)
			}
			for _, h := range c.headers {
				add = append(add, "--header", h)
			}
			for _, p := range c.params {
				add = append(add, "--param", p)
			}
			stdin := secret
			if c.auth == "private_key_jwt" {
				add, stdin = append(add, "--private-key", keyFile, "--alg", "ES256"), ""
			}
			u.mustRun(stdin, add...)
			t.Cleanup(func() { u.run("", "rm", name) })

			var good string
			if !c.noCache && c.transport == nil {
				good = strings.TrimSpace(u.mustRun("", "token", name))
				if good != s.good {
					t.Fatalf("first token %q, want the good one", good)
				}
			}
			s.hostile.Store(true)
			args := []string{"token", name}
			switch {
			case c.minValid != "":
				args = append(args, "--min-valid", c.minValid)
			case good != "":
				args = append(args, "--min-valid", "2h") // forces a refresh
			}
			if c.format != "" {
				args = append(args, "--format", c.format)
			}
			if c.slow {
				args = append(args, "--timeout", hostileTimeout)
			}
			start := time.Now()
			code, out, errs := u.run("", args...)
			elapsed := time.Since(start)
			forms := s.secretForms(hostileKeyPEM)
			t.Logf("exit %d in %v\nstdout: %q\nstderr: %s", code, elapsed.Round(time.Millisecond), out, errs)

			if code != c.exit {
				t.Errorf("exit %d, want %d\nstdout %q\nstderr %q", code, c.exit, out, errs)
			}
			if elapsed > hostileBound {
				t.Errorf("took %v, more than %v", elapsed, hostileBound)
			}
			shown := errs
			if c.exit == 0 {
				shown = out
				if errs != "" {
					t.Errorf("success wrote to stderr: %q", errs)
				}
			} else if out != "" {
				t.Errorf("failure wrote to stdout: %q", out)
			}
			for _, w := range c.want {
				if !strings.Contains(shown, w) {
					t.Errorf("output lacks %q:\n%s", w, shown)
				}
			}
			if c.exit != 0 {
				if strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "tokentray token: "+name+": ") {
					t.Errorf("stderr is not one line naming the command and profile: %q", errs)
				}
				if strings.Contains(errs, "will retry") {
					t.Errorf("a one-shot command promises a retry: %q", errs)
				}
			}
			if c.class != "" && !strings.Contains(errs, "["+c.class) {
				t.Errorf("stderr does not say the error is %s: %q", c.class, errs)
			}
			if l := leaks(out+errs, forms); l != "" {
				t.Errorf("secret leaked (%q) in:\n%s%s", l, out, errs)
			}
			if l := exactLeaks(out+errs, append(c.extraSecrets(), secret)...); l != "" {
				t.Errorf("secret leaked (%q) in:\n%s%s", l, out, errs)
			}
			if strings.ContainsAny(out+errs, "\x1b\r\u202e\u2066") {
				t.Errorf("terminal control characters in output: %q", out+errs)
			}
			if s.requests.Load() >= 1000 {
				t.Error("a redirect target received the credentials")
			}

			// The cached good token survives the failed refresh: the next
			// ordinary call gets it without asking the server.
			if good != "" && c.exit != 0 {
				before := s.requests.Load()
				again := strings.TrimSpace(u.mustRun("", "token", name))
				if again != good {
					t.Errorf("after the failed refresh the cached token is %q, want %q", again, good)
				}
				if n := s.requests.Load() - before; n != 0 && !c.issuer {
					t.Errorf("%d requests for a token that was cached", n)
				}
			}
		})
	}
}

// phpEscaped is s as PHP's json_encode writes it: "/" as "\/", non-ASCII
// as \uXXXX, and with JSON_HEX_TAG|JSON_HEX_QUOT|JSON_HEX_AMP also <, >, "
// and & as \u00XX; upper chooses the hex digits' case (PHP writes lower
// case; other encoders upper).
func phpEscaped(s string, upper bool) string {
	var b strings.Builder
	hex := func(r rune) {
		h := fmt.Sprintf("\\u%04x", r)
		if upper {
			h = "\\u" + strings.ToUpper(h[2:])
		}
		b.WriteString(h)
	}
	for _, r := range s {
		switch {
		case r == '/':
			b.WriteString(`\/`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"' || r == '<' || r == '>' || r == '&' || r == '\'':
			hex(r)
		case r > 0x7e && r <= 0xffff:
			hex(r)
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			hex(r1)
			hex(r2)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestVerboseLogRedactsJSONEscapedEchoes: a server that echoes the request
// the way PHP's json_encode does ("\/", "\u00XX" in either case) must not
// make `token -v` show the client secret, sent in the body or as the
// Basic password. Before, only the raw, form-encoded, Basic and Go-escaped
// forms were redacted, and "Sup3r\/S3cret…" was printed.
func TestVerboseLogRedactsJSONEscapedEchoes(t *testing.T) {
	requireSession(t, "secret-tool")
	u := newCLIUser(t)
	u.extra = []string{"LC_ALL=en_US.UTF-8"}
	secret := `Sup3r/S3cret"<é>` + randomHex(8) + "/ü😀"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.PostFormValue("client_secret")
		if _, pw, ok := r.BasicAuth(); ok {
			got, _ = url.QueryUnescape(pw)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		fmt.Fprintf(w, `{"error":"invalid_client","error_description":"bad secret %s","received":{"lower":"%s","upper":"%s"}}`,
			phpEscaped(got, false), phpEscaped(got, false), phpEscaped(got, true))
	}))
	defer srv.Close()
	for _, auth := range []string{"client_secret_basic", "client_secret_post"} {
		u.mustRun(secret, "add", auth, "--token-url", srv.URL+"/token", "--client-id", "echo-client", "--auth", auth)
		code, out, errs := u.run("", "token", auth, "-v")
		if code != 1 || !strings.Contains(errs, "HTTP 400") || !strings.Contains(errs, "[redacted]") {
			t.Errorf("%s: exit %d, stdout %q, stderr:\n%s", auth, code, out, errs)
		}
		for _, form := range []string{secret, phpEscaped(secret, false), phpEscaped(secret, true), "Sup3r\\/S3cret", "Sup3r/S3cret", randomPart(secret)} {
			if strings.Contains(out+errs, form) {
				t.Errorf("%s: token -v shows %q:\n%s", auth, form, errs)
			}
		}
	}
}

// randomPart is the random middle of TestVerboseLogRedactsJSONEscapedEchoes'
// secret, which no escaping changes.
func randomPart(secret string) string {
	_, after, _ := strings.Cut(secret, "é>")
	before, _, _ := strings.Cut(after, "/")
	return before
}

// TestRefreshTokenNeverShown: a refresh_token in a client-credentials
// answer is a secret: it is not kept "for display" (Token.Extra), so it is
// in no `token --format json`, `list --json` or export, and `token -v`
// redacts it whole. Before, it was kept in Extra, printed by --format
// json, and masked (its head and tail shown) in the request log.
func TestRefreshTokenNeverShown(t *testing.T) {
	requireSession(t, "secret-tool")
	u := newCLIUser(t)
	u.extra = []string{"LC_ALL=en_US.UTF-8"}
	refresh := "rt-" + randomHex(24)
	idToken := "idt-" + randomHex(24)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"at-%s","token_type":"Bearer","expires_in":3600,"refresh_token":"%s","id_token":"%s","tenant":"acme"}`,
			randomHex(16), refresh, idToken)
	}))
	defer srv.Close()
	u.mustRun("s3cret-s3cret", "add", "rt", "--token-url", srv.URL+"/token", "--client-id", "c")
	_, _, verbose := u.run("", "token", "rt", "-v", "--min-valid", "59m")
	asJSON := u.mustRun("", "token", "rt", "--format", "json")
	list := u.mustRun("", "list", "--json")
	export := u.mustRun("", "export", "--with-secrets")
	for what, text := range map[string]string{"token -v": verbose, "token --format json": asJSON, "list --json": list, "export --with-secrets": export} {
		for _, secret := range []string{refresh, idToken, refresh[:12], refresh[len(refresh)-4:]} {
			if strings.Contains(text, secret) {
				t.Errorf("%s shows %q:\n%s", what, secret, text)
			}
		}
	}
	if !regexp.MustCompile(`"refresh_token":\s*"\[redacted\]"`).MatchString(verbose) {
		t.Errorf("token -v does not show the refresh token redacted:\n%s", verbose)
	}
}

// TestVerifyHostileTokens: `token --verify` against an issuer that signs
// a JWT without "exp", and one whose JWKS never answers. RFC 9068 §2.2
// requires exp in a JWT access token, so its absence is invalid (exit 6),
// and a valid verdict names only the checks made. Before, the token
// without exp was "valid: signature, times, issuer and audience checked"
// (exit 0) while its exp row said "not checked", and a JWKS that did not
// answer was worded as "the token endpoint did not answer in time".
func TestVerifyHostileTokens(t *testing.T) {
	requireSession(t, "secret-tool")
	is := newForgingIssuer(t)

	u := newCLIUser(t)
	u.extra = []string{"LC_ALL=en_US.UTF-8"}
	u.mustRun("a-secret-long-enough-for-anything", "add", "good", "--issuer", is.URL, "--client-id", "c")
	code, _, errs := u.run("", "token", "good", "--verify")
	if code != 0 || !strings.Contains(errs, "token valid: signature, expiry, issued-at and issuer checked (no audience set)") {
		t.Errorf("a good token without nbf: exit %d, stderr:\n%s", code, errs)
	}

	is.setMode("no-exp")
	u = newCLIUser(t)
	u.extra = []string{"LC_ALL=en_US.UTF-8"}
	u.mustRun("a-secret-long-enough-for-anything", "add", "noexp", "--issuer", is.URL, "--client-id", "c", "--audience", "api")
	code, out, errs := u.run("", "token", "noexp", "--verify")
	if code != 6 || !strings.Contains(errs, "token invalid: expiry (exp): the token has no exp claim") || strings.Contains(errs, "times") || !strings.HasPrefix(out, "ey") {
		t.Errorf("a JWT without exp: exit %d (want 6)\nstdout %q\nstderr %s", code, out, errs)
	}

	is.setMode("hang")
	u = newCLIUser(t)
	u.extra = []string{"LC_ALL=en_US.UTF-8"}
	u.mustRun("a-secret-long-enough-for-anything", "add", "hang", "--issuer", is.URL, "--client-id", "c")
	u.mustRun("", "token", "hang")
	start := time.Now()
	code, _, errs = u.run("", "token", "hang", "--verify", "--timeout", "2s")
	if code != 7 || !strings.Contains(errs, "key set (JWKS) did not answer in time") || strings.Contains(errs, "token endpoint") || time.Since(start) > 15*time.Second {
		t.Errorf("a JWKS that never answers: exit %d (want 7) after %v, stderr:\n%s", code, time.Since(start).Round(time.Millisecond), errs)
	}
}
