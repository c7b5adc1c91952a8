package tokens

// Seeding: the Manager's reads of the TokenCache, the cached tokens of
// profiles new to the Manager, read by a few goroutines (seeders) off the
// reader path. (Writes happen in the fetch itself, see runFlight.)

import (
	"context"
	"time"
)

// startSeeders starts cache readers for queued entries. m.mu is held.
func (m *Manager) startSeeders() {
	for !m.closed && m.seeders < maxSeeders && m.seeders < len(m.seedQ) {
		m.seeders++
		m.goBackground(m.seeder)
	}
}

// seeder reads queued entries' cached tokens until the queue is empty.
func (m *Manager) seeder() {
	for {
		m.mu.Lock()
		var e *entry
		for len(m.seedQ) > 0 && e == nil {
			e, m.seedQ[0], m.seedQ = m.seedQ[0], nil, m.seedQ[1:]
			if e.retired() || e.seed != seedQueued || m.closed {
				e = nil
			}
		}
		if e == nil {
			m.seedQ = nil
			m.seeders--
			m.mu.Unlock()
			return
		}
		m.startSeed(e, nil)
		m.mu.Unlock()
		m.seedFromCache(e)
	}
}

// startSeed claims e's queued cache read: run runs it on a new goroutine,
// or with run nil the caller runs seedFromCache itself. m.mu is held.
func (m *Manager) startSeed(e *entry, run func()) {
	e.seed, e.seedDone = seedRunning, make(chan struct{})
	if run != nil && !m.goBackground(run) {
		m.endSeed(e)
	}
}

// endSeed ends e's cache read. m.mu is held.
func (m *Manager) endSeed(e *entry) {
	e.seed = seedNone
	close(e.seedDone)
	e.seedDone = nil
}

// seedFromCache reads e's cached token, and for a sign-in when it ends;
// e.seed is seedRunning, claimed by startSeed. A still-valid token
// fetched with e's request is seeded unless e got a token or was replaced
// meanwhile. Either way e is wanted after
// the read when StartAutoRefresh asked meanwhile (wantAfterSeed).
func (m *Manager) seedFromCache(e *entry) {
	m.mu.Lock()
	p := e.profile
	m.mu.Unlock()
	ctx, cancel := context.WithTimeout(m.base, cacheTimeout)
	tok, err := m.cache.LoadToken(ctx, p.Name)
	cancel()
	if err == nil && !tok.FetchedFor(p) {
		tok = nil // fetched with other credentials: never served for these
	}
	if tok != nil {
		tok, err = accept(tok)
	}
	ends := m.sessionEnds(m.base, p) // a sign-in's: one read of its refresh token
	m.mu.Lock()
	defer m.mu.Unlock()
	m.endSeed(e)
	if e.retired() || m.closed {
		return
	}
	if e.lastAttempt.IsZero() { // else a fetch or sign-in since knows better
		e.sessionEnds = ends
		m.changed()
	}
	now := m.wall()
	seeded := err == nil && e.token() == nil && tok.ValidFor(now, time.Nanosecond)
	if seeded {
		e.setToken(tok)
	}
	if seeded || e.wantAfterSeed {
		e.wanted, e.wantAfterSeed = true, false
		m.reschedule(e, now)
		m.changed()
	}
}
