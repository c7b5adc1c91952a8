package tokens

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// ErrUnknownProfile is wrapped by the errors of Token and Refresh for a
// profile name the Manager does not hold.
var ErrUnknownProfile = errors.New("unknown profile")

// ErrClosed is returned by Token and Refresh after Close when no valid
// token is cached.
var ErrClosed = errors.New("manager closed")

// ManagerOptions configures NewManager. Zero fields take the defaults.
type ManagerOptions struct {
	// Fetcher performs token requests. nil makes every fetch fail with
	// ErrNoFetcher: a Manager that only writes profiles needs none.
	Fetcher Fetcher
	// Store, when set, is where the profiles live: SaveProfile,
	// DeleteProfile and LoadProfiles write and read it, and it is the Cache
	// unless Cache is set.
	Store Store
	// Cache, when set, seeds profiles new to the Manager with their cached
	// token and receives every newly fetched token. When it is also a
	// FetchLocker (the keyring store), fetches are shared with the other
	// processes using it: see SharedToken.
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
	// RevokeReplaced, when set, revokes the refresh token a new sign-in
	// (SignedIn) replaces, after the new one is kept (see ReplaceSignIn):
	// Signer.RevokeRefresh.
	RevokeReplaced RevokeFunc

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
	maxSeeders          = 4                // cache reads at once
)

// Manager holds the current token of every profile, fetches tokens on
// demand with one request per profile at a time, and refreshes them in the
// background before they expire (see Run). All methods are safe for
// concurrent use. Engine state reaches the UI only as immutable snapshots
// (Snapshot, Subscribe).
//
// Auto-refresh of a profile begins once a token is wanted for it: after the
// first Token or Refresh call, when a still-valid token was seeded from
// the Cache, or after StartAutoRefresh. It is due at ExpiresAt − lead, the lead being the profile's
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
// with its cached token if that is still valid and was fetched with the
// profile's request (Token.FetchedFor; Token waits for that read rather
// than fetching). A profile whose credentials changed is never seeded.
// Every fetch runs as described at SharedToken: under the profile's
// cross-process fetch lock when the Cache has one, reading the cache again
// first, and writing the new token before the lock is released.
//
// Profiles: with a Store, change them through SaveProfile, DeleteProfile
// and LoadProfiles, which write the Store first and then the Manager's set.
// SetProfiles, Put and Remove change only the Manager's working copy.
//
// Request log: each fetch runs under WithLogRecorder, so the
// exchanges the Fetcher reports (oauth.Client reports each token request,
// redacted) are kept per profile, the newest MaxLogEntries, in memory only,
// across edits of the profile and dropped with it; ProfileState.LogEntries
// publishes them.
//
// Put and Remove copy the name→profile map (the lock-free read path needs
// an immutable map), so changing n profiles one by one costs O(n²): use
// SetProfiles for bulk changes.
type Manager struct {
	fetcher       Fetcher
	cache         TokenCache
	revokeOld     RevokeFunc // revokes the refresh token a new sign-in replaces (nil: none)
	store         Store      // nil: the profile writes are unavailable
	now           func() time.Time
	checkInterval time.Duration
	bo            backoff
	rand          func() float64
	maxInFlight   int // scheduled fetches at once
	pubEvery      time.Duration
	closeWait     time.Duration

	// entries maps names to the current entries. The map is never changed
	// once published: writers (holding mu) publish a modified copy, so
	// readers only need an atomic load.
	entries atomic.Pointer[map[string]*entry]

	base       context.Context // cancelled by Close: fetches, cache reads, Run
	cancel     context.CancelFunc
	saveCtx    context.Context // cache writes; cancelled when Close stops waiting
	saveCancel context.CancelFunc
	closeOnce  sync.Once
	wake       chan struct{} // tells Run the earliest due time changed

	mu     sync.Mutex
	idle   *sync.Cond // broadcast when active reaches zero
	closed bool
	// active counts background goroutines running (goBackground). It is
	// atomic so a finishing goroutine leaves without taking mu (see
	// goBackground); it is read under mu where that matters (settle).
	active  atomic.Int64
	sorted  []*entry     // live entries by name; nil when the set changed
	due     dueHeap      // wanted automatic fetches, earliest first
	workers int          // scheduler workers running
	seedQ   []*entry     // cache reads to do (cachesync.go)
	seeders int          // goroutines doing them
	tested  testedTokens // tokens of the form's Test, for SaveProfile

	exchangeSeq uint64 // Seq of the last exchange recorded (exchange.go)

	dirty    bool // state changed since snap was built
	seq      uint64
	snap     *Snapshot
	subs     map[*subscriber]struct{}
	kick     chan struct{} // wakes the notifier
	notifier chan struct{} // closed when the notifier ends; nil if none started
}

// ErrNoFetcher is the fetch error of a Manager made without a Fetcher.
var ErrNoFetcher = errors.New("no token client configured")

