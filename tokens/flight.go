package tokens

// The flight: one fetch of one profile, shared by everyone who wants its
// result, from startFlight (under Manager.mu) through runFlight (the
// request, across processes through the Cache) to finish, which records
// the result and hands the entry back to the schedule (scheduler.go).

import (
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
	stale  bool      // the entry was replaced or removed, its epoch changed, or the Manager closed
	epoch  uint64    // the entry's epoch when the flight began
	ends   time.Time // for a sign-in, when it ends (see ProfileState.SessionEnds)

	// What makes a token another process cached meanwhile good enough
	// (see wants): set by startFlight, then read-only.
	start    time.Time     // when the flight began
	minValid time.Duration // the starting caller's need
	force    bool          // Refresh: only a token issued since start will do
}

// startFlight begins a fetch for e; the caller then runs runFlight on a
// counted goroutine. m.mu is held and the Manager is not closed.
func (m *Manager) startFlight(e *entry, now time.Time, minValid time.Duration, force bool) *flight {
	f := &flight{done: make(chan struct{}), start: now, minValid: minValid, force: force, epoch: e.epoch}
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
	unlock, locked, err := m.shared().lock(f.ctx, p.Name)
	if err == nil {
		defer unlock()
	}
	if locked {
		tok = m.shared().reread(f.ctx, p, func(t *Token) bool { return m.wants(f, p, t) })
		if tok != nil {
			f.ends = m.sessionEnds(f.ctx, p) // another process refreshed: perhaps rotated
		}
	}
	fetched := false
	if err == nil && tok == nil {
		ctx := WithLogRecorder(f.ctx, func(x LogEntry) { m.recordLogEntry(e, x) })
		tok, f.ends, err = m.shared().fetch(ctx, p)
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
	return t.ValidFor(m.wall(), max(f.minValid, refreshLead(p, t)+time.Nanosecond)) && (!f.force || t.IssuedAt.After(f.start))
}

// errNoToken reports a Fetcher that returned neither a token nor an error.
var errNoToken = errors.New("fetcher returned no access token")

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

// finish records the result of f. m.mu is held. A flight whose entry's
// token changed from outside meanwhile (a sign-in or sign-out: the entry's
// epoch moved on) records nothing: its outcome was found before that
// change (no refresh token yet, or the signed-out one's token) and would
// overwrite it. Its waiters look again (f.stale).
func (m *Manager) finish(e *entry, f *flight, tok *Token, err error) {
	if e.flight == f {
		e.flight = nil
	}
	f.tok, f.err = tok, err
	if gone := e.retired() || m.closed; gone || f.epoch != e.epoch {
		switch {
		case e.phase != phaseFetching:
		case !gone && e.lastErr != nil && e.class == Permanent:
			e.phase = phaseStopped // signed out during the flight (notSignedIn)
		default:
			e.phase = phaseIdle
		}
		f.stale = true
		if !gone {
			m.reschedule(e, m.wall())
			m.changed()
		}
		return
	}
	now := m.wall()
	e.lastAttempt = now
	if err == nil {
		e.setToken(tok)
		e.sessionEnds = f.ends
		e.lastRefresh = now
		e.phase = phaseIdle
		e.lastErr, e.streak, e.retryAt = nil, 0, time.Time{}
		if e.seed == seedQueued {
			e.seed = seedNone
		}
	} else {
		e.lastErr, e.class = err, Classify(err)
		if errors.Is(err, ErrSignInNeeded) {
			e.sessionEnds = time.Time{}
		}
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
