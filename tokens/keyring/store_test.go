package keyring

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/storetest"
)

func TestKeyringStoreContract(t *testing.T) {
	storetest.Run(t, func(*testing.T) tokens.Store {
		return newKeyringStore(newFakeKeyring(), Options{Service: "svc"})
	})
}

func TestKeyringStoreDefaults(t *testing.T) {
	s := newKeyringStore(newFakeKeyring(), Options{})
	if s.service != "tokentray" || s.timeout != 60*time.Second {
		t.Fatalf("defaults: service %q, timeout %v", s.service, s.timeout)
	}
}

func TestKeyringStoreLayout(t *testing.T) {
	ctx := context.Background()
	f, s := storeWithProfileP(t)
	wantUsers(t, f, "index", "index/1/0", "profile/p", "profile/p/1/0", "token/p", "token/p/1/0")
	if err := s.Save(ctx, storetest.FullProfile("p")); err != nil {
		t.Fatal(err)
	}
	wantUsers(t, f, "index", "index/1/0", "profile/p", "profile/p/2/0", "token/p", "token/p/1/0")
	raw, _ := f.value("svc", "profile/p")
	var h recordHeader
	if err := json.Unmarshal([]byte(raw), &h); err != nil {
		t.Fatal(err)
	}
	if h.V != 1 || h.Gen != 2 || h.N != 1 || h.Prev != 1 || h.PrevN != 1 {
		t.Fatalf("header after the second write = %+v", h)
	}
	if f.users("other-service") != nil {
		t.Fatal("items outside the service")
	}
	if err := s.Delete(ctx, "p"); err != nil {
		t.Fatal(err)
	}
	wantUsers(t, f)
}

func wantUsers(t *testing.T, f *fakeKeyring, want ...string) {
	t.Helper()
	if got := f.users("svc"); !slices.Equal(got, want) {
		t.Fatalf("items = %q\nwant    %q", got, want)
	}
}

func TestKeyringStoreBigValues(t *testing.T) {
	ctx := context.Background()
	f := newFakeKeyring()
	s := newKeyringStore(f, Options{Service: "svc"})
	p := storetest.FullProfile("big")
	// 16 KB of key, half of it two-byte runes so chunks must respect UTF-8.
	p.PrivateKeyPEM = "-----BEGIN PRIVATE KEY-----\n" + strings.Repeat("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", 256) +
		strings.Repeat("ключ", 1024) + "\n-----END PRIVATE KEY-----\n"
	tok := storetest.TokenFor(p, strings.Repeat("eyJhbGciOiJSUzI1NiJ9", 205)) // 4,100 bytes
	if err := s.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveToken(ctx, "big", tok); err != nil {
		t.Fatal(err)
	}
	storetest.MustLoad(t, s, p)
	storetest.MustToken(t, s, "big", tok)
	if f.maxValue > maxChunk {
		t.Fatalf("largest stored value %d bytes, over the %d-byte chunk size", f.maxValue, maxChunk)
	}
	var chunks int
	for _, u := range f.users("svc") {
		if strings.HasPrefix(u, "profile/big/") {
			chunks++
		}
	}
	if chunks < 16*1024/maxChunk {
		t.Fatalf("profile stored in %d chunks", chunks)
	}
}

// crashCase runs op at every possible crash point: the n-th keyring call of
// the given kind fails and so does everything after it, as if the process
// died there. After each crash a fresh store over the same items must load a
// consistent state (one of the allowed ones, nothing broken), and cleaning
// up must leave no item behind.
type crashCase struct {
	name    string
	setup   func(s tokens.Store) error
	op      func(s tokens.Store) error
	states  map[string]func(t *testing.T, s tokens.Store) bool // allowed outcomes
	cleanup func(s tokens.Store) error
}

