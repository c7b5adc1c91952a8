package tokens

import (
	"context"
	"errors"
	"testing"
	"time"
)

var (
	errUnavailable = &ServerError{Status: 503, Excerpt: "maintenance"}
	errBadClient   = &ServerError{Status: 401, Code: "invalid_client"}
)

func TestTransientFailureBacksOffAndKeepsOldToken(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	old := e.token("a", 0) // expires at 60m, refresh due at 55m
	e.srv.QueueErrors(errUnavailable, errUnavailable, errUnavailable, errUnavailable, errUnavailable,
		errUnavailable, errUnavailable, errUnavailable)
	s := time.Second
	// Jitter is fixed at 0.5: delays 5s (floor), 7.5s, 15s, 30s, 60s, 120s,
	// then 225s would pass expiry, so the last try is at expiry − 5s, and
	// the one after that no sooner than MinRetry later.
	steps := []time.Duration{55 * time.Minute, 5 * s, 7500 * time.Millisecond, 15 * s, 30 * s, 60 * s, 120 * s}
	at := time.Duration(0)
	for i, step := range steps {
		at += step
		e.at(at - time.Millisecond)
		if c := e.srv.Calls(); c != i+1 {
			t.Fatalf("attempt %d came early: %d fetches at %v", i+1, c, at-time.Millisecond)
		}
		e.at(at)
		if c := e.srv.Calls(); c != i+2 {
			t.Fatalf("attempt %d not made at %v (fetches %d)", i+1, at, c)
		}
		ps := e.state("a")
		if ps.FailureStreak != i+1 || ps.ErrorClass != Transient || !errors.Is(ps.LastError, errUnavailable) || ps.Stopped {
			t.Fatalf("after failure %d: %+v", i+1, ps)
		}
		if got := e.token("a", 0); got != old {
			t.Fatalf("after failure %d the old token is not served", i+1)
		}
	}
	if next := e.state("a").NextRefresh; !next.Equal(t0.Add(time.Hour - 5*s)) {
		t.Fatalf("retry after %v planned at +%v, want expiry − 5s", at, next.Sub(t0))
	}
	if st := e.state("a").StatusAt(e.clock.Now()); st != StatusExpiringSoon {
		t.Errorf("status %v while retrying with a valid token", st)
	}
	e.at(time.Hour - 5*s)
	if next := e.state("a").NextRefresh; !next.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after the last try before expiry next is +%v, want +60m (MinRetry)", next.Sub(t0))
	}
	e.at(time.Hour) // the queued errors are used up: the 9th attempt succeeds
	ps := e.state("a")
	if ps.LastError != nil || ps.FailureStreak != 0 || ps.Token == old || ps.Token == nil {
		t.Fatalf("after recovery: %+v", ps)
	}
	if e.srv.Calls() != 10 {
		t.Fatalf("fetches %d, want 10", e.srv.Calls())
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	e.token("a", 0)
	e.srv.QueueErrors(&ServerError{Status: 429, Code: "slow_down", RetryAfter: 3 * time.Minute})
	e.at(55 * time.Minute)
	if next := e.state("a").NextRefresh; !next.Equal(t0.Add(58 * time.Minute)) {
		t.Fatalf("after Retry-After 3m next try at +%v", next.Sub(t0))
	}
}

func TestMinRetryFloor(t *testing.T) {
	e := newEnv(t, ManagerOptions{MinRetry: 20 * time.Second, rand: func() float64 { return 0 }}, profile("a"))
	e.srv.QueueErrors(errUnavailable, errUnavailable)
	if _, err := e.m.Token(context.Background(), "a", 0); !errors.Is(err, errUnavailable) {
		t.Fatalf("Token: %v", err)
	}
	if next := e.state("a").NextRefresh; !next.Equal(t0.Add(20 * time.Second)) {
		t.Fatalf("first retry at +%v, want the 20s floor", next.Sub(t0))
	}
	e.at(20 * time.Second) // fails; base 40s with zero jitter = 20s
	if next := e.state("a").NextRefresh; !next.Equal(t0.Add(40 * time.Second)) {
		t.Fatalf("second retry at +%v, want +40s", next.Sub(t0))
	}
	e.at(40 * time.Second)
	if tok := e.token("a", 0); !tok.IssuedAt.Equal(t0.Add(40 * time.Second)) {
		t.Fatalf("retry after a failed Token does not recover: %+v", tok)
	}
}

func TestPermanentErrorStopsUntilRefresh(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	old := e.token("a", 0)
	e.srv.QueueErrors(errBadClient)
	e.at(55 * time.Minute)
	ps := e.state("a")
	if !ps.Stopped || ps.ErrorClass != Permanent || !ps.NextRefresh.IsZero() || ps.StatusAt(e.clock.Now()) != StatusFailed {
		t.Fatalf("after a permanent error: %+v", ps)
	}
	if got := e.token("a", time.Minute); got != old {
		t.Fatal("old token not served after a permanent error")
	}
	e.at(4 * time.Hour)
	if e.srv.Calls() != 2 {
		t.Fatalf("stopped profile fetched again: %d fetches", e.srv.Calls())
	}
	if _, err := e.m.Token(context.Background(), "a", 0); !errors.Is(err, errBadClient) || e.srv.Calls() != 2 {
		t.Fatalf("Token of a stopped profile with an expired token: %v after %d fetches", err, e.srv.Calls())
	}
	tok, err := e.m.Refresh(context.Background(), "a")
	if err != nil || tok == old || e.srv.Calls() != 3 {
		t.Fatalf("Refresh: %v, fetches %d", err, e.srv.Calls())
	}
	if ps := e.state("a"); ps.Stopped || ps.NextRefresh.IsZero() {
		t.Fatalf("after Refresh: %+v", ps)
	}
}

