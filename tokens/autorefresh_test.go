package tokens

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens/testenv"
)

// blockingFetcher counts the fetches in flight with atomics, records the
// peak, and holds every fetch until release is closed.
type blockingFetcher struct {
	clock    *testenv.Clock
	release  chan struct{}
	entered  chan string // each fetch's profile name as it starts
	inFlight atomic.Int64
	peak     atomic.Int64

	mu     sync.Mutex
	byName map[string]int
}

func (f *blockingFetcher) Fetch(ctx context.Context, p Profile) (*Token, error) {
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for old := f.peak.Load(); n > old && !f.peak.CompareAndSwap(old, n); old = f.peak.Load() {
	}
	f.mu.Lock()
	f.byName[p.Name]++
	f.mu.Unlock()
	f.entered <- p.Name
	select {
	case <-f.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	now := f.clock.Now()
	return &Token{AccessToken: "at-" + p.Name, TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour),
		ExpirySource: ExpiryFromExpiresIn}, nil
}

// gatedCache holds every LoadToken until open is closed; it holds one
// valid token, for the profile "cached".
type gatedCache struct {
	open   chan struct{}
	cached *Token
}

func (c *gatedCache) LoadToken(ctx context.Context, name string) (*Token, error) {
	select {
	case <-c.open:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if name == "cached" {
		return c.cached, nil
	}
	return nil, fmt.Errorf("token %q: %w", name, ErrNotFound)
}

func (c *gatedCache) SaveToken(context.Context, string, *Token) error { return nil }

// StartAutoRefresh wants a token for every auto-refresh profile, and the
// scheduler fetches them no more than maxInFlight at once: the fetcher
// measures the fetches in flight. A profile whose cached token was still
// being read is fetched once the read finds none; one whose read finds a
// valid token, a manual-refresh profile and an invalid one are not fetched.
func TestStartAutoRefreshBoundsConcurrentFetches(t *testing.T) {
	const auto = 3*defaultMaxInFlight + 1 // more than the bound, not a multiple
	clock := testenv.NewClock(time.Date(2030, 1, 2, 3, 0, 0, 0, time.UTC))
	f := &blockingFetcher{clock: clock, release: make(chan struct{}), entered: make(chan string, 100), byName: map[string]int{}}
	mk := func(name string) Profile {
		return Profile{Name: name, TokenURL: "https://auth.example.com/oauth/token", ClientID: "id-" + name, ClientSecret: "s"}
	}
	var ps []Profile
	for i := range auto {
		ps = append(ps, mk(fmt.Sprintf("auto-%02d", i)))
	}
	manual, invalid, cached := mk("manual"), mk("invalid"), mk("cached")
	manual.ManualRefresh = true
	invalid.ClientID = ""
	ps = append(ps, manual, invalid, cached)
	cache := &gatedCache{open: make(chan struct{}), cached: &Token{AccessToken: "from-cache", IssuedAt: clock.Now(),
		ExpiresAt: clock.Now().Add(time.Hour), RequestFingerprint: cached.RequestFingerprint()}}
	m := NewManager(ManagerOptions{Fetcher: f, Cache: cache, Now: clock.Now, publishEvery: -1})
	t.Cleanup(m.Close)

	m.SetProfiles(ps)
	m.StartAutoRefresh() // while the cache reads are held: nothing is wanted yet
	m.runDue()
	if n := f.inFlight.Load(); n != 0 {
		t.Fatalf("%d fetches before the cached tokens were read", n)
	}
	close(cache.open)
	m.settle() // the cache reads end; no Run, so no fetch yet
	m.mu.Lock()
	due := m.due.countDue(clock.Now().UnixNano(), len(ps))
	m.mu.Unlock()
	if due != auto {
		t.Fatalf("%d profiles due after the cache reads, want the %d auto-refresh ones without a cached token", due, auto)
	}
	m.runDue() // one scheduler pass, as Run makes
	for range defaultMaxInFlight {
		<-f.entered
	}
	// Every background goroutine of the Manager is now inside a fetch, so
	// none can start another before one ends.
	if n := m.active.Load(); n != defaultMaxInFlight {
		t.Fatalf("%d background goroutines with %d fetches held", n, defaultMaxInFlight)
	}
	m.runDue() // a pass with the workers busy starts nothing
	if n := m.active.Load(); n != defaultMaxInFlight {
		t.Fatalf("a second pass started more work: %d goroutines", n)
	}
	close(f.release)
	m.settle()
	if got := f.peak.Load(); got != defaultMaxInFlight {
		t.Errorf("peak %d fetches in flight, want the bound %d", got, defaultMaxInFlight)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range ps[:auto] {
		if f.byName[p.Name] != 1 {
			t.Errorf("%s fetched %d times, want once", p.Name, f.byName[p.Name])
		}
	}
	for _, name := range []string{"manual", "invalid", "cached"} {
		if f.byName[name] != 0 {
			t.Errorf("%s fetched", name)
		}
	}
	if tok, err := m.Token(context.Background(), "cached", 0); err != nil || tok.AccessToken != "from-cache" {
		t.Errorf("cached profile: %v, %v", tok, err)
	}
	ps0, _ := m.Snapshot().Find("auto-00")
	if ps0.NextRefresh.IsZero() {
		t.Error("no refresh scheduled after the first token: auto-refresh is not on")
	}
}