func runCrashCase(t *testing.T, c crashCase) {
	ctx := context.Background()
	for _, kind := range []string{"", "set", "delete"} {
		seen := map[string]bool{}
		for n := 1; ; n++ {
			f := newFakeKeyring()
			s := newKeyringStore(f, Options{Service: "svc"})
			if err := c.setup(s); err != nil {
				t.Fatal(err)
			}
			f.armCrash(kind, n)
			opErr := c.op(s)
			f.restart()
			if _, broken, err := s.Load(ctx); err != nil || len(broken) != 0 {
				t.Fatalf("%s: crash at %s call %d: Load = %v, broken %v", c.name, kind, n, err, broken)
			}
			state := ""
			for name, check := range c.states {
				if check(t, s) {
					state = name
				}
			}
			if state == "" {
				t.Fatalf("%s: crash at %s call %d (op error %v): state is none of the allowed ones", c.name, kind, n, opErr)
			}
			seen[state] = true
			if err := c.cleanup(s); err != nil {
				t.Fatalf("%s: clean-up after crash at %s call %d: %v", c.name, kind, n, err)
			}
			if left := f.users("svc"); len(left) != 0 {
				t.Fatalf("%s: crash at %s call %d: items left after clean-up: %q", c.name, kind, n, left)
			}
			if opErr == nil {
				break // n is past the operation's last call
			}
		}
		if kind != "delete" && len(seen) != len(c.states) {
			t.Errorf("%s, crashing on %q calls: reached states %v, want all of %d", c.name, kind, seen, len(c.states))
		}
	}
}

func loads(want ...tokens.Profile) func(t *testing.T, s tokens.Store) bool {
	return func(t *testing.T, s tokens.Store) bool {
		ps, _, err := s.Load(context.Background())
		return err == nil && (len(ps) == 0 && len(want) == 0 || reflect.DeepEqual(ps, want))
	}
}

func deleteAll(names ...string) func(s tokens.Store) error {
	return func(s tokens.Store) error {
		for _, n := range names {
			if err := s.Delete(context.Background(), n); err != nil && !errors.Is(err, tokens.ErrNotFound) {
				return err
			}
		}
		return nil
	}
}

func TestKeyringStoreCrashSafety(t *testing.T) {
	ctx := context.Background()
	other, v1, v2 := storetest.FullProfile("other"), storetest.FullProfile("p"), storetest.FullProfile("p")
	v2.ClientID, v2.Scopes = "v2", []string{"new"}
	v2.PrivateKeyPEM = strings.Repeat("k", 3*maxChunk) // a different chunk count
	saveBoth := func(s tokens.Store) error {
		if err := s.Save(ctx, other); err != nil {
			return err
		}
		return s.Save(ctx, v1)
	}
	runCrashCase(t, crashCase{
		name:    "update",
		setup:   saveBoth,
		op:      func(s tokens.Store) error { return s.Save(ctx, v2) },
		states:  map[string]func(*testing.T, tokens.Store) bool{"old": loads(other, v1), "new": loads(other, v2)},
		cleanup: deleteAll("p", "other"),
	})
	runCrashCase(t, crashCase{
		name:    "create",
		setup:   func(s tokens.Store) error { return s.Save(ctx, other) },
		op:      func(s tokens.Store) error { return s.Save(ctx, v2) },
		states:  map[string]func(*testing.T, tokens.Store) bool{"absent": loads(other), "created": loads(other, v2)},
		cleanup: deleteAll("p", "other"),
	})
	runCrashCase(t, crashCase{
		name:    "delete",
		setup:   saveBoth,
		op:      func(s tokens.Store) error { return s.Delete(ctx, "p") },
		states:  map[string]func(*testing.T, tokens.Store) bool{"kept": loads(other, v1), "deleted": loads(other)},
		cleanup: deleteAll("p", "other"),
	})
	tokenIs := func(want *tokens.Token) func(*testing.T, tokens.Store) bool {
		return func(t *testing.T, s tokens.Store) bool {
			got, err := s.LoadToken(ctx, "p")
			return err == nil && reflect.DeepEqual(got, want)
		}
	}
	runCrashCase(t, crashCase{
		name: "token",
		setup: func(s tokens.Store) error {
			if err := saveBoth(s); err != nil {
				return err
			}
			return s.SaveToken(ctx, "p", storetest.FullToken("old"))
		},
		op: func(s tokens.Store) error {
			return s.SaveToken(ctx, "p", storetest.FullToken(strings.Repeat("new", 1000)))
		},
		states:  map[string]func(*testing.T, tokens.Store) bool{"old": tokenIs(storetest.FullToken("old")), "new": tokenIs(storetest.FullToken(strings.Repeat("new", 1000)))},
		cleanup: deleteAll("p", "other"),
	})
}