// NewManager returns a Manager with no profiles. Call Run to start
// background refresh and Close when done.
func NewManager(o ManagerOptions) *Manager {
	if o.Fetcher == nil {
		o.Fetcher = FetcherFunc(func(context.Context, Profile) (*Token, error) { return nil, ErrNoFetcher })
	}
	m := &Manager{
		fetcher:       o.Fetcher,
		cache:         o.Cache,
		store:         o.Store,
		revokeOld:     o.RevokeReplaced,
		now:           o.Now,
		checkInterval: cmp.Or(o.CheckInterval, DefaultCheckInterval),
		bo:            backoff{min: cmp.Or(o.MinRetry, DefaultMinRetry), max: cmp.Or(o.MaxRetry, DefaultMaxRetry)},
		rand:          o.rand,
		maxInFlight:   cmp.Or(o.maxInFlight, defaultMaxInFlight),
		pubEvery:      cmp.Or(o.publishEvery, defaultPublishEvery),
		closeWait:     cmp.Or(o.closeWait, defaultCloseWait),
		wake:          make(chan struct{}, 1),
		kick:          make(chan struct{}, 1),
		subs:          map[*subscriber]struct{}{},
		dirty:         true,
	}
	if m.cache == nil && m.store != nil {
		m.cache = m.store
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.rand == nil {
		m.rand = rand.Float64
	}
	m.bo.max = max(m.bo.max, m.bo.min)
	m.idle = sync.NewCond(&m.mu)
	m.base, m.cancel = context.WithCancel(context.Background())
	m.saveCtx, m.saveCancel = context.WithCancel(context.Background())
	m.entries.Store(&map[string]*entry{})
	return m
}

// shared is how the Manager fetches: shared across processes through the
// Cache (see SharedToken).
func (m *Manager) shared() sharedFetch { return sharedFetch{cache: m.cache, fetcher: m.fetcher} }

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
		if h := e.current.Load(); h != nil && h.exp-m.now().UnixNano() >= int64(minValid) {
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

// obtain gets a token for Token (force false) or Refresh (force true): it
// looks under m.mu what stands between the caller and a token, waits for
// that (a cache read, a fetch), and looks again.
func (m *Manager) obtain(ctx context.Context, name string, minValid time.Duration, force bool) (*Token, error) {
	for {
		m.mu.Lock()
		tok, wait, f, err := m.nextStep(name, minValid, force)
		m.mu.Unlock()
		if wait == nil {
			return tok, err
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if f != nil && !f.stale {
			return f.tok, f.err
		}
		// A cache read ended, or the profile changed or went during the
		// fetch: look again.
	}
}

// nextStep returns either the answer (tok, err) or what to wait for: the
// cache read of a profile new to the Manager, or a fetch (joined when one
// is under way, else started). force skips the cache and lifts a stop.
// m.mu is held.
func (m *Manager) nextStep(name string, minValid time.Duration, force bool) (tok *Token, wait <-chan struct{}, f *flight, err error) {
	e := (*m.entries.Load())[name]
	if e == nil {
		return nil, nil, nil, unknownProfile(name)
	}
	if e.invalid != nil {
		return nil, nil, nil, e.invalid
	}
	now := m.wall()
	if force {
		if e.phase == phaseStopped {
			e.phase = phaseIdle
		}
		if e.seed == seedQueued {
			e.seed = seedNone // a fresh token is coming: skip the cache
		}
	} else {
		if t := e.token(); t.ValidFor(now, minValid) {
			return t, nil, nil, nil
		}
		if done := m.awaitSeed(e); done != nil {
			return nil, done, nil, nil
		}
		if e.phase == phaseStopped {
			return nil, nil, nil, e.lastErr
		}
	}
	f, err = m.joinFetch(e, now, minValid, force)
	if err != nil {
		return nil, nil, nil, err
	}
	return nil, f.done, f, nil
}

// awaitSeed returns the channel closed when e's cache read ends,
// starting the read when it is queued, or nil when there is none. m.mu is held.
func (m *Manager) awaitSeed(e *entry) <-chan struct{} {
	switch {
	case e.seed == seedQueued && !m.closed:
		m.startSeed(e, func() { m.seedFromCache(e) })
	case e.seed != seedRunning:
		return nil
	}
	return e.seedDone
}

// joinFetch returns the fetch under way for e, or starts one. m.mu is held.
func (m *Manager) joinFetch(e *entry, now time.Time, minValid time.Duration, force bool) (*flight, error) {
	if m.closed {
		return nil, ErrClosed
	}
	e.wanted = true
	if e.flight != nil {
		return e.flight, nil
	}
	f := m.startFlight(e, now, minValid, force)
	m.goBackground(func() { m.runFlight(e, f) })
	return f, nil
}

func unknownProfile(name string) error {
	return fmt.Errorf("%w %q", ErrUnknownProfile, name)
}
