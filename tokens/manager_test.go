package tokens

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens/testenv"
)

// t0 is the simulated start time of every test.
var t0 = time.Date(2030, 1, 2, 3, 0, 0, 0, time.UTC)

// newClock returns a settable clock reading t0.
func newClock() *testenv.Clock { return testenv.NewClock(t0) }

// fakeServer is a Fetcher issuing numbered tokens of a fixed lifetime by
// the fake clock. Queued errors are returned first, one per fetch; a gate,
// when set, holds every fetch until it is closed or ctx ends.
type fakeServer struct {
	clock    *testenv.Clock
	lifetime time.Duration

	mu       sync.Mutex
	calls    int
	byName   map[string]int
	profiles []Profile // as fetched, in order
	errs     []error
	gate     chan struct{}
	started  chan string // receives the profile name as each fetch starts, if set
	ctxErrs  []error     // ctx.Err() of gated fetches when released
}

func newServer(c *testenv.Clock, lifetime time.Duration) *fakeServer {
	return &fakeServer{clock: c, lifetime: lifetime, byName: map[string]int{}}
}

func (s *fakeServer) Fetch(ctx context.Context, p Profile) (*Token, error) {
	s.mu.Lock()
	s.calls++
	s.byName[p.Name]++
	n := s.calls
	s.profiles = append(s.profiles, p)
	gate, started := s.gate, s.started
	var err error
	if len(s.errs) > 0 {
		err, s.errs = s.errs[0], s.errs[1:]
	}
	s.mu.Unlock()
	if started != nil {
		started <- p.Name
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
		}
		s.mu.Lock()
		s.ctxErrs = append(s.ctxErrs, ctx.Err())
		s.mu.Unlock()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	return &Token{AccessToken: fmt.Sprintf("%s-%d", p.Name, n), TokenType: "Bearer",
		IssuedAt: now, ExpiresAt: now.Add(s.lifetime), ExpirySource: ExpiryFromExpiresIn}, nil
}

func (s *fakeServer) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func (s *fakeServer) CallsFor(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byName[name]
}

func (s *fakeServer) QueueErrors(errs ...error) {
	s.mu.Lock()
	s.errs = append(s.errs, errs...)
	s.mu.Unlock()
}

func (s *fakeServer) Hold() (release func()) {
	g := make(chan struct{})
	s.mu.Lock()
	s.gate = g
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		s.gate = nil
		s.mu.Unlock()
		close(g)
	}
}

func profile(name string) Profile {
	return Profile{Name: name, TokenURL: "https://auth.example.com/oauth/token", ClientID: "id-" + name, ClientSecret: "secret-" + name}
}

type env struct {
	t     *testing.T
	clock *testenv.Clock
	srv   *fakeServer
	m     *Manager
}

// newEnv returns a Manager on a fake clock whose fake server issues tokens
// living one hour. Jitter is fixed at the middle of its range.
func newEnv(t *testing.T, o ManagerOptions, ps ...Profile) *env {
	t.Helper()
	c := newClock()
	srv := newServer(c, time.Hour)
	o.Fetcher = FetcherFunc(srv.Fetch)
	o.Now = c.Now
	if o.rand == nil {
		o.rand = func() float64 { return 0.5 }
	}
	if o.publishEvery == 0 {
		o.publishEvery = -1
	}
	m := NewManager(o)
	t.Cleanup(m.Close)
	if ps != nil {
		m.SetProfiles(ps)
	}
	return &env{t: t, clock: c, srv: srv, m: m}
}

// at sets the clock to t0+d, runs the scheduler once and waits until the
// work it started is done.
func (e *env) at(d time.Duration) {
	e.clock.Set(t0.Add(d))
	e.m.runDue()
	e.m.settle()
}

func (e *env) token(name string, minValid time.Duration) *Token {
	e.t.Helper()
	tok, err := e.m.Token(context.Background(), name, minValid)
	if err != nil {
		e.t.Fatalf("Token(%q): %v", name, err)
	}
	return tok
}

func (e *env) state(name string) *ProfileState {
	e.t.Helper()
	ps, ok := e.m.Snapshot().Find(name)
	if !ok {
		e.t.Fatalf("snapshot has no profile %q", name)
	}
	return ps
}

func TestCachedTokenMakesNoFetch(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	first := e.token("a", time.Minute)
	e.clock.Advance(30 * time.Minute)
	second := e.token("a", time.Minute)
	if second != first || e.srv.Calls() != 1 {
		t.Fatalf("second Token: same=%v, fetches=%d; want the cached token and 1 fetch", second == first, e.srv.Calls())
	}
	if allocs := testing.AllocsPerRun(100, func() { e.token("a", time.Minute) }); allocs != 0 {
		t.Errorf("cached Token allocates %.1f times per call", allocs)
	}
}

