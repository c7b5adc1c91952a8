package tokens

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// ErrUnknownProfile is wrapped by the errors of Token and Refresh for a
// profile name the Manager does not hold.
var ErrUnknownProfile = errors.New("tokens: unknown profile")

// ErrClosed is returned by Token and Refresh after Close when no valid
// token is cached.
var ErrClosed = errors.New("tokens: manager closed")

// ManagerOptions configures NewManager. Zero fields take the defaults.
type ManagerOptions struct {
	// Fetcher performs token requests. Required.
	Fetcher Fetcher
	// Cache, when set, seeds profiles new to the Manager with their cached
	// token and receives every newly fetched token (written asynchronously).
	Cache TokenCache
	// Now is the clock; nil means time.Now. Only its wall reading is used, so
	// due times stay right across suspend and resume.
	Now func() time.Time
	// CheckInterval is how often Run re-reads the wall clock even when
	// nothing is due (DefaultCheckInterval).
	CheckInterval time.Duration
	// MinRetry is the shortest delay between automatic attempts for one
	// profile (DefaultMinRetry); MaxRetry caps retry delays after transient
	// failures (DefaultMaxRetry).
	MinRetry, MaxRetry time.Duration

	// The unexported fields tune internals for tests and benchmarks.
	rand         func() float64 // uniform in [0, 1); called with m.mu held
	maxInFlight  int            // scheduled fetches at once (8)
	publishEvery time.Duration  // least real time between subscriber updates (100ms); <0: none
	closeWait    time.Duration  // how long Close waits for background work (5s)
}

const (
	defaultMaxInFlight  = 8
	defaultPublishEvery = 100 * time.Millisecond
	defaultCloseWait    = 5 * time.Second
	cacheTimeout        = 10 * time.Second // one cache read or write
	maxLoaders          = 4                // cache reads at once
)

// Manager holds the current token of every profile, fetches tokens on
// demand with one request per profile at a time, and refreshes them in the
// background before they expire (see Run). All methods are safe for
// concurrent use. Engine state reaches the UI only as immutable snapshots
// (Snapshot, Subscribe).
//
// Auto-refresh of a profile begins once a token is wanted for it: after the
// first Token or Refresh call, or when a still-valid token was seeded from
// the Cache. It is due at ExpiresAt − lead, the lead being the profile's
// RefreshLead capped at half the token's lifetime (ProfileState.RefreshLead);
// the old token is served until the new one arrives. Profiles with
// ManualRefresh set, profiles that fail Validate and profiles stopped by a
// permanent error are never fetched in the background.
//
// After a transient failure (see Classify) the profile is retried with
// exponential backoff and jitter, never sooner than MinRetry, honouring
// Retry-After up to MaxRetry, and with one attempt shortly before the
// token held expires. After a permanent failure automatic refresh stops
// until the profile changes or Refresh is called. Either way the last good
// token is served while it is valid.
//
// Cache: a profile name new to the Manager is seeded, in the background,
// with its cached token if that is still valid (Token waits for that read
// rather than fetching). A profile whose credentials changed is never
// seeded. The Cache holds tokens by name only, so a Store that saves
// changed credentials should drop the cached token of the old ones.
//
// Put and Remove copy the name→profile map (the lock-free read path needs
// an immutable map), so changing n profiles one by one costs O(n²): use
// SetProfiles for bulk changes.
type Manager struct {
	fetcher   Fetcher
	cache     TokenCache
	now       func() time.Time
	injected  bool // now came from ManagerOptions.Now (else the cached read calls wallNanos directly)
	check     time.Duration
	bo        backoff
	rand      func() float64
	limit     int
	pubEvery  time.Duration
	closeWait time.Duration

	// entries maps names to the current entries. The map is never changed
	// once published: writers (holding mu) publish a modified copy, so
	// readers only need an atomic load.
	entries atomic.Pointer[map[string]*entry]

	base       context.Context // cancelled by Close: fetches, cache reads, Run
	cancel     context.CancelFunc
	saveCtx    context.Context // cancelled when Close stops waiting
	saveCancel context.CancelFunc
	closeOnce  sync.Once
	wake       chan struct{} // tells Run the earliest due time changed

	mu      sync.Mutex
	idle    *sync.Cond    // broadcast when active reaches zero
	allDone chan struct{} // closed when closed && active == 0
	closed  bool
	active  int      // goroutines doing background work
	sorted  []*entry // live entries by name; nil when the set changed
	due     dueHeap  // wanted automatic fetches, earliest first
	workers int      // scheduler workers running
	loadQ   []*entry // cache reads to do
	loaders int
	saveQ   []*entry // cache writes to do (each entry once; latest token)
	saving  bool     // the saver goroutine is running

	dirty    bool // state changed since snap was built
	seq      uint64
	snap     *Snapshot
	subs     map[*subscriber]struct{}
	kick     chan struct{} // wakes the notifier
	notifier chan struct{} // closed when the notifier ends; nil if none started
}

