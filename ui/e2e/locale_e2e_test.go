package e2e

// The command line's stderr carries only Tokentray's own lines, whatever
// the locale: the toolkit's locale start-up must not print there.

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// localeEnv is the environment with the locale set to loc through LANG or
// LC_ALL alone.
func localeEnv(extra []string, via, loc string) []string {
	var env []string
	for _, kv := range append(os.Environ(), extra...) {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE":
			continue
		}
		env = append(env, kv)
	}
	return append(env, via+"="+loc)
}

var logLine = regexp.MustCompile(`^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d `)

func TestCLIStderrOnlyOwnLines(t *testing.T) {
	t.Parallel()
	bin := tokentrayBin
	commands := [][]string{
		{"help"}, {"--help"}, {"token"}, {"token", "--help"}, {"token", "x", "--min-valid", "-5s"},
		{"import", "/nonexistent/file.json"}, {"add", "bad\x1bname", "--token-url", "https://a.example/t", "--client-id", "c"},
	}
	var extra []string
	if os.Getenv("TOKENTRAY_SESSION") == "1" {
		// With a keyring: the commands that use it too.
		u := newCLIUser(t)
		extra = []string{"TOKENTRAY_KEYRING_SERVICE=" + u.service, "HOME=" + u.home}
		commands = append(commands, []string{"list"}, []string{"token", "nosuch"}, []string{"export"}, []string{"rm", "nosuch"})
	}
	for _, loc := range []string{"C.UTF-8", "C", "POSIX", "C.utf8", "en_US.UTF-8"} {
		for _, via := range []string{"LANG", "LC_ALL"} {
			for _, args := range commands {
				cmd := exec.Command(bin, args...)
				cmd.Env = localeEnv(extra, via, loc)
				cmd.Stdin = strings.NewReader("")
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				cmd.Run()
				help := strings.Contains(strings.Join(args, " "), "help")
				for _, line := range strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n") {
					own := line == "" || strings.HasPrefix(line, "tokentray ") || strings.HasPrefix(line, "tokentray:") || help
					if !own || logLine.MatchString(line) || strings.Contains(line, "Fyne") {
						t.Errorf("%s=%s tokentray %q: stderr line not Tokentray's own: %q", via, loc, args, line)
					}
				}
			}
		}
	}
}

// TestLocaleInitOrder checks, in the real binary, the order the quietlocale
// package's documentation proves: its init runs before Fyne's lang init.
func TestLocaleInitOrder(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(appBin, "help")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1", "LANG=C.UTF-8")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	trace := stderr.String()
	ours := strings.Index(trace, "init github.com/tokentray/tokentray/ui/platform/quietlocale ")
	fyneLang := strings.Index(trace, "init fyne.io/fyne/v2/lang ")
	if ours < 0 || fyneLang < 0 || ours > fyneLang {
		t.Fatalf("quietlocale init at %d, fyne lang init at %d (want both, ours first):\n%s", ours, fyneLang, trace)
	}
}

// TestCommandLineInitializesNoToolkit: the command line (`tokentray`)
// runs no package init of Fyne or its dependencies, which every call of a
// credential helper would pay for; its own locale fix still runs first.
func TestCommandLineInitializesNoToolkit(t *testing.T) {
	cmd := exec.Command(tokentrayBin, "help")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1", "LANG=C.UTF-8")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	trace := stderr.String()
	if !strings.Contains(trace, "init github.com/tokentray/tokentray/ui/platform/quietlocale ") {
		t.Fatalf("no quietlocale init in the command line's trace:\n%s", trace)
	}
	for _, heavy := range []string{"init fyne.io/", "init github.com/yuin/goldmark", "init github.com/go-text/", "init github.com/go-gl/"} {
		if strings.Contains(trace, heavy) {
			t.Errorf("the command line runs %s…", heavy)
		}
	}
}
