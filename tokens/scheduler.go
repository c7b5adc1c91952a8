package tokens

import (
	"container/heap"
	"context"
	"errors"
	"time"
)

// flight is one fetch for one entry; everyone wanting its result waits on
// done and then reads tok and err.
type flight struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	tok    *Token
	err    error
	stale  bool // the entry was replaced or removed, or the Manager closed

	// What makes a token another process cached meanwhile good enough
	// (see wants): set by startFlight, then read-only.
	start    time.Time     // when the flight began
	minValid time.Duration // the starting caller's need
	force    bool          // Refresh: only a token issued since start will do
}

// Run is the scheduler loop: it starts the automatic fetches that are due
// until ctx is cancelled or Close is called. Run it in one goroutine.
//
// Go timers follow the monotonic clock, which stops while the machine
// sleeps (golang/go#35012), so Run also wakes every CheckInterval and
// compares due times with the wall clock: a refresh that fell due during
// sleep starts within CheckInterval of waking. Due fetches run on at most a
// fixed number of worker goroutines whatever the number of profiles.
func (m *Manager) Run(ctx context.Context) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		wait := m.checkInterval
		if next := m.runDue(); !next.IsZero() {
			wait = min(wait, max(next.Sub(m.wall()), 0))
		}
		t.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-m.base.Done():
			return
		case <-t.C:
		case <-m.wake:
		}
	}
}

// runDue starts workers for the fetches due now, up to the in-flight limit,
// and returns the next time something falls due, or zero when nothing is
// scheduled later (then only a wake-up or the check interval matters).
func (m *Manager) runDue() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return time.Time{}
	}
	now := m.wall().UnixNano()
	for n := m.due.countDue(now, m.maxInFlight-m.workers); n > 0; n-- {
		m.workers++
		m.goBackground(m.worker)
	}
	if len(m.due) == 0 || m.due[0].dueNs <= now {
		return time.Time{} // due ones are the running workers' business
	}
	return time.Unix(0, m.due[0].dueNs)
}

// worker fetches due profiles, earliest first, until none is due.
func (m *Manager) worker() {
	for {
		m.mu.Lock()
		if m.closed || len(m.due) == 0 || m.due[0].dueNs > m.wall().UnixNano() {
			m.workers--
			m.mu.Unlock()
			return
		}
		e := m.due[0]
		f := m.startFlight(e, m.wall(), 0, false)
		m.mu.Unlock()
		m.runFlight(e, f)
	}
}

// startFlight begins a fetch for e; the caller then runs runFlight on a
// counted goroutine. m.mu is held and the Manager is not closed.
func (m *Manager) startFlight(e *entry, now time.Time, minValid time.Duration, force bool) *flight {
	f := &flight{done: make(chan struct{}), start: now, minValid: minValid, force: force}
	f.ctx, f.cancel = context.WithCancel(m.base)
	e.flight, e.phase = f, phaseFetching
	m.unschedule(e)
	m.changed()
	return f
}

// runFlight performs the fetch of f and records its result. With a Cache
// it is shared across processes (see SharedToken): under the profile's
// fetch lock a token another process cached meanwhile is taken when f wants
// it, else the new token is written to the Cache before the lock is
// released (after the waiting callers have it).
func (m *Manager) runFlight(e *entry, f *flight) {
	m.mu.Lock()
	p := e.profile
	m.mu.Unlock()
	var tok *Token
	unlock, held, err := m.shared().lock(f.ctx, p.Name)
	if err == nil {
		defer unlock()
	}
	if held {
		tok = m.shared().reread(f.ctx, p, func(t *Token) bool { return m.wants(f, p, t) })
	}
	fetched := false
	if err == nil && tok == nil {
		ctx := WithExchangeRecorder(f.ctx, func(x Exchange) { m.recordExchange(e, x) })
		tok, err = m.shared().fetch(ctx, p)
		fetched = err == nil
	}
	m.mu.Lock()
	m.finish(e, f, tok, err)
	stale := f.stale
	m.mu.Unlock()
	f.cancel()
	close(f.done)
	if fetched && !stale {
		_ = m.shared().save(m.saveCtx, p, tok)
	}
}

// wants reports whether t, cached for p by another process while f waited
// for the fetch lock, serves f: valid for what the caller asked, not yet
// due for refresh itself, and for Refresh issued after f began.
func (m *Manager) wants(f *flight, p Profile, t *Token) bool {
	now := m.wall()
	lead := (&ProfileState{Profile: p, Token: t}).RefreshLead()
	return t.ValidFor(now, max(f.minValid, lead+time.Nanosecond)) && (!f.force || !t.IssuedAt.Before(f.start))
}

