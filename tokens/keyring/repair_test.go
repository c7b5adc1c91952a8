package keyring

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/storetest"
)

func TestRepairOverFake(t *testing.T) {
	f := newFakeKeyring()
	checkRepair(t, f, "svc", func() *keyringStore { return newKeyringStore(f, Options{Service: "svc"}) })
}

// A keyring that cannot list (macOS) says so, and changes nothing.
func TestRepairWithoutListing(t *testing.T) {
	f := newFakeKeyring()
	s := newKeyringStore(struct{ keyringAPI }{f}, Options{Service: "svc"})
	if err := s.Save(context.Background(), storetest.FullProfile("a")); err != nil {
		t.Fatal(err)
	}
	before := f.snapshot()
	if _, err := s.Repair(context.Background()); !errors.Is(err, tokens.ErrCannotList) {
		t.Fatalf("Repair = %v, want ErrCannotList", err)
	}
	if !reflect.DeepEqual(f.snapshot(), before) {
		t.Fatal("Repair changed the keyring")
	}
}

// checkRepair is the repair scenario, run over the fake and over the real
// keyring: api writes damage straight into the keyring, newStore opens the
// store again as a new process would.
func checkRepair(t *testing.T, api keyringAPI, service string, newStore func() *keyringStore) {
	t.Helper()
	ctx := context.Background()
	s := newStore()
	names := []string{"a", "b", "c d/e"} // one name escaped in its item names
	for _, n := range names {
		if err := s.Save(ctx, storetest.FullProfile(n)); err != nil {
			t.Fatal(err)
		}
	}
	tok := storetest.TokenFor(storetest.FullProfile("a"), "tok-a")
	if err := s.SaveToken(ctx, "a", tok); err != nil {
		t.Fatal(err)
	}
	// Another service's profile must not be picked up.
	other := newKeyringStore(api, Options{Service: service + "-other"})
	if err := other.Save(ctx, storetest.FullProfile("stranger")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Delete(ctx, "stranger") })

	// A profile-like item with a name no Tokentray writes (over the name
	// limit) is left alone and only counted.
	long := strings.Repeat("x", tokens.MaxNameLen+1)
	if err := api.Set(service, profileKey(long), "planted"); err != nil {
		t.Fatal(err)
	}

	// A healthy store: nothing to do, nothing written.
	rep, err := s.Repair(ctx)
	if err != nil || rep.Changed() || !slices.Equal(rep.Profiles, names) || len(rep.Broken) != 0 || rep.Ignored != 1 {
		t.Fatalf("healthy store: %+v, %v", rep, err)
	}

	// The index header damaged: every profile is out of reach, and the
	// error says why.
	if err := api.Set(service, indexKey, "\x00garbage"); err != nil {
		t.Fatal(err)
	}
	s = newStore()
	if _, _, err := s.Load(ctx); !errors.Is(err, tokens.ErrDamagedIndex) || !errors.Is(err, tokens.ErrCorruptItem) {
		t.Fatalf("Load with a damaged index = %v, want ErrDamagedIndex", err)
	}
	if err := s.Save(ctx, storetest.FullProfile("new")); !errors.Is(err, tokens.ErrDamagedIndex) {
		t.Fatalf("Save with a damaged index = %v, want ErrDamagedIndex", err)
	}
	rep, err = s.Repair(ctx)
	if err != nil || !rep.ListWasDamaged || !slices.Equal(rep.Profiles, names) || !slices.Equal(rep.Added, names) || len(rep.Dropped) != 0 {
		t.Fatalf("Repair of a damaged index = %+v, %v", rep, err)
	}
	s = newStore()
	ps, broken, err := s.Load(ctx)
	if err != nil || len(broken) != 0 || len(ps) != len(names) {
		t.Fatalf("Load after Repair = %d profiles, broken %v, %v", len(ps), broken, err)
	}
	for i, n := range names {
		if !reflect.DeepEqual(ps[i], storetest.FullProfile(n)) {
			t.Errorf("profile %q not restored as it was: %+v", n, ps[i])
		}
	}
	storetest.MustToken(t, s, "a", tok)

	// A stale index: one profile unlisted, one listed without its item,
	// one profile item damaged (kept, and reported).
	if err := s.writeIndex(ctx, []string{"a", "c d/e", "ghost"}); err != nil {
		t.Fatal(err)
	}
	if err := api.Set(service, profileKey("c d/e"), `{"v":1}`); err != nil {
		t.Fatal(err)
	}
	rep, err = s.Repair(ctx)
	if err != nil || rep.ListWasDamaged || !slices.Equal(rep.Profiles, names) ||
		!slices.Equal(rep.Added, []string{"b"}) || !slices.Equal(rep.Dropped, []string{"ghost"}) ||
		len(rep.Broken) != 1 || rep.Broken[0].Name != "c d/e" || !errors.Is(rep.Broken[0], tokens.ErrCorruptItem) {
		t.Fatalf("Repair of a stale index = %+v, %v", rep, err)
	}
	ps, broken, err = newStore().Load(ctx)
	if err != nil || len(ps) != 2 || ps[0].Name != "a" || ps[1].Name != "b" || len(broken) != 1 || broken[0].Name != "c d/e" {
		t.Fatalf("Load after Repair = %v, broken %v, %v", ps, broken, err)
	}
	// The damaged one can be removed as usual.
	for _, n := range names {
		if err := s.Delete(ctx, n); err != nil {
			t.Fatalf("Delete %q: %v", n, err)
		}
	}
	if err := api.Delete(service, profileKey(long)); err != nil {
		t.Fatalf("the long-named item: %v", err)
	}
}
