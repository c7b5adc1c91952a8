package tokens

import (
	"math"
	"sync/atomic"
	"time"
)

// A profile's entry in the Manager: its version of the profile, the token
// it holds, and where its fetch and seeding stand.

// entry is one version of one profile. A profile replaced by a different
// value gets a new entry: results of the old one's work are then ignored.
type entry struct {
	current atomic.Pointer[heldToken] // last good token; nil if none

	// The rest is guarded by Manager.mu.
	profile       Profile // canonical; its Name never changes
	invalid       error   // Validate's *ValidationError, or nil
	phase         phase   // see phase.go
	wanted        bool    // a token was asked for or seeded: auto-refresh on
	wantAfterSeed bool    // StartAutoRefresh asked during the cache read: wanted once it ends
	seed          seedState
	seedDone      chan struct{} // closed when a running cache read ends
	flight        *flight       // when phaseFetching
	lastRefresh   time.Time
	lastAttempt   time.Time
	retryAt       time.Time // when phaseBackingOff: when to try again
	lastErr       error
	class         ErrorClass
	streak        int        // consecutive failed fetches
	dueNs         int64      // wall time (Unix ns) when in the heap
	heapIndex     int        // index in Manager.due, -1 when not scheduled
	exchanges     []LogEntry // newest first, at most MaxLogEntries; never changed in place
	sessionEnds   time.Time  // see ProfileState.SessionEnds
	// epoch counts the changes of the token from outside a flight (a
	// sign-in, here or by another process, a sign-out, the form's Test;
	// see newEpoch): a flight begun in an older epoch is stale, so its
	// outcome (a sign-in needed found before the sign-in, a token of the
	// sign-in signed out) never overwrites the newer state.
	epoch uint64
}

// heldToken is an entry's token with its expiry as Unix nanoseconds, which Token
// compares with one subtraction (time.Time.Sub guards against overflow and
// costs several times more). Immutable.
type heldToken struct {
	tok *Token
	exp int64
}

// token returns e's last good token, or nil.
func (e *entry) token() *Token {
	if h := e.current.Load(); h != nil {
		return h.tok
	}
	return nil
}

// newEpoch says e's token changed outside a flight: the outcome of the
// flight under way, if any, is stale (see entry.epoch). m.mu is held.
func (e *entry) newEpoch() { e.epoch++ }

// setToken makes t (accepted, or nil) e's token.
func (e *entry) setToken(t *Token) {
	if t == nil {
		e.current.Store(nil)
		return
	}
	e.current.Store(&heldToken{tok: t, exp: unixNano(t.ExpiresAt)})
}

// unixNano is t.UnixNano clamped to [0, MaxInt64] (1970 to 2262), so
// that exp − now cannot overflow for any present-day now: a zero or absurd
// expiry counts as long expired, a far-future one as valid.
func unixNano(t time.Time) int64 {
	switch {
	case t.After(maxUnixNano):
		return math.MaxInt64
	case t.Before(unixEpoch):
		return 0
	}
	return t.UnixNano()
}

var (
	maxUnixNano = time.Unix(0, math.MaxInt64)
	unixEpoch   = time.Unix(0, 0)
)

// seedState is where the seeding of an entry stands: the read of the
// cached token of a profile new to the Manager (cachesync.go).
type seedState uint8

const (
	seedNone    seedState = iota
	seedQueued            // queued: whoever claims it first reads the cache
	seedRunning           // seedDone is closed when it ends
)