func TestMinValidLongerThanRemainingLifeFetches(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	first := e.token("a", 0)
	e.clock.Set(t0.Add(50 * time.Minute)) // 10 minutes left
	if got := e.token("a", 10*time.Minute); got != first {
		t.Fatalf("minValid equal to the remaining life: got a new token")
	}
	got := e.token("a", 11*time.Minute)
	if got == first || e.srv.Calls() != 2 {
		t.Fatalf("minValid beyond the remaining life: fetches=%d, new token=%v", e.srv.Calls(), got != first)
	}
	if !got.ExpiresAt.Equal(t0.Add(110 * time.Minute)) {
		t.Errorf("new token expires %v", got.ExpiresAt)
	}
}

func TestSingleFlight(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	release := e.srv.Hold()
	const n = 1000
	var ready, done sync.WaitGroup
	toks := make([]*Token, n)
	errs := make([]error, n)
	ready.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			ready.Done()
			toks[i], errs[i] = e.m.Token(context.Background(), "a", time.Minute)
		}()
	}
	ready.Wait()
	release()
	done.Wait()
	if c := e.srv.Calls(); c != 1 {
		t.Fatalf("%d callers made %d fetches, want 1", n, c)
	}
	for i := range n {
		if errs[i] != nil || toks[i] != toks[0] || toks[0] == nil {
			t.Fatalf("caller %d: token %p err %v; caller 0 got %p", i, toks[i], errs[i], toks[0])
		}
	}
}

func TestWaiterCancelDoesNotCancelSharedFetch(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	e.srv.started = make(chan string, 1)
	release := e.srv.Hold()
	ctx, cancel := context.WithCancel(context.Background())
	errA := make(chan error, 1)
	go func() {
		_, err := e.m.Token(ctx, "a", 0)
		errA <- err
	}()
	<-e.srv.started
	resB := make(chan *Token, 1)
	go func() { resB <- e.token("a", 0) }()
	cancel()
	if err := <-errA; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled waiter got %v", err)
	}
	release()
	if tok := <-resB; tok == nil || tok.AccessToken != "a-1" {
		t.Fatalf("other waiter got %+v", tok)
	}
	if e.srv.ctxErrs[0] != nil || e.srv.Calls() != 1 {
		t.Fatalf("shared fetch saw ctx error %v after %d fetches", e.srv.ctxErrs[0], e.srv.Calls())
	}
}

func TestProactiveRefreshAtExpiryMinusLead(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	old := e.token("a", 0)
	if next := e.state("a").NextRefresh; !next.Equal(t0.Add(55 * time.Minute)) {
		t.Fatalf("NextRefresh %v, want expiry − 5 min", next)
	}
	e.at(55*time.Minute - time.Nanosecond)
	if e.srv.Calls() != 1 {
		t.Fatalf("refreshed before due")
	}
	release := e.srv.Hold()
	e.srv.started = make(chan string, 1)
	e.clock.Set(t0.Add(55 * time.Minute))
	e.m.runDue()
	<-e.srv.started
	// While the refresh is under way the old token is served.
	if !e.state("a").Refreshing {
		t.Fatal("snapshot does not show the refresh under way")
	}
	if got := e.token("a", time.Minute); got != old {
		t.Fatalf("during refresh got %q, want the old token", got.AccessToken)
	}
	if st := e.state("a").StatusAt(e.clock.Now()); st != StatusRefreshing {
		t.Errorf("status %v during refresh", st)
	}
	release()
	e.m.settle()
	got := e.token("a", time.Minute)
	if e.srv.Calls() != 2 || got == old || !got.IssuedAt.Equal(t0.Add(55*time.Minute)) {
		t.Fatalf("after refresh: fetches=%d token=%+v", e.srv.Calls(), got)
	}
	if ps := e.state("a"); !ps.NextRefresh.Equal(t0.Add(110*time.Minute)) || !ps.LastRefresh.Equal(t0.Add(55*time.Minute)) {
		t.Fatalf("after refresh: next %v last %v", ps.NextRefresh, ps.LastRefresh)
	}
}

func TestLeadCappedAtHalfLifetime(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	e.srv.lifetime = 60 * time.Second
	e.token("a", 0)
	if next := e.state("a").NextRefresh; !next.Equal(t0.Add(30 * time.Second)) {
		t.Fatalf("NextRefresh %v, want issue + 30s", next)
	}
	e.at(29 * time.Second)
	if e.srv.Calls() != 1 {
		t.Fatal("refreshed before half the lifetime")
	}
	e.at(30 * time.Second)
	e.at(60 * time.Second)
	if e.srv.Calls() != 3 {
		t.Fatalf("fetches %d after two half-lifetimes, want 3", e.srv.Calls())
	}
}

func TestManualRefreshProfileIsNotRefreshed(t *testing.T) {
	p := profile("a")
	p.ManualRefresh = true
	e := newEnv(t, ManagerOptions{}, p)
	e.token("a", 0)
	if next := e.state("a").NextRefresh; !next.IsZero() {
		t.Fatalf("manual profile scheduled at %v", next)
	}
	e.at(3 * time.Hour)
	if e.srv.Calls() != 1 {
		t.Fatalf("manual profile fetched %d times", e.srv.Calls())
	}
	e.token("a", 0) // expired: fetched on demand
	if e.srv.Calls() != 2 {
		t.Fatal("expired manual profile not fetched on demand")
	}
}