// entry is one version of one profile. A profile replaced by a different
// value gets a new entry: results of the old one's work are then ignored.
type entry struct {
	cur atomic.Pointer[held] // last good token; nil if none

	name string // immutable

	// The rest is guarded by Manager.mu.
	profile     Profile // normalized
	invalid     error   // Validate's *ValidationError, or nil
	live        bool    // false once replaced or removed
	wanted      bool    // a token was asked for or seeded: auto-refresh on
	stopped     bool    // a permanent error stopped auto-refresh
	saveQueued  bool
	load        loadState
	loadDone    chan struct{} // closed when a running cache read ends
	flight      *flight
	lastRefresh time.Time
	lastAttempt time.Time
	retryAt     time.Time // after a transient failure: when to try again
	lastErr     error
	class       ErrorClass
	streak      int
	dueNs       int64 // wall time (Unix ns) when in the heap
	hidx        int   // index in Manager.due, -1 when not scheduled
}

// held is an entry's token with its expiry as Unix nanoseconds, which Token
// compares with one subtraction (time.Time.Sub guards against overflow and
// costs several times more). Immutable.
type held struct {
	tok *Token
	exp int64
}

// token returns e's last good token, or nil.
func (e *entry) token() *Token {
	if h := e.cur.Load(); h != nil {
		return h.tok
	}
	return nil
}

