package tokens

import (
	"slices"
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
	// StatusExpired: the last token has expired and no fetch is under way.
	StatusExpired
	// StatusFailed: the last fetch failed and no valid token is held, or
	// automatic refresh stopped on a permanent error.
	StatusFailed
)

var statusNames = [...]string{"no-token", "fresh", "refreshing", "expiring-soon", "expired", "failed"}

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
}

// StatusAt derives the profile's status at time now. It is a pure function,
// so a UI can re-evaluate it every second between snapshots.
func (s *ProfileState) StatusAt(now time.Time) Status {
	valid := s.Token.ValidFor(now, time.Nanosecond)
	switch {
	case s.Refreshing:
		return StatusRefreshing
	case s.LastError != nil && (s.Stopped || !valid):
		return StatusFailed
	case s.Token == nil:
		return StatusNoToken
	case !valid:
		return StatusExpired
	case s.Token.ExpiresAt.Sub(now) <= s.RefreshLead():
		return StatusExpiringSoon
	default:
		return StatusFresh
	}
}

// RefreshLead is the effective lead for the current token: the profile's
// lead, capped at half the token's lifetime so a short-lived token is not
// refreshed in a loop.
func (s *ProfileState) RefreshLead() time.Duration {
	lead := s.Profile.Normalized().RefreshLead
	if s.Token != nil {
		if half := s.Token.Lifetime() / 2; lead > half {
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