func TestKeyringStoreCorruptItems(t *testing.T) {
	ctx := context.Background()
	f := newFakeKeyring()
	s := newKeyringStore(f, Options{Service: "svc"})
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	for _, n := range names {
		if err := s.Save(ctx, storetest.FullProfile(n)); err != nil {
			t.Fatal(err)
		}
	}
	alter := func(user string, fn func(string) string) {
		v, ok := f.value("svc", user)
		if !ok {
			t.Fatalf("no item %s", user)
		}
		f.put("svc", user, fn(v))
	}
	// Writes a well-formed record holding value under key.
	putRecord := func(key, value string) {
		h, _ := json.Marshal(recordHeader{V: 1, Gen: 1, N: 1, Len: len(value), SHA256: checksum(value)})
		f.put("svc", key, string(h))
		f.put("svc", chunkKey(key, 1, 0), value)
	}
	alter("profile/b/1/0", func(v string) string { return strings.Replace(v, "client-1", "client-X", 1) })
	f.remove("svc", "profile/c/1/0")
	f.put("svc", "profile/d", "not json")
	alter("profile/e", func(v string) string { return strings.Replace(v, `"v":1`, `"v":2`, 1) })
	putRecord("profile/f", "garbage")
	other, _ := tokens.EncodeProfile(storetest.FullProfile("someone-else"))
	putRecord("profile/g", other)
	f.remove("svc", "profile/h")

	ps, broken, err := s.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || !reflect.DeepEqual(ps[0], storetest.FullProfile("a")) {
		t.Fatalf("Load = %+v, want only a", ps)
	}
	var brokenNames []string
	for _, pe := range broken {
		brokenNames = append(brokenNames, pe.Name)
		if !errors.Is(pe, tokens.ErrCorruptItem) || !strings.Contains(pe.Error(), `profile "`+pe.Name+`"`) {
			t.Errorf("broken %s: %v; want ErrCorruptItem naming the profile", pe.Name, pe)
		}
	}
	if !slices.Equal(brokenNames, names[1:]) {
		t.Fatalf("broken = %q, want %q", brokenNames, names[1:])
	}
	// The user can repair or delete each broken profile; then nothing is left.
	if err := s.Save(ctx, storetest.FullProfile("b")); err != nil {
		t.Fatal(err)
	}
	storetest.MustLoadNames(t, s, "a", "b")
	for _, n := range names {
		if err := s.Delete(ctx, n); err != nil {
			t.Fatalf("Delete(%s): %v", n, err)
		}
	}
	wantUsers(t, f)
}

