package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestBashCompletionOffersProfileNames loads `tokentray completion bash`
// into a real bash, checks `complete -p` names its function, and calls the
// function as bash does on Tab (COMP_WORDS, COMP_CWORD): subcommands,
// flag values, and the profile names of the real keyring come back. With
// bash-completion's helpers loaded too, when the system has them.
func TestBashCompletionOffersProfileNames(t *testing.T) {
	requireSession(t, "bash")
	u := newCLIUser(t)
	for _, name := range []string{"dev-api", "demo-json", "prod", "glob*"} {
		u.mustRun(strings.Repeat("s", 32)+"\n", "add", name, "--token-url", "https://auth.example.com/oauth/token", "--client-id", "c")
	}
	// Files a profile name "glob*" would match if bash expanded it.
	cwd := t.TempDir()
	for _, f := range []string{"globA", "globB"} {
		if err := os.WriteFile(filepath.Join(cwd, f), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	script := filepath.Join(t.TempDir(), "tokentray.bash")
	if err := os.WriteFile(script, []byte(u.mustRun("", "completion", "bash")), 0o600); err != nil {
		t.Fatal(err)
	}
	loaders := []string{""}
	if _, err := os.Stat("/usr/share/bash-completion/bash_completion"); err == nil {
		loaders = append(loaders, ". /usr/share/bash-completion/bash_completion")
	}
	for _, loader := range loaders {
		complete := func(words ...string) []string {
			t.Helper()
			quoted := make([]string, len(words))
			for i, w := range words {
				quoted[i] = "'" + w + "'"
			}
			prog := loader + "\n. " + script + `
complete -p tokentray
COMP_WORDS=(` + strings.Join(quoted, " ") + `)
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
_tokentray tokentray "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf 'reply:%s\n' "${COMPREPLY[@]}"
`
			cmd := u.command("", "--norc", "--noprofile", "-c", prog)
			cmd.Path, cmd.Args[0] = "/bin/bash", "bash"
			cmd.Args = append([]string{"bash"}, cmd.Args[1:]...)
			cmd.Env = append(cmd.Env, "PATH="+filepath.Dir(u.bin)+":"+os.Getenv("PATH"))
			cmd.Dir = cwd
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("bash: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), "complete -o default -F _tokentray tokentray") {
				t.Fatalf("complete -p tokentray does not name _tokentray:\n%s", out)
			}
			var reply []string
			for _, l := range strings.Split(string(out), "\n") {
				if r, ok := strings.CutPrefix(l, "reply:"); ok && r != "" {
					reply = append(reply, r)
				}
			}
			return reply
		}
		t.Run("loader="+loader, func(t *testing.T) {
			if got := complete("tokentray", "tok"); !slices.Equal(got, []string{"token"}) {
				t.Errorf("tokentray tok<Tab>: %q", got)
			}
			if got := complete("tokentray", "token", "de"); !slices.Equal(got, []string{"demo-json", "dev-api"}) {
				t.Errorf("tokentray token de<Tab>: %q, want the keyring's profiles", got)
			}
			if got := complete("tokentray", "rm", "gl"); !slices.Equal(got, []string{`glob\*`}) {
				t.Errorf("tokentray rm gl<Tab>: %q, want the name quoted for the shell, never expanded", got)
			}
			if got := complete("tokentray", "rm", ""); !slices.Equal(got, []string{"demo-json", "dev-api", `glob\*`, "prod"}) {
				t.Errorf("tokentray rm <Tab>: %q, want the keyring's profiles", got)
			}
			if got := complete("tokentray", "token", "prod", "--format", "h"); !slices.Equal(got, []string{"header"}) {
				t.Errorf("tokentray token prod --format h<Tab>: %q", got)
			}
		})
	}
}

// TestVersion: `tokentray --version` and `tokentray version` name the
// version, commit and date the build was given, the Go and Fyne versions.
func TestVersion(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "tokentray")
	// The command line links no Fyne: the build says which Fyne its app
	// is built with, as .ci/ldflags does from go.mod.
	fyne, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "fyne.io/fyne/v2").Output()
	if err != nil {
		t.Fatal(err)
	}
	ld := "-X github.com/tokentray/tokentray/ui/buildinfo.version=9.8.7 -X github.com/tokentray/tokentray/ui/buildinfo.commit=c0ffee -X github.com/tokentray/tokentray/ui/buildinfo.date=2026-12-06T12:00:00Z" +
		" -X github.com/tokentray/tokentray/ui/buildinfo.fyneVersion=" + strings.TrimSpace(string(fyne))
	if out, err := exec.Command("go", "build", "-ldflags", ld, "-o", bin, "../console").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, arg := range []string{"--version", "version"} {
		cmd := exec.Command(bin, arg)
		cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("tokentray %s: %v", arg, err)
		}
		if stderr.Len() > 0 { // e.g. Fyne's locale complaint, which the command line keeps quiet
			t.Errorf("tokentray %s wrote on stderr under LANG=C.UTF-8: %s", arg, stderr.String())
		}
		for _, want := range []string{"tokentray 9.8.7\n", "c0ffee", "2026-12-06T12:00:00Z", "go1.", "fyne    v2."} {
			if !strings.Contains(string(out), want) {
				t.Errorf("tokentray %s lacks %q:\n%s", arg, want, out)
			}
		}
	}
}