// setToken makes t (accepted, or nil) e's token.
func (e *entry) setToken(t *Token) {
	if t == nil {
		e.cur.Store(nil)
		return
	}
	e.cur.Store(&held{tok: t, exp: unixNano(t.ExpiresAt)})
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

type loadState uint8

const (
	loadNone    loadState = iota
	loadPending           // queued: whoever claims it first reads the cache
	loadRunning           // loadDone is closed when it ends
)

// NewManager returns a Manager with no profiles. It panics without a
// Fetcher. Call Run to start background refresh and Close when done.
func NewManager(o ManagerOptions) *Manager {
	if o.Fetcher == nil {
		panic("tokens: NewManager needs a Fetcher")
	}
	m := &Manager{
		fetcher:   o.Fetcher,
		cache:     o.Cache,
		now:       o.Now,
		check:     cmp(o.CheckInterval, DefaultCheckInterval),
		bo:        backoff{min: cmp(o.MinRetry, DefaultMinRetry), max: cmp(o.MaxRetry, DefaultMaxRetry)},
		rand:      o.rand,
		limit:     int(cmp(time.Duration(o.maxInFlight), defaultMaxInFlight)),
		pubEvery:  cmp(o.publishEvery, defaultPublishEvery),
		closeWait: cmp(o.closeWait, defaultCloseWait),
		wake:      make(chan struct{}, 1),
		kick:      make(chan struct{}, 1),
		allDone:   make(chan struct{}),
		subs:      map[*subscriber]struct{}{},
		dirty:     true,
	}
	m.bo.max = max(m.bo.max, m.bo.min)
	if m.now == nil {
		m.now = time.Now
	} else {
		m.injected = true
	}
	if m.rand == nil {
		m.rand = rand.Float64
	}
	m.idle = sync.NewCond(&m.mu)
	m.base, m.cancel = context.WithCancel(context.Background())
	m.saveCtx, m.saveCancel = context.WithCancel(context.Background())
	m.entries.Store(&map[string]*entry{})
	return m
}

// cmp returns v, or def when v is zero.
func cmp[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// nowNanos is the current wall-clock time as Unix nanoseconds: the clock of
// the cached read in Token, which calls the single-read wallNanos directly
// (no indirect call) unless a clock was injected.
func (m *Manager) nowNanos() int64 {
	if !m.injected {
		return wallNanos()
	}
	return m.now().UnixNano()
}

// wall is the current time without its monotonic reading: comparisons with
// it use the wall clock, which keeps running while the machine sleeps.
func (m *Manager) wall() time.Time { return m.now().Round(0) }

// Token returns a token for the named profile that stays valid for at least
// minValid. A cached token that does is returned at once, without locking
// or allocating. Otherwise the caller waits for a fetch (joining the one
// under way, if any: all concurrent callers share one request). Cancelling
// ctx abandons only this caller's wait, never the shared fetch.
//
// A freshly fetched token is returned even if it lives shorter than
// minValid: no fetch could do better. Errors: one wrapping
// ErrUnknownProfile; the profile's *ValidationError; the fetch error (see
// Classify); after a permanent error, that error again without a request
// until the profile changes or Refresh is called; ctx.Err(); ErrClosed.
func (m *Manager) Token(ctx context.Context, name string, minValid time.Duration) (*Token, error) {
	if e := (*m.entries.Load())[name]; e != nil {
		if h := e.cur.Load(); h != nil && h.exp-m.nowNanos() >= int64(minValid) {
			return h.tok, nil
		}
	}
	return m.obtain(ctx, name, minValid, false)
}

// Refresh fetches a new token for the named profile now, whatever the
// cached one (a fetch already under way is joined), and lifts a stop after
// a permanent error. It returns the new token or the fetch error; errors
// are as for Token.
func (m *Manager) Refresh(ctx context.Context, name string) (*Token, error) {
	return m.obtain(ctx, name, 0, true)
}

func (m *Manager) obtain(ctx context.Context, name string, minValid time.Duration, force bool) (*Token, error) {
	for {
		m.mu.Lock()
		e := (*m.entries.Load())[name]
		if e == nil {
			m.mu.Unlock()
			return nil, fmt.Errorf("%w %q", ErrUnknownProfile, name)
		}
		if e.invalid != nil {
			m.mu.Unlock()
			return nil, e.invalid
		}
		now := m.wall()
		if force {
			e.stopped = false
			if e.load == loadPending {
				e.load = loadNone // a fresh token is coming: skip the cache
			}
		} else {
			if t := e.token(); t.ValidFor(now, minValid) {
				m.mu.Unlock()
				return t, nil
			}
			switch {
			case e.load == loadPending && !m.closed:
				e.load, e.loadDone = loadRunning, make(chan struct{})
				m.active++
				m.mu.Unlock()
				m.loadCached(e)
				continue
			case e.load == loadRunning:
				done := e.loadDone
				m.mu.Unlock()
				select {
				case <-done:
				case <-ctx.Done():
					return nil, ctx.Err()
				}
				continue
			case e.stopped:
				err := e.lastErr
				m.mu.Unlock()
				return nil, err
			}
		}
		if m.closed {
			m.mu.Unlock()
			return nil, ErrClosed
		}
		e.wanted = true
		f := e.flight
		if f == nil {
			f = m.startFlight(e, now)
			go m.runFlight(e, f)
		}
		m.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if f.stale {
			continue // the profile changed or went meanwhile: look again
		}
		return f.tok, f.err
	}
}

// Close stops background work: Run returns, fetches under way are
// cancelled, subscriber channels are closed. It waits, at most a few
// seconds, for pending cache writes and background goroutines to finish
// (all are gone when it returns unless a Fetcher or Cache ignored its
// context that long).
// Cached tokens stay readable through Token. Close is idempotent.
func (m *Manager) Close() {
	m.closeOnce.Do(func() {
		m.mu.Lock()
		m.closed = true
		m.cancel()
		for s := range m.subs {
			close(s.ch)
		}
		clear(m.subs)
		if m.active == 0 {
			close(m.allDone)
		}
		notifier := m.notifier
		m.mu.Unlock()
		m.idle.Broadcast()
		t := time.NewTimer(m.closeWait)
		defer t.Stop()
		select {
		case <-m.allDone:
		case <-t.C:
		}
		m.saveCancel()
		if notifier != nil {
			<-notifier // it only waits on its timer or the cancelled m.base
		}
	})
}

// doneActive ends one unit of background work. m.mu is held.
func (m *Manager) doneActive() {
	m.active--
	if m.active == 0 {
		m.idle.Broadcast()
		if m.closed {
			close(m.allDone) // nothing starts after Close, so this runs once
		}
	}
}
