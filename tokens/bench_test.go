package tokens

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// BenchmarkCachedToken measures Token serving a cached token from many
// goroutines at once, with the real clock (Now nil: time.Now), and reports
// its cost as a multiple of one time.Now() measured the same way in the
// same run ("x-time.Now", goal ≤ 2.5). Goal: 0 allocs/op.
func BenchmarkCachedToken(b *testing.B) {
	m := NewManager(ManagerOptions{Fetcher: FetcherFunc(func(ctx context.Context, p Profile) (*Token, error) {
		t := time.Now()
		return &Token{AccessToken: "tok", IssuedAt: t, ExpiresAt: t.Add(time.Hour)}, nil
	})})
	defer m.Close()
	m.SetProfiles([]Profile{profile("p")})
	ctx := context.Background()
	if _, err := m.Token(ctx, "p", time.Minute); err != nil {
		b.Fatal(err)
	}
	// time.Now under the same load, as the yardstick.
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var t time.Time
		for pb.Next() {
			t = time.Now()
		}
		_ = t
	})
	nowCost := time.Since(start)
	b.ReportAllocs()
	b.ResetTimer()
	start = time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if t, err := m.Token(ctx, "p", time.Minute); err != nil || t == nil {
				b.Error("no cached token:", err)
				return
			}
		}
	})
	b.ReportMetric(float64(time.Since(start))/float64(nowCost), "x-time.Now")
}

// BenchmarkReuseTokenSource is for comparison: golang.org/x/oauth2's
// ReuseTokenSource serving its cached token the same way.
func BenchmarkReuseTokenSource(b *testing.B) {
	src := oauth2.ReuseTokenSource(&oauth2.Token{AccessToken: "tok", TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)},
		failingSource{})
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if t, err := src.Token(); err != nil || t == nil {
				b.Error("no cached token:", err)
				return
			}
		}
	})
}

type failingSource struct{}

func (failingSource) Token() (*oauth2.Token, error) { return nil, errors.New("not expected") }

// The cached read neither allocates nor waits for the Manager's lock.
func TestCachedTokenTakesNoLockAndNoAllocation(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("p"))
	e.token("p", 0)
	ctx := context.Background()
	if n := testing.AllocsPerRun(100, func() { _, _ = e.m.Token(ctx, "p", time.Minute) }); n != 0 {
		t.Errorf("cached Token allocates %v times", n)
	}
	e.m.mu.Lock()
	done := make(chan *Token)
	go func() { tok, _ := e.m.Token(ctx, "p", time.Minute); done <- tok }()
	select {
	case tok := <-done:
		if tok == nil {
			t.Error("no token")
		}
	case <-time.After(10 * time.Second):
		t.Error("cached Token waited for the Manager's lock")
	}
	e.m.mu.Unlock()
}

// thousandCallers has 1,000 goroutines ask at once for the token of a
// profile whose token has expired, and returns the requests made.
func thousandCallers(tb testing.TB) int {
	e := &env{clock: newClock()}
	e.srv = newServer(e.clock, time.Hour)
	e.m = NewManager(ManagerOptions{Fetcher: FetcherFunc(e.srv.Fetch), Now: e.clock.Now})
	defer e.m.Close()
	e.m.SetProfiles([]Profile{profile("p")})
	if _, err := e.m.Token(context.Background(), "p", 0); err != nil {
		tb.Fatal(err)
	}
	e.clock.Advance(2 * time.Hour) // expired
	release := e.srv.Hold()
	before := e.srv.Calls()
	var wg sync.WaitGroup
	var failed atomic.Int32
	start := make(chan struct{})
	for range 1000 {
		wg.Go(func() {
			<-start
			if tok, err := e.m.Token(context.Background(), "p", time.Minute); err != nil || !tok.ValidFor(e.clock.Now(), time.Minute) {
				failed.Add(1)
			}
		})
	}
	close(start)
	for e.srv.Calls() == before {
		runtime.Gosched()
	}
	time.Sleep(10 * time.Millisecond) // let the callers pile up on the fetch
	release()
	wg.Wait()
	if failed.Load() > 0 {
		tb.Fatalf("%d callers got no valid token", failed.Load())
	}
	return e.srv.Calls() - before
}

func TestThousandCallersOnAnExpiredTokenMakeOneRequest(t *testing.T) {
	if n := thousandCallers(t); n != 1 {
		t.Fatalf("1,000 concurrent callers made %d requests, want 1", n)
	}
}

// BenchmarkThousandCallersExpiredToken reports the requests 1,000
// concurrent callers make for one expired token (goal: 1).
func BenchmarkThousandCallersExpiredToken(b *testing.B) {
	n := 0
	for b.Loop() {
		n = thousandCallers(b)
	}
	b.ReportMetric(float64(n), "requests")
}

