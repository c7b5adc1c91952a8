package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/tokens/testenv"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// newTokenServer is a loopback token endpoint for client "cli-client" with
// secret (client_secret_basic); it echoes the scope asked for.
func newTokenServer(t *testing.T, secret string) *tokentest.Endpoint {
	return tokentest.NewEndpoint(t, tokentest.RequireClient("cli-client", secret), tokentest.EchoScope())
}

// harness runs commands in-process against one memory store.
type harness struct {
	t       *testing.T
	store   tokens.Store
	now     time.Time
	changed int // ProfilesChanged calls
	// terminal, when set, makes stdin a terminal whose no-echo prompts it answers.
	terminal func(prompt string) (string, error)
	// app, when set, is the running tray app's answer (Env.AskApp); dropped
	// records Env.TokenDropped calls.
	app     func(name string, minValid time.Duration) (*tokens.Token, []string, bool)
	dropped []string
	// appStatus, when set, is the running tray app's snapshot (Env.AppStatus).
	appStatus *tokens.Snapshot
}

func newHarness(t *testing.T) *harness {
	return &harness{t: t, store: tokens.NewMemoryStore(), now: time.Now()}
}

func (h *harness) run(stdin string, args ...string) (code int, stdout, stderr string) {
	h.t.Helper()
	var out, errb bytes.Buffer
	client := oauth.NewClient(oauth.ClientOptions{Now: func() time.Time { return h.now }})
	env := Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		StdinIsTerminal: func() bool { return false },
		OpenStore:       func(time.Duration) tokens.Store { return h.store },
		Fetcher:         client, Inspector: client, Requests: client, SignIn: client,
		Now:             func() time.Time { return h.now },
		ProfilesChanged: func() { h.changed++ },
	}
	if h.terminal != nil {
		env.StdinIsTerminal, env.ReadPassword = func() bool { return true }, h.terminal
	}
	if h.app != nil {
		env.AskApp = func(_ context.Context, name string, minValid time.Duration) (*tokens.Token, []string, bool) {
			return h.app(name, minValid)
		}
	}
	env.TokenDropped = func(name string) { h.dropped = append(h.dropped, name) }
	if h.appStatus != nil {
		env.AppStatus = func(context.Context) ([]byte, error) { return AppStatus(h.appStatus), nil }
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code = Main(ctx, args, env)
	return code, out.String(), errb.String()
}

