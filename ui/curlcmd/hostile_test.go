package curlcmd

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/tokens/testenv"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// The copied command must be as careful as Tokentray's own request: each
// test below runs it with the real curl against loopback servers.

// recorder is a loopback server that counts what reaches it and answers
// 502: a proxy or a redirect target that must see nothing.
func recorder(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Error(w, "recorded", http.StatusBadGateway)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// shell runs command with sh -c, HOME set to home and env (and PATH) as
// its only environment; curl's failure is returned, not fatal.
func shell(t *testing.T, command, home string, env map[string]string) (stdout, stderr string, err error) {
	t.Helper()
	for _, tool := range []string{"sh", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			if testenv.InCI() {
				t.Fatalf("%s is not installed (.ci/deps.sh test installs it)", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
	cmd := exec.Command("sh", "-c", command)
	cmd.Dir = home
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

func mustCommand(t *testing.T, p tokens.Profile) string {
	t.Helper()
	command, err := ForProfile(context.Background(), oauth.NewClient(oauth.ClientOptions{}), p, time.Second)
	if err != nil {
		t.Fatalf("ForProfile: %v", err)
	}
	return command
}

// TestCurlIgnoresTheUsersCurlrc: with `location` in ~/.curlrc and a token
// endpoint answering 307 to another origin, curl re-posted the body with
// the client secret there. Tokentray never follows a redirect of the token
// POST; the command reads no ~/.curlrc (-q) and follows none.
func TestCurlIgnoresTheUsersCurlrc(t *testing.T) {
	elsewhere, reached := recorder(t)
	srv := tokentest.NewEndpoint(t, tokentest.Respond(func(w http.ResponseWriter, r tokentest.Request) {
		w.Header().Set("Location", elsewhere.URL+"/steal")
		w.WriteHeader(http.StatusTemporaryRedirect)
	}))
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, ".curlrc"), []byte("location\nlocation-trusted\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, auth := range []tokens.AuthMethod{tokens.AuthClientSecretPost, tokens.AuthClientSecretBasic} {
		p := tokens.Profile{Name: "api", TokenURL: srv.URL + "/token", ClientID: "c", Auth: auth, ClientSecret: "s"}
		shell(t, mustCommand(t, p), home, map[string]string{EnvSecret: "the-secret"})
		if n := reached.Load(); n != 0 {
			t.Fatalf("%s: curl followed the redirect: the other origin got %d requests", auth, n)
		}
	}
	if srv.Requests() != 2 {
		t.Fatalf("the token endpoint got %d requests, want 2", srv.Requests())
	}
}

// TestCurlGoesDirectToLoopback: Tokentray never sends a loopback request
// through a proxy (the secret would cross in clear); curl did, with
// http_proxy set.
func TestCurlGoesDirectToLoopback(t *testing.T) {
	proxy, reached := recorder(t)
	srv := tokentest.NewEndpoint(t)
	p := tokens.Profile{Name: "api", TokenURL: srv.URL + "/token", ClientID: "c", ClientSecret: "s"}
	out, errs, err := shell(t, mustCommand(t, p), t.TempDir(), map[string]string{EnvSecret: "s",
		"http_proxy": proxy.URL, "HTTPS_PROXY": proxy.URL, "ALL_PROXY": proxy.URL})
	if n := reached.Load(); n != 0 {
		t.Fatalf("the proxy got %d requests with the secret", n)
	}
	if err != nil || !strings.Contains(out, "access_token") {
		t.Fatalf("curl: %v, stdout %q, stderr %q", err, out, errs)
	}
}

// TestCurlSendsOneRequest: curl reads [1-5] in a URL as a glob and sent
// five requests, each with the secret.
func TestCurlSendsOneRequest(t *testing.T) {
	srv := tokentest.NewEndpoint(t)
	p := tokens.Profile{Name: "api", TokenURL: srv.URL + "/token?tenant=[1-5]&x={a,b}", ClientID: "c", ClientSecret: "s"}
	if err := p.Validate(); err != nil {
		t.Fatalf("the profile is refused: %v", err)
	}
	shell(t, mustCommand(t, p), t.TempDir(), map[string]string{EnvSecret: "s"})
	if n := srv.Requests(); n != 1 {
		t.Fatalf("curl sent %d requests, want 1", n)
	}
}

// TestCurlProtocolsAndRedirectsPinned: the options that keep curl on the
// token URL's own scheme and from following any redirect are there, with
// -q first (curl reads it only there).
func TestCurlProtocolsAndRedirectsPinned(t *testing.T) {
	for _, tc := range []struct{ url, proto, noproxy string }{
		{"https://auth.example.com/token", "--proto '=https'", ""},
		{"http://127.0.0.1:8080/token", "--proto '=http'", "--noproxy '*'"},
		{"https://localhost:8443/token", "--proto '=https'", "--noproxy '*'"},
	} {
		command := mustCommand(t, tokens.Profile{Name: "a", TokenURL: tc.url, ClientID: "c", ClientSecret: "s"})
		i := strings.Index(command, "\ncurl ")
		if i < 0 || !strings.HasPrefix(command[i:], "\ncurl -q ") {
			t.Errorf("%s: -q is not curl's first argument:\n%s", tc.url, command)
		}
		for _, want := range []string{tc.proto, "--max-redirs 0", "--globoff", tc.noproxy} {
			if !strings.Contains(command, want) {
				t.Errorf("%s: the command lacks %q:\n%s", tc.url, want, command)
			}
		}
		if tc.noproxy == "" && strings.Contains(command, "--noproxy") {
			t.Errorf("%s: Tokentray would use the proxy for it, the command does not:\n%s", tc.url, command)
		}
	}
}

// hostileText holds what a terminal acts on: OSC 52 (writes the
// clipboard), an OSC title, a screen clear, hidden text, the end of a
// bracketed paste (what follows runs as typed), a C1 CSI and a bare CR.
var hostileText = map[string]string{
	"OSC 52":              "a\x1b]52;c;ZWNobyBwd25lZA==\x07b",
	"OSC title":           "a\x1b]0;pwned\x07b",
	"screen clear":        "a\x1b[2J\x1b[Hb",
	"hidden text":         "a\x1b[8mhidden\x1b[0mb",
	"bracketed paste end": "a\x1b[201~; touch pwned\nb",
	"C1 CSI":              "a\u009b2Jb",
	"carriage return":     "a\rb",
	"tab":                 "a\tb",
}

// TestCurlRefusesControlCharacters: the command is shown, copied and
// pasted into a terminal; a value a profile should never have held (an
// older store, a bug) makes no command rather than one that acts on the
// terminal. (The printable rule itself is checked in Profile.Validate.)
func TestCurlRefusesControlCharacters(t *testing.T) {
	base := tokens.Profile{Name: "api", TokenURL: "https://auth.example.com/token", ClientID: "c", ClientSecret: "s"}
	for what, v := range hostileText {
		for _, tc := range []struct {
			field string
			set   func(p *tokens.Profile)
		}{
			{"param value", func(p *tokens.Profile) { p.Params = map[string]string{"tenant": v} }},
			{"param name", func(p *tokens.Profile) { p.Params = map[string]string{v: "x"} }},
			{"header value", func(p *tokens.Profile) { p.Headers = map[string]string{"X-Tenant": v} }},
			{"client ID", func(p *tokens.Profile) { p.ClientID = v }},
			{"audience", func(p *tokens.Profile) { p.Audience = v }},
			{"scope", func(p *tokens.Profile) { p.Scopes = []string{v} }},
			{"key ID", func(p *tokens.Profile) {
				p.Auth, p.PrivateKeyPEM, p.Alg, p.KeyID = tokens.AuthPrivateKeyJWT, "k", tokens.AlgES256, v
			}},
		} {
			p := base
			tc.set(&p)
			command, err := ForProfile(context.Background(), oauth.NewClient(oauth.ClientOptions{}), p, time.Second)
			if err != nil {
				if !errors.Is(err, ErrUnprintable) || strings.ContainsAny(err.Error(), "\x1b\x07\r\t\u009b") {
					t.Errorf("%s in the %s: error %q", what, tc.field, err)
				}
				continue
			}
			t.Errorf("%s in the %s: a command was made", what, tc.field)
			if i := strings.IndexFunc(command, func(r rune) bool { return r != '\n' && tokens.CheckPrintable(string(r)) != nil }); i >= 0 {
				t.Errorf("%s in the %s: the command holds %q", what, tc.field, command[max(0, i-10):min(len(command), i+10)])
			}
		}
	}
}
