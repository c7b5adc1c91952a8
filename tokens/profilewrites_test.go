package tokens

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// writeEnv is a Manager over a memory Store on the fake clock.
func writeEnv(t *testing.T) (*env, Store) {
	t.Helper()
	st := NewMemoryStore()
	return newEnv(t, ManagerOptions{Store: st}), st
}

// A store that refuses the write leaves the Manager as it was.
func TestSaveProfileStoreFailureChangesNothing(t *testing.T) {
	e := newEnv(t, ManagerOptions{Store: failingStore{NewMemoryStore()}})
	if err := e.m.SaveProfile(context.Background(), "", profile("a")); !errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("SaveProfile: %v", err)
	}
	if _, ok := e.m.Snapshot().Find("a"); ok {
		t.Fatal("profile held though the store refused it")
	}
	if _, _, err := NewManager(ManagerOptions{}).LoadProfiles(context.Background()); !errors.Is(err, ErrNoStore) {
		t.Fatalf("LoadProfiles without a store: %v", err)
	}
}

type failingStore struct{ Store }

func (failingStore) Save(context.Context, Profile) error { return ErrKeyringUnavailable }

// The form's Test then Save: the tested token is kept when the request did
// not change, and the profile shows it at once.
func TestSaveProfileKeepsTheTestedToken(t *testing.T) {
	e, st := writeEnv(t)
	ctx := context.Background()
	p := profile("a")
	tested, err := e.m.TryProfile(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.LoadToken(ctx, "a"); err == nil {
		t.Fatal("TryProfile wrote something")
	}
	p.RefreshLead = time.Minute // not part of the request
	if err := e.m.SaveProfile(ctx, "", p); err != nil {
		t.Fatal(err)
	}
	if ps := e.state("a"); ps.Token == nil || ps.Token.AccessToken != tested.AccessToken {
		t.Fatalf("saved profile shows %+v, want the tested token", ps.Token)
	}
	if got := e.token("a", 0); got.AccessToken != tested.AccessToken || e.srv.Calls() != 1 {
		t.Fatalf("token %q after %d fetches, want the tested one and no new fetch", got.AccessToken, e.srv.Calls())
	}
	if cached, err := st.LoadToken(ctx, "a"); err != nil || cached.AccessToken != tested.AccessToken {
		t.Fatalf("tested token not cached: %v, %v", cached, err)
	}

	// Tested with one secret, saved with another: never kept.
	q := profile("q")
	if _, err := e.m.TryProfile(ctx, q); err != nil {
		t.Fatal(err)
	}
	q.ClientSecret = "changed"
	if err := e.m.SaveProfile(ctx, "", q); err != nil {
		t.Fatal(err)
	}
	if ps := e.state("q"); ps.Token != nil {
		t.Fatalf("token tested with the old secret kept: %q", ps.Token.AccessToken)
	}
}

// An add or edit that leaves auto-refresh on fetches at once, without
// anyone asking for the token; one with manual refresh does not.
func TestSavedAutoRefreshProfileFetchesAtOnce(t *testing.T) {
	e, _ := writeEnv(t)
	ctx := context.Background()
	manual := profile("manual")
	manual.ManualRefresh = true
	for _, p := range []Profile{profile("auto"), manual} {
		if err := e.m.SaveProfile(ctx, "", p); err != nil {
			t.Fatal(err)
		}
	}
	e.at(0) // one scheduler pass, as Run makes when woken
	if ps := e.state("auto"); ps.Token == nil {
		t.Fatal("added auto-refresh profile has no token after the scheduler ran")
	}
	if n := e.srv.CallsFor("manual"); n != 0 {
		t.Fatalf("manual-refresh profile fetched %d times", n)
	}
	// Editing the credentials drops the token and fetches again at once.
	p := profile("auto")
	p.ClientSecret = "rotated"
	if err := e.m.SaveProfile(ctx, "auto", p); err != nil {
		t.Fatal(err)
	}
	e.at(time.Second)
	if ps := e.state("auto"); ps.Token == nil || e.srv.CallsFor("auto") != 2 {
		t.Fatalf("edited profile: token %v after %d fetches, want a new one", ps.Token, e.srv.CallsFor("auto"))
	}
}

// Reloads go through the same path: the store's set becomes the engine's.
func TestLoadProfilesReplacesTheSet(t *testing.T) {
	e, st := writeEnv(t)
	ctx := context.Background()
	e.m.Put(profile("stale"))
	for _, p := range []Profile{profile("a"), profile("b")} {
		if err := st.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	ps, broken, err := e.m.LoadProfiles(ctx)
	if err != nil || len(broken) != 0 || len(ps) != 2 {
		t.Fatalf("LoadProfiles = %v, %v, %v", ps, broken, err)
	}
	snap := e.m.Snapshot()
	if len(snap.Profiles) != 2 || snap.Profiles[0].Profile.Name != "a" || snap.Profiles[1].Profile.Name != "b" {
		t.Fatalf("held after a reload: %+v", snap.Profiles)
	}
}

// repairingStore is a memory Store whose Repair makes a hidden profile
// visible, as the keyring store's does when its index lost a name.
type repairingStore struct {
	Store
	hidden  Profile
	repairs int
}

func (r *repairingStore) Repair(ctx context.Context) (RepairReport, error) {
	r.repairs++
	if err := r.Store.Save(ctx, r.hidden); err != nil {
		return RepairReport{}, err
	}
	return RepairReport{Profiles: []string{r.hidden.Name}, Added: []string{r.hidden.Name}}, nil
}

// RepairStore repairs and then loads, so the engine holds what came back;
// a Store that cannot repair says so.
func TestRepairStoreLoadsWhatCameBack(t *testing.T) {
	st := &repairingStore{Store: NewMemoryStore(), hidden: profile("lost")}
	e := newEnv(t, ManagerOptions{Store: st})
	rep, err := e.m.RepairStore(context.Background())
	if err != nil || st.repairs != 1 || !slices.Equal(rep.Added, []string{"lost"}) {
		t.Fatalf("RepairStore = %+v, %v after %d repairs", rep, err, st.repairs)
	}
	if _, ok := e.m.Snapshot().Find("lost"); !ok {
		t.Fatal("the repaired profile is not in the engine's set")
	}
	plain, _ := writeEnv(t)
	if _, err := plain.m.RepairStore(context.Background()); !errors.Is(err, ErrCannotList) {
		t.Fatalf("RepairStore over a memory store = %v, want ErrCannotList", err)
	}
}
