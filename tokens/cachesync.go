package tokens

// The Manager's side of the TokenCache: reading cached tokens for profiles
// new to the Manager (a few goroutines, off the reader path) and writing
// each new token back (one writer, latest token wins).

import (
	"context"
	"time"
)

// startLoaders starts cache readers for queued entries. m.mu is held.
func (m *Manager) startLoaders() {
	for !m.closed && m.loaders < maxLoaders && m.loaders < len(m.loadQ) {
		m.loaders++
		m.active++
		go m.loader()
	}
}

// loader reads queued entries' cached tokens until the queue is empty.
func (m *Manager) loader() {
	for {
		m.mu.Lock()
		var e *entry
		for len(m.loadQ) > 0 && e == nil {
			e, m.loadQ[0], m.loadQ = m.loadQ[0], nil, m.loadQ[1:]
			if !e.live || e.load != loadPending || m.closed {
				e = nil
			}
		}
		if e == nil {
			m.loadQ = nil
			m.loaders--
			m.doneActive()
			m.mu.Unlock()
			return
		}
		e.load, e.loadDone = loadRunning, make(chan struct{})
		m.active++
		m.mu.Unlock()
		m.loadCached(e)
	}
}

// loadCached reads e's cached token; e.load is loadRunning, claimed by the
// caller (which counted it in m.active). A still-valid token is seeded
// unless e got a token or was replaced meanwhile.
func (m *Manager) loadCached(e *entry) {
	ctx, cancel := context.WithTimeout(m.base, cacheTimeout)
	tok, err := m.cache.LoadToken(ctx, e.name)
	cancel()
	if err == nil {
		tok, err = accept(tok)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e.load = loadNone
	close(e.loadDone)
	e.loadDone = nil
	now := m.wall()
	if err == nil && e.live && !m.closed && e.token() == nil && tok.ValidFor(now, time.Nanosecond) {
		e.setToken(tok)
		e.wanted = true
		m.reschedule(e, now)
		m.changed()
	}
	m.doneActive()
}

// queueSave schedules writing e's token to the cache. m.mu is held.
func (m *Manager) queueSave(e *entry) {
	if m.cache == nil || e.saveQueued {
		return
	}
	e.saveQueued = true
	m.saveQ = append(m.saveQ, e)
	if !m.saving {
		m.saving = true
		m.active++
		go m.saver()
	}
}

// saver writes queued tokens, one at a time so writes for one profile stay
// in order; each write takes the entry's latest token.
func (m *Manager) saver() {
	for {
		m.mu.Lock()
		if len(m.saveQ) == 0 {
			m.saveQ = nil
			m.saving = false
			m.doneActive()
			m.mu.Unlock()
			return
		}
		e := m.saveQ[0]
		m.saveQ[0], m.saveQ = nil, m.saveQ[1:]
		e.saveQueued = false
		tok, live := e.token(), e.live
		m.mu.Unlock()
		if live && tok != nil {
			ctx, cancel := context.WithTimeout(m.saveCtx, cacheTimeout)
			// A failed write only costs a fetch after a restart.
			_ = m.cache.SaveToken(ctx, e.name, tok)
			cancel()
		}
	}
}