func (h *harness) mustRun(stdin string, args ...string) string {
	h.t.Helper()
	code, out, errs := h.run(stdin, args...)
	if code != 0 {
		h.t.Fatalf("tokentray %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

const secret = "s3cr3t-value-never-printed"

func TestAddTokenCachesAndForcesFetchWhenTooShort(t *testing.T) {
	h := newHarness(t)
	srv := newTokenServer(t, secret)
	out := h.mustRun(secret+"\n", "add", "dev-api", "--token-url", srv.URL+"/token", "--client-id", "cli-client", "--scope", "api.read", "--scope", "api.write")
	if !strings.Contains(out, "dev-api") || strings.Contains(out, secret) {
		t.Fatalf("add output %q", out)
	}
	profiles, _, _ := h.store.Load(context.Background())
	if len(profiles) != 1 || profiles[0].ClientSecret != secret || strings.Join(profiles[0].Scopes, " ") != "api.read api.write" {
		t.Fatalf("stored %+v", profiles)
	}

	first := strings.TrimSpace(h.mustRun("", "token", "dev-api"))
	second := strings.TrimSpace(h.mustRun("", "token", "dev-api"))
	if first == "" || first != second || srv.Requests() != 1 {
		t.Fatalf("tokens %q %q after %d requests; want one request, same token", first, second, srv.Requests())
	}
	// 59 minutes later the cached token has ~1 minute left: a 5-minute
	// --min-valid forces a new one.
	h.now = h.now.Add(59 * time.Minute)
	third := strings.TrimSpace(h.mustRun("", "token", "dev-api", "--min-valid", "5m"))
	if third == first || srv.Requests() != 2 {
		t.Fatalf("min-valid did not force a fetch: %q (requests %d)", third, srv.Requests())
	}
}

func TestTokenFormats(t *testing.T) {
	h := newHarness(t)
	srv := newTokenServer(t, secret)
	h.mustRun(secret, "add", "svc", "--token-url", srv.URL, "--client-id", "cli-client")
	raw := strings.TrimSpace(h.mustRun("", "token", "svc"))
	if got := h.mustRun("", "token", "svc", "--format", "bearer"); got != "Bearer "+raw+"\n" {
		t.Errorf("bearer = %q", got)
	}
	if got := h.mustRun("", "token", "svc", "--format", "header"); got != "Authorization: Bearer "+raw+"\n" {
		t.Errorf("header = %q", got)
	}
	var js struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if err := json.Unmarshal([]byte(h.mustRun("", "token", "svc", "--format", "json")), &js); err != nil || js.AccessToken != raw || js.ExpiresIn < 3590 {
		t.Errorf("json = %+v, %v", js, err)
	}
	if code, _, errs := h.run("", "token", "svc", "--format", "yaml"); code != ExitUsage || !strings.Contains(errs, "yaml") {
		t.Errorf("bad format: exit %d %q", code, errs)
	}
}

func TestWrongSecretExitsWithServerError(t *testing.T) {
	h := newHarness(t)
	srv := newTokenServer(t, secret)
	h.mustRun("wrong-secret", "add", "bad", "--token-url", srv.URL, "--client-id", "cli-client")
	code, out, errs := h.run("", "token", "bad")
	if code != ExitFailure || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "bad") || !strings.Contains(errs, "invalid_client") || !strings.Contains(errs, "Client authentication failed") {
		t.Fatalf("stderr should be one line naming the profile and the server's error: %q", errs)
	}
	if strings.Contains(errs, "wrong-secret") {
		t.Fatal("secret leaked to stderr")
	}
}

func TestAddValidation(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		args []string
		want []string
		code int
	}{
		{[]string{"add", "x", "--client-id", "c"}, []string{"token URL"}, ExitFailure},
		{[]string{"add", "x", "--token-url", "http://auth.example.com/token", "--client-id", "c"}, []string{"token URL", "loopback"}, ExitFailure},
		{[]string{"add", "x", "--token-url", "https://a.example/t"}, []string{"client ID", "required"}, ExitFailure},
		{[]string{"add", "x", "--token-url", "https://a.example/t", "--client-id", "c", "--body", "xml"}, []string{"body"}, ExitFailure},
		{[]string{"add", "x", "--token-url", "https://a.example/t", "--client-id", "c", "--param", "novalue"}, []string{"--param"}, ExitUsage},
		{[]string{"add", "x", "--token-url", "https://a.example/t", "--client-id", "c", "--auth", "private_key_jwt", "--private-key", "/nonexistent/key.pem"}, []string{"--private-key"}, ExitUsage},
		{[]string{"add", "x", "--bogus"}, []string{"bogus"}, ExitUsage},
		{[]string{"add"}, []string{"missing profile NAME"}, ExitUsage},
	} {
		code, _, errs := h.run("secret", tc.args...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, code, tc.code, errs)
		}
		for _, w := range tc.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%v: stderr %q lacks %q", tc.args, errs, w)
			}
		}
	}
	if profiles, _, _ := h.store.Load(context.Background()); len(profiles) != 0 {
		t.Fatalf("invalid adds stored %d profiles", len(profiles))
	}
}

func TestAddEmptySecretFromStdinIsRefused(t *testing.T) {
	h := newHarness(t)
	code, _, errs := h.run("", "add", "x", "--token-url", "https://a.example/t", "--client-id", "c")
	if code != ExitFailure || !strings.Contains(errs, "client secret") {
		t.Fatalf("exit %d %q", code, errs)
	}
}

func TestAddPromptsOnTerminal(t *testing.T) {
	h := newHarness(t)
	var prompted string
	var out, errb bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		StdinIsTerminal: func() bool { return true },
		ReadPassword:    func(p string) (string, error) { prompted = p; return "typed-secret", nil },
		OpenStore:       func(time.Duration) tokens.Store { return h.store },
	}
	if code := Main(context.Background(), []string{"add", "tty", "--token-url", "https://a.example/t", "--client-id", "c"}, env); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	p, _ := loadProfile(context.Background(), h.store, "tty")
	if !strings.Contains(prompted, "tty") || p.ClientSecret != "typed-secret" {
		t.Fatalf("prompt %q, stored secret %q", prompted, p.ClientSecret)
	}
}

