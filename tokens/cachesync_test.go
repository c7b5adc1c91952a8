package tokens

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// fakeCache is an in-memory TokenCache; a gate, when set, holds SaveToken.
type fakeCache struct {
	mu     sync.Mutex
	toks   map[string]*Token
	saves  int
	loads  int
	gate   chan struct{}
	saving chan string
}

func (c *fakeCache) LoadToken(ctx context.Context, name string) (*Token, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.loads++
	if t, ok := c.toks[name]; ok {
		return t, nil
	}
	return nil, fmt.Errorf("token %q: %w", name, ErrNotFound)
}

func (c *fakeCache) SaveToken(ctx context.Context, name string, t *Token) error {
	if c.saving != nil {
		c.saving <- name
	}
	if c.gate != nil {
		select {
		case <-c.gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.saves++
	c.toks[name] = t
	return nil
}

func (c *fakeCache) get(name string) *Token {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.toks[name]
}

func TestCacheSeedsAndSaves(t *testing.T) {
	cached := &Token{AccessToken: "from-cache", IssuedAt: t0.Add(-10 * time.Minute), ExpiresAt: t0.Add(50 * time.Minute),
		RequestFingerprint: profile("a").RequestFingerprint()}
	expired := &Token{AccessToken: "stale", IssuedAt: t0.Add(-2 * time.Hour), ExpiresAt: t0.Add(-time.Hour),
		RequestFingerprint: profile("b").RequestFingerprint()}
	c := &fakeCache{toks: map[string]*Token{"a": cached, "b": expired}}
	e := newEnv(t, ManagerOptions{Cache: c}, profile("a"), profile("b"))
	if tok := e.token("a", time.Minute); tok.AccessToken != "from-cache" || e.srv.Calls() != 0 {
		t.Fatalf("Token with a valid cached token: %q after %d fetches", tok.AccessToken, e.srv.Calls())
	}
	if tok := e.token("b", 0); tok.AccessToken != "b-1" {
		t.Fatalf("expired cached token used: %q", tok.AccessToken)
	}
	e.m.settle()
	if got := c.get("b"); got == nil || got.AccessToken != "b-1" {
		t.Fatalf("fetched token not saved: %+v", got)
	}
	// A seeded token starts auto-refresh.
	if next := e.state("a").NextRefresh; !next.Equal(t0.Add(45 * time.Minute)) {
		t.Fatalf("seeded token due +%v", next.Sub(t0))
	}
	// A changed profile never reuses the cached (old credentials') token,
	// nor do equal re-Puts reload it.
	p := profile("a")
	p.ClientID = "other"
	e.m.Put(p)
	if tok := e.token("a", 0); tok.AccessToken == "from-cache" {
		t.Fatal("changed profile got the cached token of its old version")
	}
	if c.loads != 2 {
		t.Fatalf("%d cache reads, want one per new profile", c.loads)
	}
}

func TestCacheLoadRacingProfileChange(t *testing.T) {
	gate := make(chan struct{})
	c := &gatedLoadCache{fakeCache: fakeCache{toks: map[string]*Token{
		"a": {AccessToken: "old-credentials", IssuedAt: t0, ExpiresAt: t0.Add(time.Hour), RequestFingerprint: profile("a").RequestFingerprint()},
	}}, gate: gate, started: make(chan struct{}, 1)}
	e := newEnv(t, ManagerOptions{Cache: c}, profile("a"))
	<-c.started
	p := profile("a")
	p.ClientSecret = "new"
	e.m.Put(p)
	close(gate)
	e.m.settle()
	if ps := e.state("a"); ps.Token != nil {
		t.Fatalf("cached token of the old version seeded into the new one: %q", ps.Token.AccessToken)
	}
}

type gatedLoadCache struct {
	fakeCache
	gate    chan struct{}
	started chan struct{}
}

func (c *gatedLoadCache) LoadToken(ctx context.Context, name string) (*Token, error) {
	c.started <- struct{}{}
	<-c.gate
	return c.fakeCache.LoadToken(ctx, name)
}

func TestCloseWaitsForCacheWrites(t *testing.T) {
	c := &fakeCache{toks: map[string]*Token{}, gate: make(chan struct{}), saving: make(chan string, 1)}
	e := newEnv(t, ManagerOptions{Cache: c}, profile("a"))
	tok := e.token("a", 0)
	<-c.saving // the write is under way and held
	closed := make(chan struct{})
	go func() { e.m.Close(); close(closed) }()
	for !e.isClosed() {
		runtime.Gosched()
	}
	select {
	case <-closed:
		t.Fatal("Close returned with a cache write pending")
	default:
	}
	close(c.gate)
	<-closed
	if c.get("a") != tok {
		t.Fatal("pending write lost")
	}
	if _, err := e.m.Token(context.Background(), "a", 2*time.Hour); !errors.Is(err, ErrClosed) {
		t.Fatalf("Token after Close: %v", err)
	}
	if got := e.token("a", 0); got != tok {
		t.Fatal("cached token not served after Close")
	}
}

func TestCloseWaitIsBounded(t *testing.T) {
	c := &fakeCache{toks: map[string]*Token{}, gate: make(chan struct{}), saving: make(chan string, 1)}
	e := newEnv(t, ManagerOptions{Cache: c, closeWait: 20 * time.Millisecond}, profile("a"))
	e.token("a", 0)
	<-c.saving
	e.m.Close() // the write never finishes by itself: Close gives up and cancels it
	e.m.settle()
	if c.get("a") != nil {
		t.Fatal("write should have been cancelled")
	}
}

func (e *env) isClosed() bool {
	e.m.mu.Lock()
	defer e.m.mu.Unlock()
	return e.m.closed
}
