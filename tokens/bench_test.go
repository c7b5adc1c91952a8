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
// goroutines at once, with the real clock (Now nil: time.Now).
func BenchmarkCachedToken(b *testing.B) { benchCachedToken(b, nil) }

// BenchmarkCachedTokenFixedClock is BenchmarkCachedToken with a clock that
// returns a constant: what Token costs beyond reading the clock. It is for
// diagnosis only; a real Manager must read the wall clock on every call.
func BenchmarkCachedTokenFixedClock(b *testing.B) {
	now := time.Now().Round(0)
	benchCachedToken(b, func() time.Time { return now })
}

// benchCachedToken serves one cached token under b.RunParallel; now is the
// Manager's clock (nil: time.Now).
func benchCachedToken(b *testing.B, now func() time.Time) {
	clock := now
	if clock == nil {
		clock = time.Now
	}
	m := NewManager(ManagerOptions{Now: now, Fetcher: FetcherFunc(func(ctx context.Context, p Profile) (*Token, error) {
		t := clock()
		return &Token{AccessToken: "tok", IssuedAt: t, ExpiresAt: t.Add(time.Hour)}, nil
	})})
	defer m.Close()
	m.SetProfiles([]Profile{profile("p")})
	ctx := context.Background()
	if _, err := m.Token(ctx, "p", time.Minute); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if t, err := m.Token(ctx, "p", time.Minute); err != nil || t == nil {
				b.Error("no cached token:", err)
				return
			}
		}
	})
}

// BenchmarkReuseTokenSource is the reference: golang.org/x/oauth2's
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

// BenchmarkTimeNow is the clock ReuseTokenSource reads on every call:
// time.Now reads both the wall and the monotonic clock.
func BenchmarkTimeNow(b *testing.B) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var t time.Time
		for pb.Next() {
			t = time.Now()
		}
		_ = t
	})
}

// BenchmarkManyProfiles runs 10,000 (and 1,000) profiles in simulated time
// through four hours: every token (lifetimes 30–119 minutes, all first
// fetched at once) must be refreshed at least twice by the scheduler,
// stepped every CheckInterval like Run. A subscriber takes snapshots
// throughout, as the tray does.
//
// Metrics: extra goroutines at the busiest moment and at the end (the same
// at both sizes), heap bytes held per profile, refreshes that came only
// after the token had expired or tokens invalid at the end ("missed", goal
// 0), and profiles refreshed fewer than twice ("refreshed-<2x", goal 0).
func BenchmarkManyProfiles(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchManyProfiles(b, n) })
	}
}

func benchManyProfiles(b *testing.B, n int) {
	var r manyResult
	for b.Loop() {
		r = runManyProfiles(b, n)
	}
	b.ReportMetric(float64(r.peakGoroutines), "goroutines-peak")
	b.ReportMetric(float64(r.endGoroutines), "goroutines-end")
	b.ReportMetric(float64(r.maxInFlight), "fetches-in-flight-max")
	b.ReportMetric(r.bytesPerProfile, "B/profile")
	b.ReportMetric(float64(r.missed), "missed")
	b.ReportMetric(float64(r.notRefreshed), "refreshed-<2x")
	b.ReportMetric(float64(r.fetches)/float64(n), "fetches/profile")
}

type manyResult struct {
	peakGoroutines, endGoroutines, maxInFlight int
	bytesPerProfile                            float64
	missed, notRefreshed, fetches              int
}

func runManyProfiles(b *testing.B, n int) manyResult {
	b.StopTimer()
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
	fetch := func(ctx context.Context, p Profile) (*Token, error) {
		n := inFlight.Add(1)
		runtime.Gosched() // let other fetches overlap, as network requests would
		defer inFlight.Add(-1)
		mu.Lock()
		r.maxInFlight = max(r.maxInFlight, int(n))
		r.peakGoroutines = max(r.peakGoroutines, runtime.NumGoroutine())
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
	b.StartTimer()

	m := NewManager(ManagerOptions{Fetcher: FetcherFunc(fetch), Now: clock.Now})
	updates, cancel := m.Subscribe()
	drained := make(chan struct{})
	go func() {
		for range updates {
		}
		close(drained)
	}()
	m.SetProfiles(ps)
	ctx := context.Background()
	for _, p := range ps {
		if _, err := m.Token(ctx, p.Name, 0); err != nil {
			b.Fatal(err)
		}
	}
	for d := time.Duration(0); d <= 4*time.Hour; d += DefaultCheckInterval {
		clock.Set(t0.Add(d))
		m.runDue()
		m.settle()
	}

	b.StopTimer()
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
	runtime.GC()
	runtime.ReadMemStats(&after)
	r.bytesPerProfile = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
	runtime.KeepAlive(m)
	cancel()
	<-drained
	m.Close()
	b.StartTimer()
	return r
}
