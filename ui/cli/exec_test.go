//go:build unix

package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

func TestParseExec(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		name    string
		command []string
		varName string
	}{
		{[]string{"api", "--", "curl", "-v"}, "api", []string{"curl", "-v"}, DefaultTokenVar},
		{[]string{"api", "curl", "-v", "--", "x"}, "api", []string{"curl", "-v", "--", "x"}, DefaultTokenVar},
		{[]string{"--env", "TOK", "api", "--", "sh", "-c", "echo"}, "api", []string{"sh", "-c", "echo"}, "TOK"},
		{[]string{"api", "--env", "TOK", "--", "env"}, "api", []string{"env"}, "TOK"},
		{[]string{"api", "--min-valid", "1m", "make", "--env", "x"}, "api", []string{"make", "--env", "x"}, DefaultTokenVar},
		{[]string{"--", "api", "true"}, "", nil, ""}, // no name before "--"
		{[]string{"api"}, "", nil, ""},
		{[]string{"api", "--"}, "", nil, ""},
	} {
		fs := flag.NewFlagSet("exec", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		v := fs.String("env", DefaultTokenVar, "")
		fs.Duration("min-valid", 0, "")
		name, command, err := parseExec(fs, tc.args, v)
		if tc.name == "" {
			if err == nil || exitCode(err) != ExitUsage {
				t.Errorf("parseExec(%q) = %q %q, %v; want a usage error", tc.args, name, command, err)
			}
			continue
		}
		if err != nil || name != tc.name || !slices.Equal(command, tc.command) || *v != tc.varName {
			t.Errorf("parseExec(%q) = %q %q env %q, %v; want %q %q env %q", tc.args, name, command, *v, err, tc.name, tc.command, tc.varName)
		}
	}
}

func TestExecPassesTheTokenInTheEnvironmentAndTheExitCode(t *testing.T) {
	h := newHarness(t)
	srv := newToolServer(t)
	addToolProfile(t, h, "api", srv)
	t.Setenv("ACCESS_TOKEN", "stale-from-the-parent")
	code, out, errs := h.run("", "exec", "api", "--", "sh", "-c", `printf '%s|%s|%s|%s' "$ACCESS_TOKEN" "$TOKENTRAY_PROFILE" "$TOKENTRAY_TOKEN_EXPIRES_AT" "$(env | grep -c '^ACCESS_TOKEN=')"; exit 7`)
	if code != 7 {
		t.Fatalf("exit %d (stderr %q), want the child's 7", code, errs)
	}
	parts := strings.Split(out, "|")
	tok := cachedToken(t, h, "api")
	if len(parts) != 4 || parts[0] != tok || parts[1] != "api" || parts[3] != "1" {
		t.Fatalf("child saw %q, want token %q, profile api, one ACCESS_TOKEN", out, tok)
	}
	if exp, err := time.Parse(time.RFC3339, parts[2]); err != nil || exp.Sub(h.now) < 59*time.Minute {
		t.Fatalf("TOKENTRAY_TOKEN_EXPIRES_AT=%q (%v)", parts[2], err)
	}
	if errs != "" {
		t.Fatalf("stderr %q for a child that exits 7: exec adds nothing", errs)
	}

	// --env names the variable; the stdin of exec is the child's.
	out = h.mustRun("line from stdin\n", "exec", "--env", "API_TOKEN", "api", "--", "sh", "-c", `read l; printf '%s|%s|%s' "$API_TOKEN" "${ACCESS_TOKEN-unset}" "$l"`)
	if out != tok+"|stale-from-the-parent|line from stdin" {
		t.Fatalf("--env API_TOKEN: child saw %q", out)
	}
	if srv.Requests() != 1 {
		t.Fatalf("%d token requests; the cached token is valid for --min-valid", srv.Requests())
	}
	// --min-valid longer than a token's whole life: a fresh one is tried,
	// and as it cannot keep the promise the child never starts (exit 5).
	code, out, errs = h.run("", "exec", "api", "--min-valid", "2h", "--", "sh", "-c", `printf started`)
	if code != ExitTooShort || out != "" || !strings.Contains(errs, "less than the 2 h asked for") || srv.Requests() != 2 {
		t.Fatalf("--min-valid 2h: exit %d, stdout %q, stderr %q after %d requests", code, out, errs, srv.Requests())
	}
}

