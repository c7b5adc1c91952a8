package tokens

// The schedule: when each wanted profile is next fetched automatically
// (nextDue), the heap of due times, and Run with its bounded workers, which
// start the flights (flight.go) that fall due.

import (
	"container/heap"
	"context"
	"time"
)

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

// StartAutoRefresh turns automatic refresh on for every profile held that
// is valid and not ManualRefresh, as a first Token call for each would, so
// their tokens are at hand before anyone asks (the tray calls it after
// each load of the profiles). It returns at once and fetches nothing
// itself: Run fetches each profile without a valid token, as it does every
// due refresh, at most a fixed number at once (8) whatever the number of
// profiles. A profile whose cached token is still being read is fetched
// only if the read finds none. A profile stopped by a permanent error, or
// backing off after a transient one, keeps its schedule. Profiles added
// later are not affected. Safe for concurrent use.
func (m *Manager) StartAutoRefresh() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	now := m.wall()
	for _, e := range *m.entries.Load() {
		switch {
		case e.wanted || e.invalid != nil || e.profile.ManualRefresh || e.retired():
		case e.seed != seedNone:
			e.wantAfterSeed = true // see seedFromCache
		default:
			e.wanted = true
			m.reschedule(e, now)
		}
	}
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
	due := t.ExpiresAt.Add(-refreshLead(e.profile, t))
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
