package tokens_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/storetest"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

func TestSaveProfileWritesTheStoreThenTheSet(t *testing.T) {
	st := tokens.NewMemoryStore()
	fetcher := &tokentest.CountingFetcher{}
	m := tokens.NewManager(tokens.ManagerOptions{Fetcher: fetcher, Store: st})
	t.Cleanup(m.Close)
	ctx := context.Background()
	if err := m.SaveProfile(ctx, "", tokentest.Profile("a")); err != nil {
		t.Fatal(err)
	}
	storetest.MustLoadNames(t, st, "a")
	if _, ok := m.Snapshot().Find("a"); !ok {
		t.Fatal("saved profile not held")
	}

	// A rename moves the profile in both, and the token with it when the
	// request is the same: no new fetch.
	tok, err := m.Token(ctx, "a", 0)
	if err != nil {
		t.Fatal(err)
	}
	b := tokentest.Profile("a")
	b.Name = "b"
	if err := m.SaveProfile(ctx, "a", b); err != nil {
		t.Fatal(err)
	}
	storetest.MustLoadNames(t, st, "b")
	if _, ok := m.Snapshot().Find("a"); ok {
		t.Fatal("old name still held after a rename")
	}
	if got, err := m.Token(ctx, "b", 0); err != nil || got != tok || fetcher.Requests() != 1 {
		t.Fatalf("renamed profile: token %v, %v after %d fetches, want the old one kept", got, err, fetcher.Requests())
	}
	if cached, err := st.LoadToken(ctx, "b"); err != nil || cached.AccessToken != tok.AccessToken {
		t.Fatalf("kept token not cached under the new name: %v, %v", cached, err)
	}

	// An invalid profile is refused before anything is written.
	bad := tokentest.Profile("c")
	bad.ClientID = ""
	var ve *tokens.ValidationError
	if err := m.SaveProfile(ctx, "", bad); !errors.As(err, &ve) {
		t.Fatalf("SaveProfile of an invalid profile: %v", err)
	}
	storetest.MustLoadNames(t, st, "b")

	// Delete removes from both; a profile already gone from the store is
	// forgotten all the same, with ErrNotFound.
	if err := m.DeleteProfile(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	storetest.MustLoadNames(t, st)
	m.Put(tokentest.Profile("ghost"))
	if err := m.DeleteProfile(ctx, "ghost"); !errors.Is(err, tokens.ErrNotFound) {
		t.Fatalf("DeleteProfile of a profile missing from the store: %v", err)
	}
	if _, ok := m.Snapshot().Find("ghost"); ok {
		t.Fatal("profile missing from the store still held")
	}
}