func TestExecFailsBeforeTheCommandStarts(t *testing.T) {
	h := newHarness(t)
	srv := newToolServer(t)
	h.mustRun("wrong-secret\n", "add", "bad", "--token-url", srv.URL+"/token", "--client-id", "tool-client")
	marker := filepath.Join(t.TempDir(), "ran")
	code, out, errs := h.run("", "exec", "bad", "--", "touch", marker)
	if code != ExitFailure || out != "" || !strings.Contains(errs, "tokentray exec: bad:") || !strings.Contains(errs, "invalid_client") {
		t.Fatalf("bad secret: exit %d stdout %q stderr %q", code, out, errs)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the command ran although no token could be had")
	}
	if code, _, errs := h.run("", "exec", "nobody", "--", "touch", marker); code != ExitNotFound || !strings.Contains(errs, `no profile named "nobody"`) {
		t.Fatalf("unknown profile: exit %d stderr %q", code, errs)
	}
	requests := srv.Requests()
	if code, _, errs := h.run("", "exec", "bad", "--", "no-such-command-tokentray"); code != 127 || !strings.Contains(errs, "command not found") || srv.Requests() != requests {
		t.Fatalf("missing command: exit %d stderr %q, %d new token requests", code, errs, srv.Requests()-requests)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the command ran")
	}
}

// The child is real; the signal is sent to this process, which is what
// exec is while the child runs, and must reach the child. The token is in
// the child's environment and in nobody's argv, read through /proc.
func TestExecForwardsSignalsAndKeepsTheTokenOffArgv(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	h := newHarness(t)
	srv := newToolServer(t)
	addToolProfile(t, h, "api", srv)
	for _, tc := range []struct {
		sig  syscall.Signal
		trap string
		want int
	}{
		{syscall.SIGTERM, "", 128 + int(syscall.SIGTERM)},
		{syscall.SIGHUP, `trap 'exit 42' HUP;`, 42},
		{syscall.SIGINT, `trap 'exit 43' INT;`, 43},
	} {
		if tc.sig == syscall.SIGINT && inForegroundGroup() {
			t.Log("SIGINT not checked: this test runs in a terminal's foreground group, where Ctrl-C reaches the child by itself")
			continue
		}
		pidFile := filepath.Join(t.TempDir(), "pid")
		script := tc.trap + ` echo $$ > "$1.tmp"; mv "$1.tmp" "$1"; while :; do sleep 0.05; done`
		if tc.trap == "" {
			script = `echo $$ > "$1.tmp"; mv "$1.tmp" "$1"; exec sleep 60`
		}
		done := make(chan int, 1)
		var errs string
		go func() {
			code, _, e := h.run("", "exec", "api", "--", "sh", "-c", script, "sh", pidFile)
			errs = e
			done <- code
		}()
		pid := waitForPID(t, pidFile)
		tok := cachedToken(t, h, "api")
		if names, err := waitForEnviron(pid, "ACCESS_TOKEN="+tok); err != nil {
			t.Fatalf("child's environment lacks the token (%v); it holds %q", err, names)
		}
		for _, p := range []int{pid, os.Getpid()} {
			cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/cmdline")
			if err != nil || bytes.Contains(cmdline, []byte(tok)) {
				t.Fatalf("token in the argv of pid %d (%v): %q", p, err, cmdline)
			}
		}
		if err := syscall.Kill(os.Getpid(), tc.sig); err != nil {
			t.Fatal(err)
		}
		select {
		case code := <-done:
			if code != tc.want {
				t.Fatalf("%v: exec exited %d (stderr %q), want %d", tc.sig, code, errs, tc.want)
			}
		case <-time.After(20 * time.Second):
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("%v was not forwarded: the child still runs", tc.sig)
		}
	}
}

// waitForEnviron reads the environment of pid until it holds want. A
// process caught inside execve (the untrapped case execs sleep right after
// writing its pid) shows an empty environ for a moment, so one read is not
// enough. It returns the variable names it last saw, for the failure message.
func waitForEnviron(pid int, want string) ([]string, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		environ, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
		vars := strings.Split(string(environ), "\x00")
		if err == nil && slices.Contains(vars, want) {
			return nil, nil
		}
		if time.Now().After(deadline) {
			var names []string
			for _, v := range vars {
				name, _, _ := strings.Cut(v, "=")
				names = append(names, name)
			}
			if err == nil {
				err = errors.New("variable absent")
			}
			return names, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func waitForPID(t *testing.T, path string) int {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				return pid
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the child never started")
	return 0
}

// The usage error of a bad --env comes before the keyring is opened.
func TestExecRejectsABadVariableName(t *testing.T) {
	h := newHarness(t)
	opened := false
	h.store = openSpy{Store: tokens.NewMemoryStore(), opened: &opened}
	code, _, errs := h.run("", "exec", "--env", "A=B", "api", "--", "true")
	if code != ExitUsage || !strings.Contains(errs, "not a variable name") || opened {
		t.Fatalf("exit %d stderr %q opened %v", code, errs, opened)
	}
}

type openSpy struct {
	tokens.Store
	opened *bool
}

func (s openSpy) Load(ctx context.Context) ([]tokens.Profile, []*tokens.ProfileError, error) {
	*s.opened = true
	return s.Store.Load(ctx)
}