func TestPermanentErrorStopsUntilProfileChanges(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	old := e.token("a", 0)
	e.srv.QueueErrors(errBadClient)
	e.at(55 * time.Minute)
	e.m.Put(profile("a")) // equal: nothing changes
	if ps := e.state("a"); !ps.Stopped || ps.Token != old {
		t.Fatalf("equal Put changed state: %+v", ps)
	}
	p := profile("a")
	p.ClientSecret = "rotated"
	e.m.Put(p)
	ps := e.state("a")
	if ps.Stopped || ps.Token != nil {
		t.Fatalf("changed Put kept the stop or the old credentials' token: %+v", ps)
	}
	// Auto-refresh stays wanted: the new credentials are fetched at once.
	e.at(55 * time.Minute)
	got := e.token("a", 0)
	if e.srv.Calls() != 3 || got == old || e.srv.profiles[2].ClientSecret != "rotated" {
		t.Fatalf("after the change: fetches %d, last profile %+v", e.srv.Calls(), e.srv.profiles[len(e.srv.profiles)-1])
	}
}

func TestSchedulingOnlyChangeKeepsToken(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	old := e.token("a", 0)
	p := profile("a")
	p.RefreshLead = 10 * time.Minute
	e.m.Put(p)
	ps := e.state("a")
	if ps.Token != old || !ps.NextRefresh.Equal(t0.Add(50*time.Minute)) {
		t.Fatalf("lead change: token kept %v, next +%v", ps.Token == old, ps.NextRefresh.Sub(t0))
	}
}

func TestChangedProfileIgnoresOldFetch(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	e.srv.started = make(chan string, 2)
	release := e.srv.Hold()
	res := make(chan *Token, 1)
	go func() { res <- e.token("a", 0) }()
	<-e.srv.started
	p := profile("a")
	p.ClientSecret = "rotated"
	e.m.Put(p) // cancels the old fetch; the waiter retries for the new version
	<-e.srv.started
	release()
	tok := <-res
	e.m.settle()
	if !errors.Is(e.srv.ctxErrs[0], context.Canceled) && !errors.Is(e.srv.ctxErrs[1], context.Canceled) {
		t.Fatalf("old version's fetch not cancelled: %v", e.srv.ctxErrs)
	}
	if tok.AccessToken != "a-2" || e.srv.profiles[1].ClientSecret != "rotated" {
		t.Fatalf("waiter got %q", tok.AccessToken)
	}
	if got := e.token("a", 0); got != tok {
		t.Fatalf("cached %q, want the new version's token", got.AccessToken)
	}
}

func TestSuspendRefreshesOnFirstTickAfterWake(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	e.token("a", 0)
	// The machine sleeps from +10m to +3h: no tick runs in between.
	e.at(10 * time.Minute)
	e.at(3 * time.Hour)
	if e.srv.Calls() != 2 {
		t.Fatalf("fetches %d after waking past expiry, want a refresh at once", e.srv.Calls())
	}
	if tok := e.token("a", 0); !tok.IssuedAt.Equal(t0.Add(3 * time.Hour)) {
		t.Fatalf("token issued +%v", tok.IssuedAt.Sub(t0))
	}
}

// TestRunWakesOnWallClock drives the real Run loop: its timers know nothing
// of the fake clock's jump, so only the periodic wall-clock check can find
// the refresh due.
func TestRunWakesOnWallClock(t *testing.T) {
	e := newEnv(t, ManagerOptions{CheckInterval: time.Millisecond}, profile("a"))
	e.token("a", 0)
	e.srv.started = make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { e.m.Run(ctx); close(stopped) }()
	e.clock.Set(t0.Add(2 * time.Hour))
	select {
	case <-e.srv.started:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not refresh after the wall clock jumped past expiry")
	}
	cancel()
	<-stopped
}

func TestTokensKeepNoMonotonicReading(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	e.m.fetcher = FetcherFunc(func(ctx context.Context, p Profile) (*Token, error) {
		now := time.Now()
		return &Token{AccessToken: "x", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}, nil
	})
	tok := e.token("a", 0)
	if tok.ExpiresAt != tok.ExpiresAt.Round(0) || tok.IssuedAt != tok.IssuedAt.Round(0) {
		t.Fatal("stored token times carry a monotonic reading; after sleep they would compare wrongly")
	}
}

func TestFetcherReturningNoTokenIsAnError(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	e.m.fetcher = FetcherFunc(func(ctx context.Context, p Profile) (*Token, error) { return &Token{}, nil })
	if _, err := e.m.Token(context.Background(), "a", 0); !errors.Is(err, errNoToken) {
		t.Fatalf("got %v", err)
	}
	if ps := e.state("a"); ps.Token != nil || ps.NextRefresh.IsZero() {
		t.Fatalf("state %+v", ps)
	}
}
