package keyring

// Tests against the real OS keyring: a gnome-keyring Secret Service on a
// private D-Bus session started by .ci/session, which sets
// TOKENTRAY_SESSION=1. Under it these tests must run; without it they skip,
// or fail when $CI is set (see tokens/testenv).

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	gokeyring "github.com/zalando/go-keyring"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/storetest"
	"github.com/tokentray/tokentray/tokens/testenv"
)

const sessionHint = "real OS keyring test: run via `make test` or `.ci/session go test ./tokens/`"

func inSession() bool { return testenv.SessionPresent() }

// realService returns a fresh service name on the real keyring, removing
// its items when the test ends. It skips outside the test session and
// fails inside it when the Secret Service cannot be reached.
func realService(t *testing.T) string {
	t.Helper()
	testenv.RequireSession(t, sessionHint)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	service := "tokentray-test-" + hex.EncodeToString(b)
	_, err := osKeyring{}.Get(service, "probe")
	if !errors.Is(err, errItemNotFound) {
		t.Fatalf("the Secret Service of the test session is unreachable: %v", err)
	}
	t.Cleanup(func() { clearService(service) })
	return service
}

// clearService removes every item of service: with secret-tool on Linux,
// independently of go-keyring; elsewhere (the Credential Manager under
// Wine) with go-keyring's DeleteAll.
func clearService(service string) {
	if runtime.GOOS == "linux" {
		// Exits 1 when nothing matched, which is the usual case.
		_ = exec.Command("secret-tool", "clear", "service", service).Run()
		return
	}
	_ = gokeyring.DeleteAll(service)
}

// realStore is NewStore with a test timeout: the OS keyring and the
// cross-process write lock of service.
func realStore(service string) *keyringStore {
	s := newKeyringStore(osKeyring{}, Options{Service: service, Timeout: 30 * time.Second})
	s.writes = newServiceWriteLock(service)
	return s
}

// secretToolUsers lists the item names of service as secret-tool sees
// them, independently of go-keyring.
func secretToolUsers(t *testing.T, service string) []string {
	t.Helper()
	out, err := exec.Command("secret-tool", "search", "--all", "service", service).CombinedOutput()
	if err != nil {
		t.Fatalf("secret-tool search: %v: %s", err, out)
	}
	var users []string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "attribute.username = "); ok {
			users = append(users, u)
		}
	}
	slices.Sort(users)
	return users
}

// recordUsers lists the items of the record at key, from its header.
func recordUsers(t *testing.T, s *keyringStore, key string) []string {
	t.Helper()
	h, err := s.readHeader(context.Background(), key)
	if err != nil {
		t.Fatalf("header %s: %v", key, err)
	}
	users := []string{key}
	for i := range h.N {
		users = append(users, chunkKey(key, h.Gen, i))
	}
	return users
}

func TestKeyringRealContract(t *testing.T) {
	testenv.RequireSession(t, sessionHint)
	storetest.Run(t, func(t *testing.T) tokens.Store { return realStore(realService(t)) })
}

func TestKeyringRealBigValues(t *testing.T) {
	testenv.SkipUnlessLinux(t, "secret-tool lists the items")
	service := realService(t)
	ctx := context.Background()
	s := realStore(service)
	p := storetest.FullProfile("big")
	p.PrivateKeyPEM = "-----BEGIN PRIVATE KEY-----\n" + strings.Repeat("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n", 496) +
		"-----END PRIVATE KEY-----\n" // 16,420 bytes
	tok := storetest.TokenFor(p, strings.Repeat("eyJhbGciOiJSUzI1NiJ9", 205)) // 4,100 bytes
	if err := s.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveToken(ctx, "big", tok); err != nil {
		t.Fatal(err)
	}
	// A new store, as after a restart.
	s2 := realStore(service)
	storetest.MustLoad(t, s2, p)
	storetest.MustToken(t, s2, "big", tok)

	want := slices.Concat(recordUsers(t, s2, "index"), recordUsers(t, s2, "profile/big"), recordUsers(t, s2, "token/big"))
	slices.Sort(want)
	got := secretToolUsers(t, service)
	if !slices.Equal(got, want) {
		t.Fatalf("items in the keyring:\n%q\nwant\n%q", got, want)
	}
	if len(got) < 2+1+16*1024/maxChunk+1+4*1024/maxChunk {
		t.Fatalf("only %d items for a 16 KB key and a 4 KB token", len(got))
	}
	for _, u := range got {
		v, err := osKeyring{}.Get(service, u)
		if err != nil {
			t.Fatal(err)
		}
		if len(v) > maxChunk {
			t.Errorf("item %s holds %d bytes, over %d", u, len(v), maxChunk)
		}
	}
}

