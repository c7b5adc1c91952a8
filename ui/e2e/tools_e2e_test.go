//go:build unix

package e2e

// End-to-end tests of Tokentray inside other tools: the real binary on the
// real Secret Service (run through `make test`), a real child for exec, a
// real git cloning over smart HTTP (git http-backend behind net/http/cgi)
// and a real kubectl against a loopback HTTPS API server.

import (
	"bufio"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens/tokentest"
)

// issuedBy reports whether tok is one of the tokens srv issued.
func issuedBy(srv *tokentest.Endpoint, tok string) bool {
	return tok != "" && slices.Contains(srv.Issued(), tok)
}

func TestExecEndToEnd(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	secret := "cs-" + randomHex(20)
	srv := newE2EServer(t, "e2e-client", secret)
	u := newCLIUser(t)
	u.mustRun(secret+"\n", "add", "e2e", "--token-url", srv.URL+"/oauth/token", "--client-id", "e2e-client")

	// Exit code and environment.
	code, out, errs := u.run("", "exec", "e2e", "--", "sh", "-c", `printf '%s|%s' "$ACCESS_TOKEN" "$TOKENTRAY_PROFILE"; exit 3`)
	tok, profile, _ := strings.Cut(out, "|")
	if code != 3 || !issuedBy(srv, tok) || profile != "e2e" {
		t.Fatalf("exec: exit %d stdout %q stderr %q", code, out, errs)
	}

	// Nesting: the inner exec of the same profile reads the same cache and
	// hands its child the same token (valid for its own --min-valid); no
	// second token request.
	out = u.mustRun("", "exec", "e2e", "--", u.bin, "exec", "e2e", "--", "sh", "-c", `printf %s "$ACCESS_TOKEN"`)
	if out != tok || srv.Requests() != 1 {
		t.Fatalf("nested exec gave %q (outer %q) after %d token requests", out, tok, srv.Requests())
	}

	// Signals sent to the tokentray process reach the child; the token is
	// in the child's environment, in nobody's argv.
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	cmd := u.command("", "exec", "e2e", "--", "sh", "-c", `trap 'exit 42' TERM; echo $$ > "$1.tmp"; mv "$1.tmp" "$1"; while :; do sleep 0.05; done`, "sh", pidFile)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := waitForFilePID(t, pidFile)
	environ, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil || !slices.Contains(strings.Split(string(environ), "\x00"), "ACCESS_TOKEN="+tok) {
		t.Fatalf("child environment lacks the token (%v)", err)
	}
	checkArgv(t, cmd.Process.Pid, tok, secret)
	cmd.Process.Signal(syscall.SIGTERM)
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 42 {
		t.Fatalf("after SIGTERM to tokentray: %v, want the child's exit 42", err)
	}
	assertNotInFiles(t, u.home, []string{tok, secret})
	assertNotInFiles(t, u.tmp, []string{tok, secret})
}

func waitForFilePID(t *testing.T, path string) int {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(path); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				return pid
			}
		}
	}
	t.Fatal("the child never started")
	return 0
}

// gitServer is git's smart HTTP protocol (git http-backend through CGI)
// behind an authorization check: only a token the token server issued
// opens it, as the Basic password or (git 2.46+) as a Bearer credential.
type gitServer struct {
	*httptest.Server
	root    string
	mu      sync.Mutex
	seen    []string // "basic:<user>" / "bearer" for each accepted request
	refused atomic.Int32
}

func newGitServer(t *testing.T, tokens *tokentest.Endpoint) *gitServer {
	t.Helper()
	execPath, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Fatalf("git --exec-path: %v", err)
	}
	g := &gitServer{root: t.TempDir()}
	backend := &cgi.Handler{
		Path: filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend"),
		Env:  []string{"GIT_PROJECT_ROOT=" + g.root, "GIT_HTTP_EXPORT_ALL=1"},
	}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		how := ""
		if user, pass, ok := r.BasicAuth(); ok && issuedBy(tokens, pass) {
			how = "basic:" + user
		} else if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && issuedBy(tokens, tok) {
			how = "bearer"
		}
		if how == "" {
			g.refused.Add(1)
			w.Header().Set("WWW-Authenticate", `Basic realm="tokentray-test"`)
			http.Error(w, "token required", http.StatusUnauthorized)
			return
		}
		g.mu.Lock()
		g.seen = append(g.seen, how)
		g.mu.Unlock()
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(g.Close)
	return g
}

// gitCmd runs git isolated from the machine's configuration.
func gitCmd(t *testing.T, u *cliUser, dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+u.home, "TMPDIR="+u.tmp, "TOKENTRAY_KEYRING_SERVICE="+u.service,
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "SSH_ASKPASS=",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	return cmd
}

