package keyring

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/storetest"
	"github.com/tokentray/tokentray/tokens/testenv"
)

// inlineStore is the store NewStore makes, over api: it writes small
// records inline (format version 2) and migrates chunked ones it reads.
func inlineStore(api keyringAPI, service string) *keyringStore {
	s := newKeyringStore(api, Options{Service: service})
	s.inlineMax, s.migrates = maxChunk, true
	return s
}

func TestKeyringStoreContractInline(t *testing.T) {
	storetest.Run(t, func(*testing.T) tokens.Store { return inlineStore(newFakeKeyring(), "svc") })
}

// oldStore writes profiles a (with a token) and b as the store did before
// format version 2 (newKeyringStore's defaults: every record chunked).
func oldStore(t *testing.T, api keyringAPI, service string) *keyringStore {
	t.Helper()
	ctx := context.Background()
	old := newKeyringStore(api, Options{Service: service})
	for _, n := range []string{"a", "b"} {
		if err := old.Save(ctx, storetest.FullProfile(n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := old.SaveToken(ctx, "a", storetest.FullToken("tok-a")); err != nil {
		t.Fatal(err)
	}
	return old
}

func TestKeyringStoreReadsAndMigratesAnOldStore(t *testing.T) {
	ctx := context.Background()
	f := newFakeKeyring()
	old := oldStore(t, f, "svc")
	wantUsers(t, f, "index", "index/2/0", "profile/a", "profile/a/1/0", "profile/b", "profile/b/1/0", "token/a", "token/a/1/0")
	wantProfiles, _, _ := old.Load(ctx)
	wantToken, _ := old.LoadToken(ctx, "a")

	s := inlineStore(f, "svc")
	c, err := s.LoadCached(ctx, "a")
	if err != nil || !reflect.DeepEqual(c.Profile, wantProfiles[0]) || c.TokenErr != nil || !reflect.DeepEqual(c.Token, wantToken) {
		t.Fatalf("LoadCached of an old store = %+v, %v", c, err)
	}
	// The records read are inline now, their chunks gone; b was not read.
	wantUsers(t, f, "index", "profile/a", "profile/b", "profile/b/1/0", "token/a")
	for _, key := range []string{"index", "profile/a", "token/a"} {
		raw, _ := f.value("svc", key)
		var h recordHeader
		if err := json.Unmarshal([]byte(raw), &h); err != nil || h.V != 2 || h.Value == nil || h.Gen < 2 {
			t.Errorf("%s after migration: %s", key, raw)
		}
	}
	all, broken, err := s.LoadAllCached(ctx)
	if err != nil || len(broken) != 0 || len(all) != 2 || !reflect.DeepEqual(all[1].Profile, wantProfiles[1]) || !errors.Is(all[1].TokenErr, tokens.ErrNotFound) {
		t.Fatalf("LoadAllCached = %+v, %v, %v", all, broken, err)
	}
	wantUsers(t, f, "index", "profile/a", "profile/b", "token/a")

	// Every way of reading gives what the old store wrote.
	ps, broken, err := s.Load(ctx)
	if err != nil || len(broken) != 0 || !reflect.DeepEqual(ps, wantProfiles) {
		t.Fatalf("Load after migration = %+v, %v, %v", ps, broken, err)
	}
	if tok, err := s.LoadToken(ctx, "a"); err != nil || !reflect.DeepEqual(tok, wantToken) {
		t.Fatalf("LoadToken after migration = %+v, %v", tok, err)
	}
	// A value too big to inline is written chunked, and the inline header
	// it replaces leaves nothing behind.
	big := storetest.FullProfile("a")
	big.Scopes = []string{strings.Repeat("s", 2*maxChunk)}
	if err := s.Save(ctx, big); err != nil {
		t.Fatal(err)
	}
	wantUsers(t, f, "index", "profile/a", "profile/a/3/0", "profile/a/3/1", "profile/a/3/2", "profile/b", "token/a")
	if c, err := s.LoadCached(ctx, "a"); err != nil || !reflect.DeepEqual(c.Profile.Scopes, big.Scopes) {
		t.Fatalf("big profile read back: %+v, %v", c.Profile.Scopes, err)
	}
}

// TestKeyringStoreMigrationWaitsForNoWriter: a read migrates only when it
// gets the cross-process write lock at once; a read never waits long
// behind another process's write, and the store stays chunked (and
// readable) until a later read.
func TestKeyringStoreMigrationWaitsForNoWriter(t *testing.T) {
	ctx := context.Background()
	f := newFakeKeyring()
	oldStore(t, f, "svc")
	s := inlineStore(f, "svc")
	held := make(chan struct{})
	s.writes = blockingLock{held}
	if _, err := s.LoadCached(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.value("svc", "profile/a/1/0"); !ok {
		t.Fatal("migrated without the write lock")
	}
}

// blockingLock is a write lock another process holds until ctx ends.
type blockingLock struct{ held chan struct{} }

func (l blockingLock) lock(ctx context.Context) (func(), error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestKeyringStoreLoadCachedFollowsTheIndex(t *testing.T) {
	ctx := context.Background()
	f := newFakeKeyring()
	s := inlineStore(f, "svc")
	if err := s.Save(ctx, storetest.FullProfile("a")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadCached(ctx, "nope"); !errors.Is(err, tokens.ErrNotFound) {
		t.Fatalf("missing profile: %v", err)
	}
	c, err := s.LoadCached(ctx, "a")
	if err != nil || c.Token != nil || !errors.Is(c.TokenErr, tokens.ErrNotFound) {
		t.Fatalf("no token yet: %+v, %v", c, err)
	}
	// A profile record the index does not list (an interrupted Delete) does not exist.
	raw, _ := f.value("svc", "profile/a")
	f.put("svc", "profile/x", strings.Replace(raw, `\"name\":\"a\"`, `\"name\":\"x\"`, 1))
	if _, err := s.LoadCached(ctx, "x"); !errors.Is(err, tokens.ErrNotFound) {
		t.Fatalf("unlisted profile record: %v", err)
	}
	// A token fetched with another request is not handed out.
	tok := storetest.FullToken("tok")
	if err := s.SaveToken(ctx, "a", tok); err != nil {
		t.Fatal(err)
	}
	p := storetest.FullProfile("a")
	p.Scopes = []string{"other"}
	if err := s.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	c, err = s.LoadCached(ctx, "a")
	if err != nil || c.Token != nil || !errors.Is(c.TokenErr, tokens.ErrNotFound) {
		t.Fatalf("token of another request: %+v, %v", c.Token, err)
	}
	// A listed profile whose record is damaged is its own error.
	f.put("svc", "profile/a", `{"v":2,"gen":9,"value":"{"}`)
	var pe *tokens.ProfileError
	if _, err := s.LoadCached(ctx, "a"); !errors.As(err, &pe) || !errors.Is(err, tokens.ErrCorruptItem) {
		t.Fatalf("damaged profile: %v", err)
	}
}

// TestKeyringRealReadsAndMigratesAnOldStore: the same on the real Secret
// Service, through the batched reader (one session, pipelined searches,
// one GetSecrets), checked independently with secret-tool.
func TestKeyringRealReadsAndMigratesAnOldStore(t *testing.T) {
	testenv.RequireSession(t, sessionHint)
	service := realService(t)
	ctx := context.Background()
	old := oldStore(t, osKeyring{}, service)
	wantProfiles, _, _ := old.Load(ctx)
	wantToken, _ := old.LoadToken(ctx, "a")

	s := realStore(service)
	s.inlineMax, s.migrates = platformInlineMax(), true
	all, broken, err := s.LoadAllCached(ctx)
	if err != nil || len(broken) != 0 || len(all) != 2 || !reflect.DeepEqual([]tokens.Profile{all[0].Profile, all[1].Profile}, wantProfiles) ||
		!reflect.DeepEqual(all[0].Token, wantToken) || !errors.Is(all[1].TokenErr, tokens.ErrNotFound) {
		t.Fatalf("LoadAllCached of an old store = %+v, %v, %v", all, broken, err)
	}
	if got, want := storedUsers(t, service), []string{"index", "profile/a", "profile/b", "token/a"}; !slices.Equal(got, want) {
		t.Fatalf("items after migration = %q, want %q", got, want)
	}
	c, err := s.LoadCached(ctx, "a")
	if err != nil || !reflect.DeepEqual(c.Profile, wantProfiles[0]) || !reflect.DeepEqual(c.Token, wantToken) {
		t.Fatalf("LoadCached after migration = %+v, %v", c, err)
	}
	if ps, _, err := s.Load(ctx); err != nil || !reflect.DeepEqual(ps, wantProfiles) {
		t.Fatalf("Load after migration = %+v, %v", ps, err)
	}
}

func TestKeyringRealContractInline(t *testing.T) {
	testenv.RequireSession(t, sessionHint)
	storetest.Run(t, func(t *testing.T) tokens.Store {
		s := realStore(realService(t))
		s.inlineMax, s.migrates = platformInlineMax(), true
		return s
	})
}

// storedUsers lists service's items as the OS keyring holds them: through
// secret-tool on Linux (a client other than ours), through the Credential
// Manager's enumeration elsewhere (under Wine there is no secret-tool).
func storedUsers(t *testing.T, service string) []string {
	t.Helper()
	if runtime.GOOS == "linux" {
		return secretToolUsers(t, service)
	}
	lister, ok := any(osKeyring{}).(itemLister)
	if !ok {
		t.Skip("this OS keyring cannot list its items (macOS)")
	}
	users, err := lister.List(service)
	if err != nil {
		t.Fatalf("listing %s: %v", service, err)
	}
	slices.Sort(users)
	return users
}