func TestKeyringStoreCorruptIndex(t *testing.T) {
	ctx := context.Background()
	f := newFakeKeyring()
	s := newKeyringStore(f, Options{Service: "svc"})
	if err := s.Save(ctx, storetest.FullProfile("a")); err != nil {
		t.Fatal(err)
	}
	f.put("svc", "index/1/0", `{"v":1,"profiles":["a","b"]}`) // checksum no longer matches
	before := f.snapshot()
	if _, _, err := s.Load(ctx); !errors.Is(err, tokens.ErrCorruptItem) {
		t.Fatalf("Load with a corrupt index = %v, want ErrCorruptItem", err)
	}
	if err := s.Save(ctx, storetest.FullProfile("c")); !errors.Is(err, tokens.ErrCorruptItem) {
		t.Fatalf("Save with a corrupt index = %v, want ErrCorruptItem", err)
	}
	if err := s.Delete(ctx, "a"); !errors.Is(err, tokens.ErrCorruptItem) {
		t.Fatalf("Delete with a corrupt index = %v, want ErrCorruptItem", err)
	}
	if !reflect.DeepEqual(f.snapshot(), before) {
		t.Fatal("operations on a store with a corrupt index changed items")
	}
}

func TestKeyringStoreCorruptToken(t *testing.T) {
	ctx := context.Background()
	f, s := storeWithProfileP(t)
	f.put("svc", "token/p/1/0", "x")
	_, err := s.LoadToken(ctx, "p")
	var pe *tokens.ProfileError
	if !errors.As(err, &pe) || pe.Name != "p" || !errors.Is(err, tokens.ErrCorruptItem) {
		t.Fatalf("LoadToken of a corrupt token = %v, want a ProfileError for p wrapping ErrCorruptItem", err)
	}
	storetest.MustLoad(t, s, storetest.FullProfile("p"))
	if err := s.SaveToken(ctx, "p", storetest.FullToken("t2")); err != nil {
		t.Fatal(err)
	}
	storetest.MustToken(t, s, "p", storetest.FullToken("t2"))
}

func TestKeyringStoreUnavailable(t *testing.T) {
	ctx := context.Background()
	f := newFakeKeyring()
	s := newKeyringStore(f, Options{Service: "svc"})
	if err := s.Save(ctx, storetest.FullProfile("p")); err != nil {
		t.Fatal(err)
	}
	f.unavailable = unavailable(errors.New("dial unix /nope: connect: no such file or directory"))
	ps, broken, err := s.Load(ctx)
	if !errors.Is(err, tokens.ErrKeyringUnavailable) || ps != nil || broken != nil {
		t.Fatalf("Load = %v, %v, %v; want only ErrKeyringUnavailable", ps, broken, err)
	}
	if !strings.HasPrefix(err.Error(), "OS keyring unavailable: dial unix /nope") {
		t.Errorf("error text %q", err)
	}
	for name, op := range map[string]func() error{
		"Save":      func() error { return s.Save(ctx, storetest.FullProfile("q")) },
		"Delete":    func() error { return s.Delete(ctx, "p") },
		"SaveToken": func() error { return s.SaveToken(ctx, "p", storetest.FullToken("t")) },
		"LoadToken": func() error { _, err := s.LoadToken(ctx, "p"); return err },
	} {
		if err := op(); !errors.Is(err, tokens.ErrKeyringUnavailable) {
			t.Errorf("%s = %v, want ErrKeyringUnavailable", name, err)
		}
	}
}

func TestKeyringStoreCancelledContext(t *testing.T) {
	f := newFakeKeyring()
	s := newKeyringStore(f, Options{Service: "svc"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := s.Load(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Load = %v, want context.Canceled", err)
	}
	if err := s.Save(ctx, storetest.FullProfile("p")); !errors.Is(err, context.Canceled) {
		t.Fatalf("Save = %v, want context.Canceled", err)
	}
	wantUsers(t, f)
}

// storeWithProfileP is a keyring store of service "svc" on a fake keyring,
// holding profile "p" with its token "t".
func storeWithProfileP(t *testing.T) (*fakeKeyring, *keyringStore) {
	t.Helper()
	f := newFakeKeyring()
	s := newKeyringStore(f, Options{Service: "svc"})
	if err := s.Save(context.Background(), storetest.FullProfile("p")); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveToken(context.Background(), "p", storetest.FullToken("t")); err != nil {
		t.Fatal(err)
	}
	return f, s
}