// TestManyProfilesInSimulatedTime runs 1,000 profiles through four hours
// of simulated time: every token (lifetimes 30–119 minutes, all first
// fetched at once) must be refreshed at least twice by the scheduler,
// stepped every CheckInterval like Run, and never only after it expired.
// A subscriber takes snapshots throughout, as the tray does. The extra
// goroutines stay within a fixed bound whatever the number of profiles.
func TestManyProfilesInSimulatedTime(t *testing.T) {
	if testing.Short() {
		t.Skip("four simulated hours of 1,000 profiles")
	}
	r := runManyProfiles(t, 1000, nil)
	if r.missed != 0 || r.notRefreshed != 0 {
		t.Errorf("%d refreshes came after expiry (or tokens invalid at the end), %d profiles refreshed fewer than twice", r.missed, r.notRefreshed)
	}
	// The Manager's own goroutines (goBackground) stay within the workers,
	// the seeders (cache reads) and the one flight of a caller, whatever the number
	// of profiles. runtime.NumGoroutine is no measure of that at the peak:
	// under CPU load it counted up to 36 while the Manager ran at most 8,
	// the rest being goroutines past their last line that the runtime had
	// not yet reclaimed (it is reported by the benchmark). At the end, with
	// everything settled: the notifier, the test's subscriber, and a
	// goroutine that may still be returning.
	if bound := defaultMaxInFlight + maxSeeders + 1; r.peakManager > bound || r.endGoroutines > 3 {
		t.Errorf("goroutines: the Manager ran %d at once (bound %d); %d at the end (bound 3)", r.peakManager, bound, r.endGoroutines)
	}
	if r.maxInFlight > defaultMaxInFlight {
		t.Errorf("%d scheduled fetches at once, limit %d", r.maxInFlight, defaultMaxInFlight)
	}
}

// BenchmarkManyProfiles runs 10,000 profiles as TestManyProfilesInSimulatedTime
// does and reports the heap held per profile (goal ≤ 1 KB) and the extra
// goroutines at the busiest moment and at the end (independent of the
// number of profiles).
func BenchmarkManyProfiles(b *testing.B) {
	const n = 10000
	var r manyResult
	for b.Loop() {
		r = runManyProfiles(b, n, b)
	}
	b.ReportMetric(r.bytesPerProfile, "B/profile")
	b.ReportMetric(float64(r.peakGoroutines), "goroutines-peak")
	b.ReportMetric(float64(r.peakManager), "manager-goroutines-peak")
	b.ReportMetric(float64(r.endGoroutines), "goroutines-end")
	b.ReportMetric(float64(r.missed), "missed")
	b.ReportMetric(float64(r.fetches)/float64(n), "fetches/profile")
}

type manyResult struct {
	peakGoroutines, endGoroutines, maxInFlight int
	peakManager                                int // the Manager's background goroutines (goBackground)
	bytesPerProfile                            float64
	missed, notRefreshed, fetches              int
}

// runManyProfiles runs n profiles for four simulated hours; b, when set,
// times only the Manager's work.
func runManyProfiles(tb testing.TB, n int, b *testing.B) manyResult {
	if b != nil {
		b.StopTimer()
	}
	clock := newClock()
	ps := make([]Profile, n)
	index := make(map[string]int, n)
	expiry := make([]time.Time, n) // of the last token issued per profile
	count := make([]int, n)
	for i := range ps {
		ps[i] = profile(fmt.Sprintf("profile-%05d", i))
		index[ps[i].Name] = i
	}
	var (
		mu       sync.Mutex
		r        manyResult
		inFlight atomic.Int64
	)
	var m *Manager // set before the first fetch
	fetch := func(ctx context.Context, p Profile) (*Token, error) {
		n := inFlight.Add(1)
		runtime.Gosched() // let other fetches overlap, as network requests would
		defer inFlight.Add(-1)
		mu.Lock()
		r.maxInFlight = max(r.maxInFlight, int(n))
		r.peakGoroutines = max(r.peakGoroutines, runtime.NumGoroutine())
		r.peakManager = max(r.peakManager, int(m.active.Load()))
		i := index[p.Name]
		now := clock.Now()
		if count[i] > 0 && !now.Before(expiry[i]) {
			r.missed++
		}
		count[i]++
		r.fetches++
		expiry[i] = now.Add(time.Duration(30+i%90) * time.Minute)
		t := &Token{AccessToken: fmt.Sprintf("at-%05d-%d", i, count[i]), TokenType: "Bearer",
			IssuedAt: now, ExpiresAt: expiry[i], ExpirySource: ExpiryFromExpiresIn}
		mu.Unlock()
		return t, nil
	}

	runtime.GC()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	g0 := runtime.NumGoroutine()
	if b != nil {
		b.StartTimer()
	}

	m = NewManager(ManagerOptions{Fetcher: FetcherFunc(fetch), Now: clock.Now})
	updates, cancel := m.Subscribe()
	drained := make(chan struct{})
	var received atomic.Uint64 // Seq of the last snapshot the subscriber took
	go func() {
		for s := range updates {
			received.Store(s.Seq)
		}
		close(drained)
	}()
	m.SetProfiles(ps)
	ctx := context.Background()
	for _, p := range ps {
		if _, err := m.Token(ctx, p.Name, 0); err != nil {
			tb.Fatal(err)
		}
	}
	for d := time.Duration(0); d <= 4*time.Hour; d += DefaultCheckInterval {
		clock.Set(t0.Add(d))
		m.runDue()
		m.settle()
	}

	if b != nil {
		b.StopTimer()
	}
	now := clock.Now()
	for i, p := range ps {
		if count[i] < 3 {
			r.notRefreshed++
		}
		if _, err := m.Token(ctx, p.Name, 0); err != nil || !expiry[i].After(now) {
			r.missed++ // not even valid at the end
		}
	}
	r.peakGoroutines -= g0
	r.endGoroutines = runtime.NumGoroutine() - g0
	// Steady state, as in the tray: the subscriber has taken the latest
	// snapshot, so no older one is still waiting in its channel.
	for latest, waited := m.Snapshot().Seq, 0; received.Load() < latest && waited < 300; waited++ {
		time.Sleep(10 * time.Millisecond)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	r.bytesPerProfile = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
	runtime.KeepAlive(m)
	cancel()
	<-drained
	m.Close()
	if b != nil {
		b.StartTimer()
	}
	return r
}
