package tokens

// The Manager's reads of the TokenCache: the cached tokens of profiles new
// to the Manager, read by a few goroutines off the reader path. (Writes
// happen in the fetch itself, see runFlight.)

import (
	"context"
	"time"
)

// startLoaders starts cache readers for queued entries. m.mu is held.
func (m *Manager) startLoaders() {
	for !m.closed && m.loaders < maxLoaders && m.loaders < len(m.loadQ) {
		m.loaders++
		m.goBackground(m.loader)
	}
}

// loader reads queued entries' cached tokens until the queue is empty.
func (m *Manager) loader() {
	for {
		m.mu.Lock()
		var e *entry
		for len(m.loadQ) > 0 && e == nil {
			e, m.loadQ[0], m.loadQ = m.loadQ[0], nil, m.loadQ[1:]
			if e.retired() || e.load != loadPending || m.closed {
				e = nil
			}
		}
		if e == nil {
			m.loadQ = nil
			m.loaders--
			m.mu.Unlock()
			return
		}
		m.startLoad(e, nil)
		m.mu.Unlock()
		m.loadCached(e)
	}
}

// startLoad claims e's queued cache read: run runs it on a new goroutine,
// or with run nil the caller runs loadCached itself. m.mu is held.
func (m *Manager) startLoad(e *entry, run func()) {
	e.load, e.loadDone = loadRunning, make(chan struct{})
	if run != nil && !m.goBackground(run) {
		m.endLoad(e)
	}
}

// endLoad ends e's cache read. m.mu is held.
func (m *Manager) endLoad(e *entry) {
	e.load = loadNone
	close(e.loadDone)
	e.loadDone = nil
}

// loadCached reads e's cached token; e.load is loadRunning, claimed by
// startLoad. A still-valid token fetched with e's request is seeded unless
// e got a token or was replaced meanwhile. Either way e is wanted after
// the read when StartAutoRefresh asked meanwhile (wantAfterLoad).
func (m *Manager) loadCached(e *entry) {
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
	m.mu.Lock()
	defer m.mu.Unlock()
	m.endLoad(e)
	if e.retired() || m.closed {
		return
	}
	now := m.wall()
	seeded := err == nil && e.token() == nil && tok.ValidFor(now, time.Nanosecond)
	if seeded {
		e.setToken(tok)
	}
	if seeded || e.wantAfterLoad {
		e.wanted, e.wantAfterLoad = true, false
		m.reschedule(e, now)
		m.changed()
	}
}