func TestUnrequestedProfileIsNotFetched(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"), profile("b"))
	e.token("a", 0)
	e.at(3 * time.Hour)
	if n := e.srv.CallsFor("b"); n != 0 {
		t.Fatalf("never requested profile fetched %d times", n)
	}
	if e.srv.CallsFor("a") < 2 {
		t.Fatal("requested profile not refreshed")
	}
}

func TestUnknownProfile(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	_, err := e.m.Token(context.Background(), "nope", 0)
	if !errors.Is(err, ErrUnknownProfile) || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("got %v", err)
	}
	if _, err := e.m.Refresh(context.Background(), "nope"); !errors.Is(err, ErrUnknownProfile) {
		t.Fatalf("Refresh: %v", err)
	}
}

func TestBrokenProfileDoesNotAffectOthers(t *testing.T) {
	bad := profile("bad")
	bad.ClientID = ""
	e := newEnv(t, ManagerOptions{}, profile("a"), bad, profile("b"))
	_, err := e.m.Token(context.Background(), "bad", 0)
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field(FieldClientID) == nil || ve.Profile != "bad" {
		t.Fatalf("broken profile: %v", err)
	}
	if _, err := e.m.Refresh(context.Background(), "bad"); !errors.As(err, &ve) {
		t.Fatalf("Refresh of the broken profile: %v", err)
	}
	e.token("a", 0)
	e.token("b", 0)
	e.at(2 * time.Hour)
	if n := e.srv.CallsFor("bad"); n != 0 {
		t.Fatalf("broken profile fetched %d times", n)
	}
	if e.srv.CallsFor("a") != 2 || e.srv.CallsFor("b") != 2 {
		t.Fatalf("good profiles not refreshed: %v", e.srv.byName)
	}
	ps := e.state("bad")
	if !errors.As(ps.LastError, &ve) || ps.ErrorClass != Permanent || ps.StatusAt(e.clock.Now()) != StatusFailed {
		t.Fatalf("broken profile state %+v", ps)
	}
	// Fixing it makes it usable.
	e.m.Put(profile("bad"))
	if tok := e.token("bad", 0); tok.AccessToken == "" {
		t.Fatal("fixed profile gives no token")
	}
}

func TestRemoveProfile(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"), profile("b"))
	e.token("a", 0)
	e.token("b", 0)
	e.m.Remove("a")
	e.m.Remove("never-there")
	if _, err := e.m.Token(context.Background(), "a", 0); !errors.Is(err, ErrUnknownProfile) {
		t.Fatalf("removed profile: %v", err)
	}
	if _, ok := e.m.Snapshot().Find("a"); ok || len(e.m.Snapshot().Profiles) != 1 {
		t.Fatal("removed profile still in the snapshot")
	}
	e.at(2 * time.Hour)
	if e.srv.CallsFor("a") != 1 || e.srv.CallsFor("b") != 2 {
		t.Fatalf("fetches after removal: %v", e.srv.byName)
	}
	// SetProfiles removes what it does not list, and a waiter of a removed
	// profile's fetch learns it is gone.
	e.srv.started = make(chan string, 1)
	release := e.srv.Hold()
	errc := make(chan error, 1)
	go func() { _, err := e.m.Refresh(context.Background(), "b"); errc <- err }()
	<-e.srv.started
	e.m.SetProfiles([]Profile{profile("c")})
	if err := <-errc; !errors.Is(err, ErrUnknownProfile) {
		t.Fatalf("waiter of a removed profile got %v", err)
	}
	release()
	if names := snapshotNames(e.m.Snapshot()); names != "c" {
		t.Fatalf("profiles after SetProfiles: %s", names)
	}
}

func TestAbsurdExpiryTimes(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("zero"), profile("far"))
	calls := map[string]int{}
	e.m.fetcher = FetcherFunc(func(ctx context.Context, p Profile) (*Token, error) {
		calls[p.Name]++
		if p.Name == "zero" {
			return &Token{AccessToken: "z"}, nil // no expiry at all: year 1
		}
		return &Token{AccessToken: "f", IssuedAt: t0, ExpiresAt: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}, nil
	})
	// A year-1 expiry never passes as cached (and a fresh token is returned
	// even though it is expired, so there is no fetch loop).
	e.token("zero", 0)
	e.token("zero", 0)
	// A year-3000 expiry (beyond int64 nanoseconds) stays cached.
	far := e.token("far", 200*365*24*time.Hour)
	if got := e.token("far", 230*365*24*time.Hour); got != far {
		t.Fatal("far-future token not cached")
	}
	if calls["zero"] != 2 || calls["far"] != 1 {
		t.Fatalf("fetches %v, want zero:2 far:1", calls)
	}
}