// TestZshCompletionOffersProfileNames runs `tokentray completion zsh` in a
// real zsh: its completion function, called as zsh calls it on Tab (words,
// CURRENT), with compadd and _files standing in for the completion system
// (which needs a terminal), offers subcommands, flag values and the real
// keyring's profile names, and falls back to file names where none fit.
func TestZshCompletionOffersProfileNames(t *testing.T) {
	requireSession(t, "zsh")
	u := newCLIUser(t)
	for _, name := range []string{"dev-api", "demo-json"} {
		u.mustRun(strings.Repeat("s", 32)+"\n", "add", name, "--token-url", "https://auth.example.com/oauth/token", "--client-id", "c")
	}
	script := filepath.Join(t.TempDir(), "_tokentray")
	if err := os.WriteFile(script, []byte(u.mustRun("", "completion", "zsh")), 0o600); err != nil {
		t.Fatal(err)
	}
	complete := func(words ...string) []string {
		t.Helper()
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + w + "'"
		}
		prog := `compdef() { :; }; compadd() { shift; print -l -- "$@"; }; _files() { print FILES; }
source ` + script + `
words=(` + strings.Join(quoted, " ") + `); CURRENT=${#words}
_tokentray`
		cmd := u.command("", "-f", "-c", prog)
		zsh, _ := exec.LookPath("zsh")
		cmd.Path, cmd.Args = zsh, append([]string{"zsh"}, cmd.Args[1:]...)
		cmd.Env = append(cmd.Env, "PATH="+filepath.Dir(u.bin)+":"+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("zsh: %v\n%s", err, out)
		}
		return strings.Fields(string(out))
	}
	if got := complete("tokentray", "tok"); !slices.Equal(got, []string{"token"}) {
		t.Errorf("tokentray tok<Tab>: %q", got)
	}
	if got := complete("tokentray", "token", ""); !slices.Equal(got, []string{"demo-json", "dev-api"}) {
		t.Errorf("tokentray token <Tab>: %q, want the keyring's profiles", got)
	}
	if got := complete("tokentray", "token", "dev-api", "--format", "h"); !slices.Equal(got, []string{"header"}) {
		t.Errorf("tokentray token dev-api --format h<Tab>: %q", got)
	}
	if got := complete("tokentray", "export", ""); !slices.Equal(got, []string{"FILES"}) {
		t.Errorf("tokentray export <Tab>: %q, want file names", got)
	}
}