func mustGit(t *testing.T, u *cliUser, dir string, args ...string) string {
	t.Helper()
	out, err := gitCmd(t, u, dir, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestGitCloneThroughCredentialHelper(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool", "git")
	secret := "cs-" + randomHex(20)
	tokens := newE2EServer(t, "e2e-client", secret)
	u := newCLIUser(t)
	u.mustRun(secret+"\n", "add", "git-e2e", "--token-url", tokens.URL+"/oauth/token", "--client-id", "e2e-client")
	u.mustRun("wrong-secret\n", "add", "git-bad", "--token-url", tokens.URL+"/oauth/token", "--client-id", "e2e-client")
	g := newGitServer(t, tokens)

	// A bare repository with one commit, served by http-backend.
	work := t.TempDir()
	mustGit(t, u, g.root, "init", "-q", "--bare", "repo.git")
	mustGit(t, u, work, "init", "-q", "-b", "main", "src")
	os.WriteFile(filepath.Join(work, "src", "README"), []byte("hello from the token-protected server\n"), 0o644)
	mustGit(t, u, filepath.Join(work, "src"), "add", "README")
	mustGit(t, u, filepath.Join(work, "src"), "commit", "-q", "-m", "first")
	mustGit(t, u, filepath.Join(work, "src"), "push", "-q", filepath.Join(g.root, "repo.git"), "main")
	mustGit(t, u, g.root, "--git-dir", "repo.git", "symbolic-ref", "HEAD", "refs/heads/main")

	helper := func(profile string) string {
		return "credential." + g.URL + ".helper=!'" + u.bin + "' git-credential " + profile
	}
	// Without the helper the server refuses.
	if out, err := gitCmd(t, u, work, "clone", "-q", g.URL+"/repo.git", "none").CombinedOutput(); err == nil {
		t.Fatalf("clone without a token succeeded:\n%s", out)
	}
	// With it, git asks Tokentray and clones.
	mustGit(t, u, work, "-c", helper("git-e2e"), "clone", "-q", g.URL+"/repo.git", "clone")
	if b, err := os.ReadFile(filepath.Join(work, "clone", "README")); err != nil || !strings.Contains(string(b), "hello from") {
		t.Fatalf("cloned README: %q %v", b, err)
	}
	g.mu.Lock()
	seen := slices.Clone(g.seen)
	g.mu.Unlock()
	if len(seen) == 0 || !slices.Contains(seen, "basic:oauth2") {
		t.Fatalf("server saw %v, want the token as the password of user oauth2 (this git: password path)", seen)
	}
	if tokens.Requests() != 1 {
		t.Fatalf("%d token requests for one clone, want 1", tokens.Requests())
	}
	// A fetch later reuses the cached token: no new token request.
	before := tokens.Requests()
	mustGit(t, u, filepath.Join(work, "clone"), "-c", helper("git-e2e"), "fetch", "-q")
	if tokens.Requests() != before {
		t.Fatalf("fetch made %d token requests, want the cached token", tokens.Requests()-before)
	}
	// A profile whose secret is wrong gets no token: the clone fails and
	// git shows Tokentray's reason.
	out, err := gitCmd(t, u, work, "-c", helper("git-bad"), "clone", "-q", g.URL+"/repo.git", "bad").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "invalid_client") {
		t.Fatalf("clone with a bad profile: %v\n%s", err, out)
	}
	// Neither the token nor the secret was written into the clone.
	issued := tokens.Issued()
	assertNotInFiles(t, filepath.Join(work, "clone"), append(issued, secret))
	assertNotInFiles(t, u.home, append(issued, secret))
}

// kubeAPI is a loopback HTTPS "API server" that answers /version and
// /healthz to a bearer token issued by the token server.
type kubeAPI struct {
	*httptest.Server
	authorized, refused atomic.Int32
}

func newKubeAPI(t *testing.T, tokens *tokentest.Endpoint) *kubeAPI {
	k := &kubeAPI{}
	k.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || !issuedBy(tokens, tok) {
			k.refused.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}`)
			return
		}
		k.authorized.Add(1)
		switch r.URL.Path {
		case "/version":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"major":"1","minor":"32","gitVersion":"v1.32.0-tokentray-test","platform":"linux/amd64"}`)
		default:
			io.WriteString(w, "ok from "+r.URL.Path)
		}
	}))
	t.Cleanup(k.Close)
	return k
}

// kubeconfig writes a kubeconfig whose user runs plugin (a script that
// counts its calls, then runs tokentray) as a client.authentication.k8s.io/v1
// exec credential plugin.
func kubeconfig(t *testing.T, u *cliUser, api *kubeAPI, profile string) (path, calls string) {
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: api.Certificate().Raw}), 0o600)
	calls = filepath.Join(dir, "plugin-calls")
	plugin := filepath.Join(dir, "plugin")
	os.WriteFile(plugin, []byte("#!/bin/sh\necho call >> '"+calls+"'\nexec '"+u.bin+"' \"$@\"\n"), 0o755)
	path = filepath.Join(dir, "kubeconfig")
	cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: loopback
  cluster:
    server: %s
    certificate-authority: %s
