package tokens

import (
	"errors"
	"slices"
	"strings"
	"time"
)

// Status is a profile's state as a person would name it.
type Status int

// The profile states. StatusAt derives them from a ProfileState and a time.
const (
	// StatusNoToken: no token has been fetched yet (and none is being fetched).
	StatusNoToken Status = iota
	// StatusFresh: a valid token that is not yet due for refresh.
	StatusFresh
	// StatusRefreshing: a fetch is under way (a valid old token may still be served).
	StatusRefreshing
	// StatusExpiringSoon: the token is within its refresh lead of expiry and
	// no refresh is under way (auto-refresh off, or retries pending).
	StatusExpiringSoon
	// StatusExpired: the last token has expired and no fetch is under way,
	// whether or not a refresh failed too (LastError says so): expiry is a
	// state of its own, not a refresh failure.
	StatusExpired
	// StatusFailed: the last fetch failed and no token was ever held, or
	// automatic refresh stopped on a permanent error while the token is
	// still valid.
	StatusFailed
	// StatusSignInNeeded: a signed-in profile (Grant.SignsIn) whose
	// session ended (its refresh token was refused, or it had none and
	// the access token expired), and no fetch is under way:
	// only a person signing in again gets it a token (the engine never
	// starts a sign-in). A still-valid token is served until it expires.
	StatusSignInNeeded
	// StatusNotSignedIn: a profile a person signs in to (Grant.SignsIn)
	// that no one is signed in to: never signed in, or signed out on
	// purpose. Like StatusSignInNeeded only a sign-in gets it a token,
	// but nothing went wrong.
	StatusNotSignedIn
)

var statusNames = [...]string{"no-token", "fresh", "refreshing", "expiring-soon", "expired", "failed", "sign-in-needed", "not-signed-in"}

// String returns a stable machine name ("fresh", "expiring-soon", …), used by
// `tokentray list --json`. It is not user-facing wording.
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}

// ProfileState is one profile's state inside a Snapshot. It is immutable:
// the Manager never changes a published ProfileState or the Token it points to.
type ProfileState struct {
	// Profile is the profile as the Manager uses it (normalized).
	Profile Profile
	// Token is the last good token, or nil. It may have expired: see StatusAt.
	Token *Token
	// Refreshing is true while a fetch is under way.
	Refreshing bool
	// LastRefresh is when the last successful fetch completed (zero if none).
	LastRefresh time.Time
	// LastAttempt is when the last fetch, good or bad, completed (zero if none).
	LastAttempt time.Time
	// NextRefresh is when the next automatic fetch is due; zero when none is
	// scheduled (auto-refresh off, stopped, or no token wanted yet).
	NextRefresh time.Time
	// LastError is the error of the last fetch when it failed, else nil.
	// It stays set through retries and clears on the next success.
	LastError error
	// ErrorClass classifies LastError.
	ErrorClass ErrorClass
	// FailureStreak counts consecutive failed fetches (0 after a success).
	FailureStreak int
	// Stopped is true when automatic refresh stopped after a permanent error;
	// it resumes when the profile changes or a refresh is asked for.
	Stopped bool
	// LogEntries are the profile's last token requests and answers, newest
	// first (at most MaxLogEntries, kept in memory only, redacted; see
	// LogEntry). The slice is shared between snapshots: do not modify it.
	// A new exchange has a larger Seq than LogEntries[0], so a view can
	// tell that the log changed by comparing LogEntries[0].Seq.
	LogEntries []LogEntry
	// SessionEnds is when the profile's sign-in ends: the expiry the
	// server gave its refresh token (refresh_expires_in, or a JWT refresh
	// token's exp). Zero when unknown, or for a profile no one is signed
	// in to (and every client credentials profile).
	SessionEnds time.Time
}

// StatusAt derives the profile's status at time now. It is a pure function,
// so a UI can re-evaluate it every second between snapshots.
func (s *ProfileState) StatusAt(now time.Time) Status {
	valid := s.Token.ValidFor(now, time.Nanosecond)
	switch {
	case s.Refreshing:
		return StatusRefreshing
	case s.SignInNeeded() && s.SessionEnded():
		return StatusSignInNeeded
	case s.SignInNeeded():
		return StatusNotSignedIn
	case s.Token == nil && s.LastError != nil:
		return StatusFailed
	case s.Token == nil:
		return StatusNoToken
	case !valid:
		return StatusExpired
	case s.LastError != nil && s.Stopped:
		return StatusFailed
	case s.Token.ExpiresAt.Sub(now) <= s.RefreshLead():
		return StatusExpiringSoon
	default:
		return StatusFresh
	}
}

// SignInNeeded reports whether the last fetch said the profile needs a
// person to sign in (ErrSignInNeeded): no one is signed in, or the
// session ended (SessionEnded tells which).
func (s *ProfileState) SignInNeeded() bool {
	return s.LastError != nil && errors.Is(s.LastError, ErrSignInNeeded)
}

// SessionEnded reports whether LastError says a sign-in ended without the
// person asking (ReasonSessionEnded), as opposed to no one having signed
// in: a person should hear of it.
func (s *ProfileState) SessionEnded() bool {
	var sn *SignInNeededError
	return errors.As(s.LastError, &sn) && sn.Ended()
}

// RefreshLead is the effective lead for the current token (see
// refreshLead).
func (s *ProfileState) RefreshLead() time.Duration { return refreshLead(s.Profile, s.Token) }