// TestCompletionOnALockedKeyringAsksNothing: in a private session of its
// own (the shared one must stay unlocked for the other tests), with the
// login keyring locked, completing a profile name offers nothing and
// does not make gnome-keyring bring up its unlock prompt, where `tokentray
// list` does (which shows the check can see a prompt).
func TestCompletionOnALockedKeyringAsksNothing(t *testing.T) {
	requireSession(t, "dbus-run-session", "gnome-keyring-daemon", "dbus-send")
	bin := tokentrayBin
	dir := t.TempDir()
	script := `set -u
export XDG_DATA_HOME="$DIR/data" XDG_RUNTIME_DIR="$DIR/run" TOKENTRAY_KEYRING_SERVICE=locked-test DISPLAY=
mkdir -p "$XDG_DATA_HOME/keyrings" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"
trap 'kill $GNOME_KEYRING_PID 2>/dev/null' EXIT
printf '%s\n' ssssssssssssssssssssssssssssssss | "$BIN" add dev-api --token-url https://auth.example.com/t --client-id c >/dev/null || exit 1
echo "unlocked: $("$BIN" completion --words -- tokentray token d)"
dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
  org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null || exit 1
sleep 0.2
echo "locked: $("$BIN" completion --words -- tokentray token d)"
sleep 0.5
echo "--- list"
"$BIN" list --keyring-timeout 3s >/dev/null 2>&1
sleep 0.5
`
	cmd := exec.Command("dbus-run-session", "--", "bash", "-c", script)
	// Without the shared session's GNOME_KEYRING_CONTROL (and _PID), the
	// script's gnome-keyring-daemon is a new one: with them it would hand
	// the password to the shared daemon, lock the shared login keyring
	// for every test running beside this one, and kill it on the way out.
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "GNOME_KEYRING_") })
	cmd.Env = append(env, "DIR="+dir, "BIN="+bin, "TOKENTRAY_SESSION_INNER=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("private session: %v\n%s", err, out)
	}
	s := string(out)
	completion, list, _ := strings.Cut(s, "--- list")
	if !strings.Contains(completion, "unlocked: dev-api\n") {
		t.Fatalf("no profile name from the unlocked keyring:\n%s", s)
	}
	if !strings.Contains(completion, "locked: \n") {
		t.Errorf("completion on a locked keyring offered something:\n%s", s)
	}
	if strings.Contains(completion, "SystemPrompter") {
		t.Errorf("completion made the keyring bring up its unlock prompt:\n%s", s)
	}
	if !strings.Contains(list, "SystemPrompter") {
		t.Errorf("tokentray list on the locked keyring brought up no prompt: the check cannot see one\n%s", s)
	}
}

// TestFishCompletionOffersProfileNames loads `tokentray completion fish`
// into a real fish and asks it what Tab offers (`complete -C`, fish's own
// completion machinery): subcommands, flag values, the real keyring's
// profile names, and file names where no word fits.
func TestFishCompletionOffersProfileNames(t *testing.T) {
	requireSession(t, "fish")
	u := newCLIUser(t)
	for _, name := range []string{"dev-api", "demo-json"} {
		u.mustRun(strings.Repeat("s", 32)+"\n", "add", name, "--token-url", "https://auth.example.com/oauth/token", "--client-id", "c")
	}
	script := filepath.Join(t.TempDir(), "tokentray.fish")
	if err := os.WriteFile(script, []byte(u.mustRun("", "completion", "fish")), 0o600); err != nil {
		t.Fatal(err)
	}
	cwd := t.TempDir()
	if err := os.WriteFile(filepath.Join(cwd, "profiles.json"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	complete := func(line string) []string {
		t.Helper()
		cmd := u.command("", "--no-config", "-c", "source "+script+"; complete -C '"+line+"'")
		fish, _ := exec.LookPath("fish")
		cmd.Path, cmd.Args = fish, append([]string{"fish"}, cmd.Args[1:]...)
		cmd.Env = append(cmd.Env, "PATH="+filepath.Dir(u.bin)+":"+os.Getenv("PATH"))
		cmd.Dir = cwd
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("fish: %v\n%s", err, out)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if l != "" {
				got = append(got, strings.SplitN(l, "\t", 2)[0]) // a description may follow a tab
			}
		}
		return got
	}
	if got := complete("tokentray tok"); !slices.Equal(got, []string{"token"}) {
		t.Errorf("tokentray tok<Tab>: %q", got)
	}
	if got := complete("tokentray token "); !slices.Equal(got, []string{"demo-json", "dev-api"}) {
		t.Errorf("tokentray token <Tab>: %q, want the keyring's profiles", got)
	}
	if got := complete("tokentray token dev-api --format h"); !slices.Equal(got, []string{"header"}) {
		t.Errorf("tokentray token dev-api --format h<Tab>: %q", got)
	}
	if got := complete("tokentray export pro"); !slices.Equal(got, []string{"profiles.json"}) {
		t.Errorf("tokentray export pro<Tab>: %q, want the file names", got)
	}
}