func TestEditListRemove(t *testing.T) {
	h := newHarness(t)
	srv := newTokenServer(t, secret)
	h.mustRun(secret, "add", "a", "--token-url", srv.URL, "--client-id", "cli-client")
	if code, _, errs := h.run("", "add", "a", "--token-url", srv.URL, "--client-id", "cli-client"); code != ExitFailure || !strings.Contains(errs, "exists") {
		t.Fatalf("duplicate add: exit %d %q", code, errs)
	}
	if code, _, _ := h.run("", "edit", "a"); code != ExitUsage {
		t.Fatalf("edit without flags: exit %d", code)
	}
	h.mustRun("", "edit", "a", "--scope", "x y", "--lead", "2m", "--no-auto-refresh")
	p, _ := loadProfile(context.Background(), h.store, "a")
	if strings.Join(p.Scopes, ",") != "x,y" || p.RefreshLead != 2*time.Minute || !p.ManualRefresh || p.ClientSecret != secret {
		t.Fatalf("edited profile %+v", p)
	}
	h.mustRun("new-secret", "edit", "a", "--read-secret", "--auto-refresh")
	p, _ = loadProfile(context.Background(), h.store, "a")
	if p.ClientSecret != "new-secret" || p.ManualRefresh {
		t.Fatalf("secret/auto-refresh not changed: %+v", p)
	}
	if code, _, _ := h.run("", "edit", "missing", "--scope", "x"); code != ExitNotFound {
		t.Fatalf("edit missing: exit %d", code)
	}

	srv.SetSecret("new-secret") // the server now knows the rotated secret
	h.mustRun("", "token", "a")
	list := h.mustRun("", "list")
	if !strings.Contains(list, "a ") || !strings.Contains(list, srv.URL) || !strings.Contains(list, "fresh") || strings.Contains(list, "new-secret") {
		t.Fatalf("list:\n%s", list)
	}
	var entries []listEntry
	if err := json.Unmarshal([]byte(h.mustRun("", "list", "--json")), &entries); err != nil || len(entries) != 1 || entries[0].State != "fresh" || entries[0].SecondsLeft == nil {
		t.Fatalf("list --json: %+v %v", entries, err)
	}

	h.mustRun("", "rm", "a")
	if code, _, errs := h.run("", "rm", "a"); code != ExitNotFound || !strings.Contains(errs, `"a"`) {
		t.Fatalf("second rm: exit %d %q", code, errs)
	}
	if code, _, errs := h.run("", "token", "a"); code != ExitNotFound {
		t.Fatalf("token after rm: exit %d %q", code, errs)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	h := newHarness(t)
	dir := testenv.TempDir(t)
	h.mustRun(secret, "add", "one", "--token-url", "https://a.example/t", "--client-id", "c1", "--scope", "s1", "--param", "tenant=t1", "--header", "X-Env: dev", "--body", "json", "--lead", "90s")
	h.mustRun(secret+"2", "add", "two", "--issuer", "https://issuer.example", "--client-id", "c2", "--auth", "client_secret_post")

	plain := h.mustRun("", "export")
	if strings.Contains(plain, secret) {
		t.Fatal("export without --with-secrets contains the secret")
	}
	file := filepath.Join(dir, "all.json")
	code, _, errs := h.run("", "export", "--with-secrets", file)
	if code != 0 || !strings.Contains(errs, "warning") {
		t.Fatalf("export --with-secrets: exit %d, stderr %q", code, errs)
	}
	if fi, err := os.Stat(file); err != nil || (runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600) { // Windows: ACLs, no mode bits
		t.Fatalf("export file mode: %v %v", fi, err)
	}

	fresh := newHarness(t)
	out := fresh.mustRun("", "import", file)
	if !strings.Contains(out, "Imported 2") {
		t.Fatalf("import: %q", out)
	}
	orig, _, _ := h.store.Load(context.Background())
	got, _, _ := fresh.store.Load(context.Background())
	a, _ := json.Marshal(orig)
	b, _ := json.Marshal(got)
	if string(a) != string(b) {
		t.Fatalf("round trip differs:\n%s\n%s", a, b)
	}

	// A secret-less export re-imported over the same store keeps the secrets.
	plainFile := filepath.Join(dir, "plain.json")
	os.WriteFile(plainFile, []byte(plain), 0o600)
	h.mustRun("", "import", plainFile)
	p, _ := loadProfile(context.Background(), h.store, "one")
	if p.ClientSecret != secret {
		t.Fatalf("re-import lost the secret: %q", p.ClientSecret)
	}
}

func TestImportReportsEachBadProfileByName(t *testing.T) {
	h := newHarness(t)
	file := filepath.Join(testenv.TempDir(t), "in.json")
	os.WriteFile(file, []byte(`{"format":"tokentray-profiles","version":1,"profiles":[
	 {"name":"good","token_url":"https://a.example/t","client_id":"c","client_secret":"s"},
	 {"name":"insecure","token_url":"http://a.example/t","client_id":"c","client_secret":"s"},
	 {"name":"nolead","token_url":"https://a.example/t","client_id":"c","client_secret":"s","refresh_lead":"soon"},
	 {"name":"good","token_url":"https://b.example/t","client_id":"c","client_secret":"s"}]}`), 0o600)
	code, out, errs := h.run("", "import", file)
	if code != ExitFailure || !strings.Contains(out, "Imported 1") {
		t.Fatalf("exit %d out %q", code, out)
	}
	for _, want := range []string{`"insecure"`, "loopback", `"nolead"`, "refresh_lead", "twice"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	profiles, _, _ := h.store.Load(context.Background())
	if len(profiles) != 1 || profiles[0].Name != "good" || profiles[0].TokenURL != "https://a.example/t" {
		t.Fatalf("imported %+v", profiles)
	}
	os.WriteFile(file, []byte(`{"format":"other","version":1}`), 0o600)
	if code, _, errs := h.run("", "import", file); code != ExitFailure || !strings.Contains(errs, "not a Tokentray export") {
		t.Fatalf("foreign file: exit %d %q", code, errs)
	}
}

func TestHelp(t *testing.T) {
	h := newHarness(t)
	code, out, _ := h.run("", "--help")
	if code != 0 || !strings.Contains(out, "help exit-codes") || !strings.Contains(out, "token") {
		t.Fatalf("help: %d %q", code, out)
	}
	for _, c := range commands() {
		code, _, errs := h.run("", c.name, "--help")
		if code != 0 || !strings.Contains(errs, "Usage: tokentray "+c.name) || !strings.Contains(errs, "Exit codes") {
			t.Errorf("%s --help: exit %d %q", c.name, code, errs)
		}
	}
	if code, _, errs := h.run("", "frobnicate"); code != ExitUsage || !strings.Contains(errs, "frobnicate") {
		t.Fatalf("unknown command: %d %q", code, errs)
	}
}

func TestProfileChangesAreAnnounced(t *testing.T) {
	h := newHarness(t)
	srv := newTokenServer(t, secret)
	export := filepath.Join(testenv.TempDir(t), "export.json")
	for _, step := range []struct {
		stdin   string
		args    []string
		changes bool
	}{
		{secret, []string{"add", "a", "--token-url", srv.URL + "/token", "--client-id", "cli-client"}, true},
		{"", []string{"list"}, false},
		{"", []string{"token", "a"}, false},
		{"", []string{"edit", "a", "--scope", "x"}, true},
		{"", []string{"export", export}, false},
		{"", []string{"rm", "a"}, true},
		{"", []string{"import", export}, true},
		{"", []string{"edit", "a", "--no-such-flag"}, false},                    // usage: nothing tried
		{"", []string{"rm", "nope"}, true},                                      // tried, failed: harmless to reload
		{"", []string{"add", "b", "--token-url", "http://example.com/t"}, true}, // refused after parsing
	} {
		before := h.changed
		_, _, _ = h.run(step.stdin, step.args...)
		if got := h.changed - before; got != map[bool]int{false: 0, true: 1}[step.changes] {
			t.Errorf("tokentray %s: ProfilesChanged called %d times, want changes=%v", strings.Join(step.args, " "), got, step.changes)
		}
	}
}

// TestListWordsStatesAsTheWindowDoes: list's table says each cached
// token's state in the words of explain.Describe and its time left as the
// window's countdown; --json keeps the machine names.
func TestListWordsStatesAsTheWindowDoes(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.now = time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	for name, expires := range map[string]time.Duration{"fresh-one": 41*time.Minute + 7*time.Second, "soon-one": 2 * time.Minute, "old-one": -time.Hour, "none-one": 0} {
		p := tokens.Profile{Name: name, TokenURL: "https://auth.example.com/token", ClientID: "c", ClientSecret: secret}
		if err := h.store.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
		if expires != 0 {
			tok := &tokens.Token{AccessToken: "tok-" + name, TokenType: "Bearer", IssuedAt: h.now.Add(expires - time.Hour), ExpiresAt: h.now.Add(expires), RequestFingerprint: p.RequestFingerprint()}
			if err := h.store.SaveToken(ctx, name, tok); err != nil {
				t.Fatal(err)
			}
		}
	}
	list := h.mustRun("", "list")
	for _, want := range []string{`fresh-one\s.*\sfresh\s+41:07\n`, `soon-one\s.*\sexpiring soon\s+2:00\n`, `old-one\s.*\sexpired\s+-\n`, `none-one\s.*\sno token yet\s+-\n`} {
		if !regexp.MustCompile(want).MatchString(list) {
			t.Errorf("list has no line like %s:\n%s", want, list)
		}
	}
	var entries []listEntry
	if err := json.Unmarshal([]byte(h.mustRun("", "list", "--json")), &entries); err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, e := range entries {
		states[e.Name] = e.State
	}
	if want := map[string]string{"fresh-one": "fresh", "soon-one": "expiring-soon", "old-one": "expired", "none-one": "no-token"}; !maps.Equal(states, want) {
		t.Errorf("list --json states %v, want %v", states, want)
	}
}