// refreshLead is how long before t expires it is refreshed for p: p's lead,
// capped at half t's lifetime so a short-lived token is not refreshed in a
// loop (p's lead alone when t is nil).
func refreshLead(p Profile, t *Token) time.Duration {
	lead := p.Normalized().RefreshLead
	if t != nil {
		if half := t.Lifetime() / 2; lead > half {
			lead = half
		}
	}
	return lead
}

// TimeLeft is how long the token stays valid after now (negative once
// expired, zero without a token).
func (s *ProfileState) TimeLeft(now time.Time) time.Duration {
	if s.Token == nil {
		return 0
	}
	return s.Token.ExpiresAt.Sub(now)
}

// Snapshot is the state of every profile at one moment. Snapshots are
// immutable and safe to share between goroutines.
type Snapshot struct {
	// At is when the snapshot was taken.
	At time.Time
	// Seq increases by one with every published snapshot.
	Seq uint64
	// Profiles is sorted by name.
	Profiles []ProfileState
}

// Find returns the state of the named profile.
func (s *Snapshot) Find(name string) (*ProfileState, bool) {
	i, ok := slices.BinarySearchFunc(s.Profiles, name, func(ps ProfileState, n string) int {
		switch {
		case ps.Profile.Name < n:
			return -1
		case ps.Profile.Name > n:
			return 1
		}
		return 0
	})
	if !ok {
		return nil, false
	}
	return &s.Profiles[i], true
}

// Snapshot returns the latest state of every profile. It never returns nil;
// the result is immutable and shared, so do not modify it.
func (m *Manager) Snapshot() *Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.snapshot()
}

// Subscribe returns a channel that receives the current snapshot at once
// and then newer ones as the state changes (fetch start and end, errors,
// profile set changes). The channel holds one snapshot: a reader that falls
// behind finds only the latest one waiting, and the Manager never blocks on
// it. Bursts of changes are coalesced, at most about ten updates a second.
// cancel (idempotent) and Close close the channel.
func (m *Manager) Subscribe() (updates <-chan *Snapshot, cancel func()) {
	s := &subscriber{ch: make(chan *Snapshot, 1)}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		close(s.ch)
		return s.ch, func() {}
	}
	m.subs[s] = struct{}{}
	s.offer(m.snapshot())
	if m.notifier == nil {
		m.notifier = make(chan struct{})
		go m.notify(m.notifier)
	}
	return s.ch, func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		if _, ok := m.subs[s]; ok {
			delete(m.subs, s)
			close(s.ch)
		}
	}
}

type subscriber struct {
	ch   chan *Snapshot
	last uint64 // Seq of the last snapshot offered
}

// offer replaces whatever waits in the channel by snap. Only the notifier
// and Subscribe call it, with Manager.mu held, so it never blocks.
func (s *subscriber) offer(snap *Snapshot) {
	if snap.Seq <= s.last {
		return
	}
	s.last = snap.Seq
	for {
		select {
		case s.ch <- snap:
			return
		default:
		}
		select {
		case <-s.ch: // drop the stale one
		default:
		}
	}
}

// changed marks the state as changed. m.mu is held.
func (m *Manager) changed() {
	m.dirty = true
	if len(m.subs) > 0 {
		select {
		case m.kick <- struct{}{}:
		default:
		}
	}
}

// snapshot returns the latest snapshot, building it if the state changed.
// m.mu is held.
func (m *Manager) snapshot() *Snapshot {
	if !m.dirty && m.snap != nil {
		return m.snap
	}
	if m.sorted == nil {
		set := *m.entries.Load()
		m.sorted = make([]*entry, 0, len(set))
		for _, e := range set {
			m.sorted = append(m.sorted, e)
		}
		slices.SortFunc(m.sorted, func(a, b *entry) int { return strings.Compare(a.profile.Name, b.profile.Name) })
	}
	ps := make([]ProfileState, len(m.sorted))
	for i, e := range m.sorted {
		ps[i] = ProfileState{
			Profile:       e.profile,
			Token:         e.token(),
			Refreshing:    e.phase == phaseFetching,
			LastRefresh:   e.lastRefresh,
			LastAttempt:   e.lastAttempt,
			LastError:     e.lastErr,
			ErrorClass:    e.class,
			FailureStreak: e.streak,
			Stopped:       e.phase == phaseStopped,
			LogEntries:    e.exchanges,
			SessionEnds:   e.sessionEnds,
		}
		if e.heapIndex >= 0 {
			ps[i].NextRefresh = time.Unix(0, e.dueNs)
		}
	}
	m.seq++
	m.snap = &Snapshot{At: m.wall(), Seq: m.seq, Profiles: ps}
	m.dirty = false
	return m.snap
}

// notify sends snapshots to subscribers after changes, at most one per
// publishEvery, until Close.
func (m *Manager) notify(done chan struct{}) {
	defer close(done)
	var t *time.Timer
	for {
		select {
		case <-m.base.Done():
			return
		case <-m.kick:
		}
		m.mu.Lock()
		if len(m.subs) > 0 {
			snap := m.snapshot()
			for s := range m.subs {
				s.offer(snap)
			}
		}
		m.mu.Unlock()
		if m.pubEvery <= 0 {
			continue
		}
		if t == nil {
			t = time.NewTimer(m.pubEvery)
		} else {
			t.Reset(m.pubEvery)
		}
		select {
		case <-m.base.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
