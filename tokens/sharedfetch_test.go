package tokens

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A "process" in these tests is a caller of one shared memory store, whose
// fetch locks exclude each other as the keyring store's lock files do
// between processes (tokens/keyring tests those, thirty SharedToken callers
// at once, and a holder that dies).

// A process stuck holding the fetch lock delays the others by the wait
// limit at most: then they ask the server themselves.
func TestSharedFetchWaitIsBounded(t *testing.T) {
	shared := NewMemoryStore()
	p := profile("c")
	st := shared
	if err := st.Save(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	stuck, err := shared.(FetchLocker).LockFetch(context.Background(), "c")
	if err != nil {
		t.Fatal(err)
	}
	defer stuck()
	srv := newServer(newClock(), time.Hour)
	s := sharedFetch{cache: st, fetcher: FetcherFunc(srv.Fetch), waitLimit: 50 * time.Millisecond}
	start := time.Now()
	tok, err := s.token(context.Background(), canonical(p), func(t *Token) bool { return t.ValidFor(time.Now(), 0) })
	if err != nil || tok == nil || srv.Calls() != 1 {
		t.Fatalf("with the lock held by a stuck process: %v, %v after %d requests", tok, err, srv.Calls())
	}
	if waited := time.Since(start); waited < 50*time.Millisecond {
		t.Fatalf("fetched after %v, before the wait limit", waited)
	}
	// The caller's own cancellation ends the wait with its error.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	s.waitLimit = time.Hour
	if _, err := s.token(ctx, canonical(p), func(*Token) bool { return false }); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled wait: %v", err)
	}
}

// The edit-between-fetch-and-save race, in one process: the token fetched
// for the old credentials is written after the profile changed, and must
// never be served for the new ones (see fetch_e2e_test.go for the same race
// between two processes and the real keyring).
func TestTokenFetchedBeforeAnEditIsNotServedAfterIt(t *testing.T) {
	shared := NewMemoryStore()
	old := profile("c")
	app := shared
	if err := app.Save(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, ManagerOptions{Cache: app}, old)
	release := e.srv.Hold()
	started := make(chan string, 1)
	e.srv.mu.Lock()
	e.srv.started = started
	e.srv.mu.Unlock()
	done := make(chan *Token)
	go func() { tok, _ := e.m.Token(context.Background(), "c", 0); done <- tok }()
	<-started
	edited := old
	edited.ClientID = "other-client"
	if err := shared.Save(context.Background(), edited); err != nil { // `tokentray edit` meanwhile
		t.Fatal(err)
	}
	release()
	oldTok := <-done
	e.m.Close() // waits for the cache write
	if got, err := shared.LoadToken(context.Background(), "c"); err == nil {
		t.Fatalf("the store serves %q, fetched for the old client ID, for the edited profile", got.AccessToken)
	}
	tok, err := SharedToken(context.Background(), edited, 0, SharedTokenOptions{Cache: shared, Fetcher: FetcherFunc(e.srv.Fetch)})
	if err != nil || tok.AccessToken == oldTok.AccessToken {
		t.Fatalf("token for the edited profile: %v, %v (old credentials' token %q)", tok, err, oldTok.AccessToken)
	}
}
