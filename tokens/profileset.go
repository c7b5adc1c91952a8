package tokens

import (
	"errors"
	"maps"
	"reflect"
	"time"
)

// The profile set: SetProfiles, Put and Remove, and how a changed profile
// keeps or drops its token. Writers hold m.mu and publish a new immutable
// name→entry map for the lock-free read in Token.

// SetProfiles replaces the whole profile set (of duplicate names the last
// wins). Profiles equal to the ones held keep their token and state; see Put
// for changed ones. Profiles not in ps are removed.
func (m *Manager) SetProfiles(ps []Profile) {
	m.mu.Lock()
	defer m.mu.Unlock()
	old := *m.entries.Load()
	next := make(map[string]*entry, len(ps))
	now := m.wall()
	for _, p := range ps {
		p = canonical(p)
		prev, dup := next[p.Name]
		if !dup {
			prev = old[p.Name]
		}
		next[p.Name] = m.upsert(prev, p, now)
	}
	for name, e := range old {
		if next[name] != e {
			m.retire(e)
		}
	}
	m.publishSet(next)
}

// Put adds the profile, or replaces the one of the same name. An equal
// profile keeps its token and state. A profile whose credentials or request
// changed starts afresh: its old token is dropped (it belongs to other
// credentials), a stop after a permanent error is lifted, and a fetch still
// under way for the old version is cancelled and its result ignored. A
// change of only fields outside the request (see RequestFingerprint: the
// refresh lead, assumed lifetime, manual refresh, git hosts, introspection
// and revocation URLs) keeps the token but lifts a stop. A profile that fails Validate is held with its
// error: Token reports it, other profiles are unaffected.
func (m *Manager) Put(p Profile) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p = canonical(p)
	old := *m.entries.Load()
	e := m.upsert(old[p.Name], p, m.wall())
	if old[p.Name] == e {
		return
	}
	next := maps.Clone(old)
	next[p.Name] = e
	m.publishSet(next)
}

// Remove forgets the named profile (if held) and cancels its fetch. The
// cached token, if any, is left to the Store.
func (m *Manager) Remove(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	old := *m.entries.Load()
	e, ok := old[name]
	if !ok {
		return
	}
	next := maps.Clone(old)
	delete(next, name)
	m.retire(e)
	m.publishSet(next)
}

// canonical normalizes p and treats empty collections as absent, so a
// profile read back from storage compares equal to the one saved.
func canonical(p Profile) Profile {
	p = p.Normalized()
	if len(p.Scopes) == 0 {
		p.Scopes = nil
	}
	if len(p.Params) == 0 {
		p.Params = nil
	}
	if len(p.Headers) == 0 {
		p.Headers = nil
	}
	if len(p.EndpointOrigins) == 0 {
		p.EndpointOrigins = nil
	}
	if len(p.GitHosts) == 0 {
		p.GitHosts = nil
	}
	return p
}

// upsert returns the entry to hold for p given the entry prev held under
// its name (or nil). m.mu is held.
func (m *Manager) upsert(prev *entry, p Profile, now time.Time) *entry {
	invalid := error(nil)
	if err := p.Validate(); err != nil {
		invalid = err
	}
	if prev != nil && prev.invalid == nil && invalid == nil && sameRequest(prev.profile, p) {
		if prev.phase == phaseStopped && errors.Is(prev.lastErr, ErrSignInNeeded) {
			// A reload may follow a sign-in made by another process
			// (tokentray login): look again. Without a refresh token
			// stored, that makes no request.
			prev.liftStop()
			prev.retryAt = time.Time{}
			m.reschedule(prev, now)
			m.changed()
		}
		if !reflect.DeepEqual(prev.profile, p) {
			prev.profile = p
			prev.liftStop()
			prev.retryAt = time.Time{}
			m.reschedule(prev, now)
			m.changed()
		}
		return prev
	}
	if prev != nil && reflect.DeepEqual(prev.profile, p) {
		return prev
	}
	e := &entry{profile: p, invalid: invalid, heapIndex: -1}
	if invalid != nil {
		e.lastErr, e.class = invalid, Permanent
	}
	if prev != nil {
		// Same name, other credentials: keep wanting a token, but never
		// reuse the old one nor the cached one (it is the old one's).
		e.wanted = prev.wanted
		e.exchanges = prev.exchanges // the log is the profile's, across edits
		m.retire(prev)
	} else if m.cache != nil && invalid == nil {
		e.seed = seedQueued
		m.seedQ = append(m.seedQ, e)
	}
	m.reschedule(e, now)
	return e
}

// retire ends an entry that was replaced or removed. m.mu is held.
func (m *Manager) retire(e *entry) {
	if e.retired() {
		return
	}
	e.phase = phaseRetired
	e.setToken(nil)
	m.unschedule(e)
	if e.flight != nil {
		e.flight.cancel()
	}
}

// publishSet makes next the profile set. m.mu is held.
func (m *Manager) publishSet(next map[string]*entry) {
	m.entries.Store(&next)
	m.sorted = nil
	m.changed()
	m.startSeeders()
}
