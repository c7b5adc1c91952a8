package ui

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/tokentray/tokentray/tokens"
)

// The form against the real engine: Save keeps the token Test obtained
// when the request did not change (one request in all, shown at once), and
// a profile added without Test gets its token right away, without a reload.
func TestFormSaveWithTheRealEngine(t *testing.T) {
	var requests atomic.Int32
	fetcher := tokens.FetcherFunc(func(ctx context.Context, p tokens.Profile) (*tokens.Token, error) {
		n := requests.Add(1)
		now := time.Now()
		return &tokens.Token{AccessToken: fmt.Sprintf("T%d", n), TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}, nil
	})
	store := tokens.NewMemoryStore()
	mgr := tokens.NewManager(tokens.ManagerOptions{Fetcher: fetcher, Store: store})
	ctx, cancel := context.WithCancel(context.Background())
	go mgr.Run(ctx)
	t.Cleanup(func() { cancel(); mgr.Close() })

	h, f := openForm(t, Options{Engine: mgr, TestProfiles: true}, "")
	fillValid(f)
	test.Tap(f.testBtn)
	h.settle()
	test.Tap(f.saveBtn)
	h.settle()
	ps, ok := mgr.Snapshot().Find("dev-api")
	if !ok || ps.Token == nil || ps.Token.AccessToken != "T1" || requests.Load() != 1 {
		t.Fatalf("after Test then Save: %+v after %d requests, want the tested token T1 and no second request", ps, requests.Load())
	}
	if cached, err := store.LoadToken(context.Background(), "dev-api"); err != nil || cached.AccessToken != "T1" {
		t.Fatalf("tested token not cached in the store: %v, %v", cached, err)
	}

	// Added without Test: the engine fetches at once.
	saved := make(chan error, 1)
	h.c.saveProfile("", tokens.Profile{Name: "second", TokenURL: "https://auth.example.com/t", ClientID: "c2", ClientSecret: "s2"},
		func(err error) { saved <- err })
	h.settle()
	if err := <-saved; err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if ps, ok := mgr.Snapshot().Find("second"); ok && ps.Token != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a profile added in the window has no token until something else asks for one")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
