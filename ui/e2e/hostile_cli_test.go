package e2e

// The hostile-server suite through the real binary, the real keyring
// (.ci/session) and loopback servers: for every case, the exit code, the
// wording and its class, a bounded time, no form of the secret on stdout
// or stderr, no terminal control characters, and a cached good token that
// survives the failed refresh.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