// errNoToken reports a Fetcher that returned neither a token nor an error.
var errNoToken = errors.New("tokens: fetcher returned no access token")

// accept checks a fetched token and strips the monotonic clock readings
// from its times, so every comparison with it uses the wall clock.
func accept(t *Token) (*Token, error) {
	if t == nil || t.AccessToken == "" {
		return nil, errNoToken
	}
	if t.IssuedAt != t.IssuedAt.Round(0) || t.ExpiresAt != t.ExpiresAt.Round(0) {
		c := *t
		c.IssuedAt, c.ExpiresAt = t.IssuedAt.Round(0), t.ExpiresAt.Round(0)
		t = &c
	}
	return t, nil
}

// finish records the result of f. m.mu is held.
func (m *Manager) finish(e *entry, f *flight, tok *Token, err error) {
	if e.flight == f {
		e.flight = nil
	}
	f.tok, f.err = tok, err
	if e.retired() || m.closed {
		if e.phase == phaseFetching {
			e.phase = phaseIdle
		}
		f.stale = true
		return
	}
	now := m.wall()
	e.lastAttempt = now
	if err == nil {
		e.setToken(tok)
		e.lastRefresh = now
		e.phase = phaseIdle
		e.lastErr, e.streak, e.retryAt = nil, 0, time.Time{}
		if e.load == loadPending {
			e.load = loadNone
		}
	} else {
		e.lastErr, e.class = err, Classify(err)
		e.streak++
		e.retryAt = time.Time{}
		if e.class == Permanent {
			e.phase = phaseStopped
		} else {
			var expires time.Time
			if t := e.token(); t.ValidFor(now, time.Nanosecond) {
				expires = t.ExpiresAt
			}
			e.phase = phaseBackingOff
			e.retryAt = m.bo.retryAt(now, m.bo.delay(e.streak, RetryAfter(err), m.rand()), expires)
		}
	}
	m.reschedule(e, now)
	m.changed()
}

// nextDue is when e should be fetched automatically, if at all. m.mu is held.
func (m *Manager) nextDue(e *entry, now time.Time) (time.Time, bool) {
	if e.invalid != nil || !e.wanted || e.profile.ManualRefresh {
		return time.Time{}, false
	}
	switch e.phase {
	case phaseBackingOff:
		return e.retryAt, true
	case phaseIdle:
	default: // fetching, stopped, retired
		return time.Time{}, false
	}
	t := e.token()
	if t == nil {
		return now, true
	}
	due := t.ExpiresAt.Add(-(&ProfileState{Profile: e.profile, Token: t}).RefreshLead())
	if !e.lastAttempt.IsZero() {
		// A token issued already expired must not cause a fetch loop.
		due = maxTime(due, e.lastAttempt.Add(m.bo.min))
	}
	return due, true
}

func maxTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return b
	}
	return a
}

// reschedule puts e in the heap at its due time, or takes it out. m.mu is held.
func (m *Manager) reschedule(e *entry, now time.Time) {
	due, ok := m.nextDue(e, now)
	if !ok {
		m.unschedule(e)
		return
	}
	e.dueNs = unixNano(due)
	if e.heapIndex >= 0 {
		heap.Fix(&m.due, e.heapIndex)
	} else {
		heap.Push(&m.due, e)
	}
	if e.heapIndex == 0 {
		select { // Run must re-arm its timer
		case m.wake <- struct{}{}:
		default:
		}
	}
}

func (m *Manager) unschedule(e *entry) {
	if e.heapIndex >= 0 {
		heap.Remove(&m.due, e.heapIndex)
	}
}

// dueHeap orders entries by due time (container/heap).
type dueHeap []*entry

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].dueNs < h[j].dueNs }
func (h dueHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapIndex, h[j].heapIndex = i, j
}
func (h *dueHeap) Push(x any) {
	e := x.(*entry)
	e.heapIndex = len(*h)
	*h = append(*h, e)
}
func (h *dueHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	e.heapIndex = -1
	return e
}

// countDue counts entries due at now, stopping at limit; it visits only
// due entries and their direct children.
func (h dueHeap) countDue(now int64, limit int) int {
	n := 0
	var walk func(i int)
	walk = func(i int) {
		if n >= limit || i >= len(h) || h[i].dueNs > now {
			return
		}
		n++
		walk(2*i + 1)
		walk(2*i + 2)
	}
	walk(0)
	return n
}