contexts:
- name: loopback
  context: {cluster: loopback, user: tokentray}
current-context: loopback
users:
- name: tokentray
  user:
    exec:
      apiVersion: %s
      command: %s
      args: [token, %s, --format, exec-credential]
      env:
      - {name: TOKENTRAY_KEYRING_SERVICE, value: %s}
      interactiveMode: Never
`, api.URL, ca, execAPIVersion(t), plugin, profile, u.service)
	os.WriteFile(path, []byte(cfg), 0o600)
	return path, calls
}

// execAPIVersion is the newest exec credential API the installed kubectl
// knows: v1 from Kubernetes 1.22 on, v1beta1 before (Debian's
// kubernetes-client is 1.20); Tokentray answers in the version asked for.
func execAPIVersion(t *testing.T) string {
	out, err := exec.Command("kubectl", "version", "--client", "-o", "json").Output()
	if err != nil {
		t.Fatalf("kubectl version: %v", err)
	}
	var v struct {
		ClientVersion struct{ Major, Minor string } `json:"clientVersion"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("kubectl version %q: %v", out, err)
	}
	minor, _ := strconv.Atoi(strings.TrimRight(v.ClientVersion.Minor, "+"))
	t.Logf("kubectl %s.%s", v.ClientVersion.Major, v.ClientVersion.Minor)
	if v.ClientVersion.Major == "1" && minor < 22 {
		return "client.authentication.k8s.io/v1beta1"
	}
	return "client.authentication.k8s.io/v1"
}

func countLines(path string) int {
	b, _ := os.ReadFile(path)
	return strings.Count(string(b), "\n")
}

func TestKubectlExecCredentialPlugin(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool", "kubectl")
	secret := "cs-" + randomHex(20)
	tokens := newE2EServer(t, "e2e-client", secret)
	u := newCLIUser(t)
	u.mustRun(secret+"\n", "add", "k8s", "--token-url", tokens.URL+"/oauth/token", "--client-id", "e2e-client")
	api := newKubeAPI(t, tokens)
	cfg, calls := kubeconfig(t, u, api, "k8s")
	kubectl := func(args ...string) *exec.Cmd {
		cmd := exec.Command("kubectl", append([]string{"--kubeconfig", cfg}, args...)...)
		cmd.Env = append(os.Environ(), "HOME="+u.home, "TMPDIR="+u.tmp, "KUBECACHEDIR="+filepath.Join(u.tmp, "kube-cache"))
		return cmd
	}

	// Two commands in one kubectl process (kubectl proxy serving two
	// requests): the plugin runs once, kubectl keeps the credential in
	// memory until its expirationTimestamp.
	proxy := kubectl("proxy", "--port=0", "--address=127.0.0.1")
	stdout, _ := proxy.StdoutPipe()
	var stderr strings.Builder
	proxy.Stderr = &stderr
	if err := proxy.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Process.Kill(); proxy.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := regexp.MustCompile(`127\.0\.0\.1:\d+`).FindString(sc.Text()); m != "" {
				addr <- m
			}
		}
	}()
	var proxyAddr string
	select {
	case proxyAddr = <-addr:
	case <-time.After(30 * time.Second):
		t.Fatalf("kubectl proxy did not start: %s", stderr.String())
	}
	for _, path := range []string{"/healthz", "/version"} {
		resp, err := http.Get("http://" + proxyAddr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s through kubectl proxy: %d %s", path, resp.StatusCode, body)
		}
	}
	// (kubectl proxy may make requests of its own: at least our two.)
	if n := countLines(calls); n != 1 || api.authorized.Load() < 2 {
		t.Fatalf("one kubectl process, two requests: %d plugin calls, %d authorized requests; want 1 and at least 2", n, api.authorized.Load())
	}
	t.Logf("kubectl proxy: %d authorized requests upstream, %d plugin call(s)", api.authorized.Load(), countLines(calls))

	// Separate kubectl processes: kubectl's cache is per process, so each
	// runs the plugin once, and Tokentray's keyring cache answers without
	// a new token request.
	for _, args := range [][]string{{"get", "--raw", "/healthz"}, {"version", "-o", "json"}} {
		out, err := kubectl(args...).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "ok from /healthz") && !strings.Contains(string(out), "v1.32.0-tokentray-test") {
			t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if n := countLines(calls); n != 3 {
		t.Fatalf("%d plugin calls after one proxy and two one-shot kubectl processes, want 3", n)
	}
	if tokens.Requests() != 1 {
		t.Fatalf("%d token requests for three plugin calls, want 1 (the keyring cache)", tokens.Requests())
	}
	if api.refused.Load() != 0 {
		t.Fatalf("the API server refused %d requests", api.refused.Load())
	}
	t.Logf("kubectl: 1 plugin call for 2 requests in one process; %d plugin calls in all for 3 processes; %d token request(s)", countLines(calls), tokens.Requests())
}