func TestKeyringRealDeleteRemovesEverything(t *testing.T) {
	testenv.SkipUnlessLinux(t, "secret-tool lists the items")
	service := realService(t)
	ctx := context.Background()
	s := realStore(service)
	a, b := storetest.FullProfile("a"), storetest.FullProfile("b")
	a.PrivateKeyPEM = strings.Repeat("k", 5*maxChunk)
	for _, p := range []tokens.Profile{a, b, a} { // a twice: a second generation
		if err := s.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveToken(ctx, p.Name, storetest.TokenFor(p, strings.Repeat("t", 3*maxChunk))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Delete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	want := slices.Concat(recordUsers(t, s, "index"), recordUsers(t, s, "profile/b"), recordUsers(t, s, "token/b"))
	slices.Sort(want)
	if got := secretToolUsers(t, service); !slices.Equal(got, want) {
		t.Fatalf("after deleting a, items are\n%q\nwant\n%q", got, want)
	}
	if err := s.Delete(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if got := secretToolUsers(t, service); len(got) != 0 {
		t.Fatalf("after deleting every profile, items are left: %q", got)
	}
	storetest.MustLoad(t, s)
}

func TestKeyringRealCorruptItem(t *testing.T) {
	testenv.SkipUnlessLinux(t, "secret-tool lists the items")
	service := realService(t)
	ctx := context.Background()
	s := realStore(service)
	for _, n := range []string{"a", "b", "c"} {
		if err := s.Save(ctx, storetest.FullProfile(n)); err != nil {
			t.Fatal(err)
		}
	}
	// Damage b's only chunk and c's header directly in the keyring.
	if err := (osKeyring{}).Set(service, "profile/b/1/0", `{"v":1,"profile":{"name":"b"}}`); err != nil {
		t.Fatal(err)
	}
	if err := (osKeyring{}).Set(service, "profile/c", "\x00garbage"); err != nil {
		t.Fatal(err)
	}
	ps, broken, err := realStore(service).Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || !reflect.DeepEqual(ps[0], storetest.FullProfile("a")) {
		t.Fatalf("Load = %+v, want a", ps)
	}
	if len(broken) != 2 || broken[0].Name != "b" || broken[1].Name != "c" {
		t.Fatalf("broken = %v, want b and c", broken)
	}
	for _, pe := range broken {
		if !errors.Is(pe, tokens.ErrCorruptItem) {
			t.Errorf("broken %s: %v, want ErrCorruptItem", pe.Name, pe)
		}
	}
	for _, n := range []string{"a", "b", "c"} {
		if err := s.Delete(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	if got := secretToolUsers(t, service); len(got) != 0 {
		t.Fatalf("items left: %q", got)
	}
}

// TestKeyringRealUnavailable runs the test binary again with a D-Bus
// environment that has no Secret Service: go-keyring's D-Bus connection is
// per process and picks its address once, so a subprocess is the faithful
// way. Each case must end in ErrKeyringUnavailable, not a timeout.
func TestKeyringRealUnavailable(t *testing.T) {
	testenv.SkipUnlessLinux(t, "D-Bus sessions without a Secret Service")
	dir := t.TempDir()
	cases := map[string][]string{
		"socket does not exist": {"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(dir, "no-such-socket")},
		"no session bus":        {"DBUS_SESSION_BUS_ADDRESS=", "XDG_RUNTIME_DIR=" + dir},
	}
	if addr := startBareBus(t); addr != "" {
		cases["bus without a Secret Service"] = []string{"DBUS_SESSION_BUS_ADDRESS=" + addr}
	}
	for name, env := range cases {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestKeyringRealUnavailableChild$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), append([]string{"TOKENTRAY_KEYRING_CHILD=1"}, env...)...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), "child error: OS keyring unavailable: ") ||
				!strings.Contains(string(out), ", is a Secret Service running?") {
				t.Fatalf("child output lacks the unavailable error:\n%s", out)
			}
			for line := range strings.Lines(string(out)) {
				if strings.HasPrefix(line, "child error: ") {
					t.Log(strings.TrimSpace(line))
				}
			}
		})
	}
}

// startBareBus starts a private D-Bus daemon that offers no services (no
// service directories, so nothing is activated) and returns its address.
func startBareBus(t *testing.T) string {
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		if inSession() {
			t.Fatalf("dbus-daemon missing in the test session: %v", err)
		}
		t.Logf("dbus-daemon not installed; skipping the bare-bus case")
		return ""
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=`+filepath.Join(dir, "bus")+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	return strings.TrimSpace(line)
}

// TestKeyringRealUnavailableChild is the subprocess of
// TestKeyringRealUnavailable; on its own it skips.
func TestKeyringRealUnavailableChild(t *testing.T) {
	if os.Getenv("TOKENTRAY_KEYRING_CHILD") != "1" {
		t.Skip("helper process of TestKeyringRealUnavailable")
	}
	const timeout = 10 * time.Second
	s := NewStore(Options{Service: "tokentray-test-absent", Timeout: timeout})
	ps, broken, err := s.Load(context.Background())
	if !errors.Is(err, tokens.ErrKeyringUnavailable) || errors.Is(err, tokens.ErrKeyringTimeout) {
		t.Fatalf("Load = %v, %v, %v; want ErrKeyringUnavailable within %v", ps, broken, err, timeout)
	}
	if err := s.Save(context.Background(), storetest.FullProfile("p")); !errors.Is(err, tokens.ErrKeyringUnavailable) {
		t.Fatalf("Save = %v, want ErrKeyringUnavailable", err)
	}
	fmt.Printf("child error: %v\n", err)
}

// BenchmarkKeyringRealLoad measures a start-up Load of ten profiles (each
// with its token cached) from the real Secret Service.
func BenchmarkKeyringRealLoad(b *testing.B) {
	testenv.RequireSession(b, sessionHint)
	service := "tokentray-bench-" + fmt.Sprint(time.Now().UnixNano())
	defer func() { _ = exec.Command("secret-tool", "clear", "service", service).Run() }()
	ctx := context.Background()
	s := realStore(service)
	for i := range 10 {
		p := storetest.FullProfile(fmt.Sprintf("p%d", i))
		if err := s.Save(ctx, p); err != nil {
			b.Fatal(err)
		}
		if err := s.SaveToken(ctx, p.Name, storetest.FullToken("t")); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		ps, _, err := s.Load(ctx)
		if err != nil || len(ps) != 10 {
			b.Fatal(len(ps), err)
		}
		for _, p := range ps {
			if _, err := s.LoadToken(ctx, p.Name); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkKeyringRealSaveToken measures caching a refreshed token.
func BenchmarkKeyringRealSaveToken(b *testing.B) {
	testenv.RequireSession(b, sessionHint)
	service := "tokentray-bench-" + fmt.Sprint(time.Now().UnixNano())
	defer func() { _ = exec.Command("secret-tool", "clear", "service", service).Run() }()
	ctx := context.Background()
	s := realStore(service)
	if err := s.Save(ctx, storetest.FullProfile("p")); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := s.SaveToken(ctx, "p", storetest.FullToken("t")); err != nil {
			b.Fatal(err)
		}
	}
}

// The repair scenario on the real keyring: the Secret Service's own search
// by attribute (or the Credential Manager's enumeration under Wine) finds
// the profile items a damaged or stale index no longer names.
func TestKeyringRealRepair(t *testing.T) {
	service := realService(t)
	t.Cleanup(func() { clearService(service + "-other") })
	checkRepair(t, osKeyring{}, service, func() *keyringStore { return realStore(service) })
	if runtime.GOOS == "linux" {
		if got := secretToolUsers(t, service); len(got) != 0 {
			t.Fatalf("items left after deleting every profile: %q", got)
		}
	}
}
