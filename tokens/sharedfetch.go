package tokens

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"
)

// One fetch across processes. Within a process the Manager joins callers
// onto one flight per profile; across processes (the tray app, `tokentray
// token`, `tokentray exec`, thirty of them started by xargs -P) a cache
// shared between them may also be a FetchLocker. Then every fetch runs
// under the profile's cross-process fetch lock: take the lock, read the
// cache again (another process may have just fetched), fetch only when
// nothing good is there, write the new token to the cache, release. So the
// waiters find the winner's token instead of asking the server again.
//
// A waiter's wait is bounded by FetchWaitLimit: past it the waiter fetches
// on its own rather than hang behind a stuck process. A process that dies
// holding the lock loses it at once (the operating system drops an advisory
// file lock with its holder), so it never blocks the others.

// FetchLocker is implemented by a TokenCache shared with other processes
// (the keyring store) to serialise fetches of one profile across them.
type FetchLocker interface {
	// LockFetch takes the named profile's cross-process fetch lock, waiting
	// until it is free or ctx ends, and returns the function that releases
	// it. The lock is released too when the holding process ends. Safe for
	// concurrent use; two holders in one process exclude each other too.
	LockFetch(ctx context.Context, name string) (unlock func(), err error)
}

// DefaultFetchTimeout bounds one token request, discovery included, when
// nothing else is said: the HTTP client's default (oauth.DefaultTimeout)
// and the command line's --timeout.
const DefaultFetchTimeout = 30 * time.Second

// FetchWaitLimit bounds how long a fetch waits for another process's fetch
// of the same profile before asking the server itself: longer than one
// fetch may take (the HTTP client's DefaultTimeout, 30s) plus writing its
// token to the keyring.
const FetchWaitLimit = 45 * time.Second

// sharedFetch performs fetches that are shared across processes through
// cache when it is a FetchLocker. cache may be nil (no sharing, no saving).
type sharedFetch struct {
	cache     TokenCache
	fetcher   Fetcher
	waitLimit time.Duration // FetchWaitLimit when zero (tests shorten it)
}

// lock takes p's fetch lock when the cache has one, waiting at most
// FetchWaitLimit; locked says whether it did, so another process may have
// fetched meanwhile. It returns a release function in every case but a
// cancelled ctx: a lock that cannot be had (a stuck holder, nowhere to keep
// the lock file) only costs the sharing, never the fetch.
func (s sharedFetch) lock(ctx context.Context, name string) (unlock func(), locked bool, err error) {
	locker, ok := s.cache.(FetchLocker)
	if !ok {
		return func() {}, false, nil
	}
	wctx, cancel := context.WithTimeout(ctx, cmp.Or(s.waitLimit, FetchWaitLimit))
	defer cancel()
	unlock, err = locker.LockFetch(wctx, name)
	switch {
	case err == nil:
		return unlock, true, nil
	case ctx.Err() != nil:
		return nil, false, ctx.Err()
	}
	return func() {}, false, nil
}

// reread returns the cached token of p when it was fetched with p's request
// and good accepts it, else nil. A cache that cannot be read is a miss.
func (s sharedFetch) reread(ctx context.Context, p Profile, good func(*Token) bool) *Token {
	if s.cache == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, cacheTimeout)
	defer cancel()
	t, err := s.cache.LoadToken(ctx, p.Name)
	if err != nil || !t.FetchedFor(p) || !good(t) {
		return nil
	}
	return t
}

// fetch asks the server for a token for p and returns it checked, without
// monotonic clock readings, and bound to p's request; for a sign-in,
// with when it ends (zero when unknown, and for client credentials).
func (s sharedFetch) fetch(ctx context.Context, p Profile) (t *Token, session time.Time, err error) {
	if p.Grant.SignsIn() {
		t, session, err = s.refresh(ctx, p) // refreshflow.go
	} else {
		t, err = s.fetcher.Fetch(ctx, p)
	}
	if err != nil {
		return nil, time.Time{}, err
	}
	if t, err = accept(t); err != nil {
		return nil, time.Time{}, err
	}
	return boundTo(t, p.RequestFingerprint()), session, nil
}

// save writes t, fetched for p, to the cache. A failed write only costs a
// fetch later, so its error is returned for tests and otherwise ignored.
func (s sharedFetch) save(ctx context.Context, p Profile, t *Token) error {
	if s.cache == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, cacheTimeout)
	defer cancel()
	return s.cache.SaveToken(ctx, p.Name, t)
}

// SharedTokenOptions configures SharedToken.
type SharedTokenOptions struct {
	// Cache holds the tokens shared with other processes (the keyring
	// Store). Required.
	Cache TokenCache
	// Fetcher performs the token request. Required.
	Fetcher Fetcher
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Cached, when set, is p's token as the caller just read it from Cache
	// (tokens.ReadCached): it is used as Cache's answer to the first read,
	// saving that read. It is held to the same rules: fetched with p's
	// request and valid for minValid.
	Cached *Token
}

// SharedToken returns a token for p that stays valid for at least minValid,
// asking the server at most once across every process sharing o.Cache: the
// entry point of the command line (`token`, `exec`). A cached token fetched
// with p's request that is valid long enough is returned at once. Otherwise
// SharedToken takes p's cross-process fetch lock (when o.Cache is a
// FetchLocker; waiting at most FetchWaitLimit), reads the cache again, and
// only when still nothing good is there fetches, writes the token to the
// cache and then releases the lock. A freshly fetched token is returned
// even if it lives shorter than minValid.
//
// Errors: p's *ValidationError, the fetch error (see Classify), ctx.Err().
// Safe for concurrent use.
func SharedToken(ctx context.Context, p Profile, minValid time.Duration, o SharedTokenOptions) (*Token, error) {
	if o.Cache == nil || o.Fetcher == nil {
		return nil, errors.New("SharedToken needs a Cache and a Fetcher")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p = canonical(p)
	now := o.Now
	if now == nil {
		now = time.Now
	}
	good := func(t *Token) bool { return t.ValidFor(now(), minValid) }
	if t := o.Cached; t != nil && t.FetchedFor(p) && good(t) {
		return t, nil
	}
	return sharedFetch{cache: o.Cache, fetcher: o.Fetcher}.token(ctx, p, good)
}

// token is SharedToken for a canonical, valid p: the cached token when good
// accepts it, else one fetched under p's fetch lock.
func (s sharedFetch) token(ctx context.Context, p Profile, good func(*Token) bool) (*Token, error) {
	if t := s.reread(ctx, p, good); t != nil {
		return t, nil
	}
	unlock, locked, err := s.lock(ctx, p.Name)
	if err != nil {
		return nil, fmt.Errorf("waiting for another process's fetch of %q: %w", p.Name, err)
	}
	defer unlock()
	if locked {
		if t := s.reread(ctx, p, good); t != nil {
			return t, nil // another process fetched it while we waited
		}
	}
	t, _, err := s.fetch(ctx, p)
	if err != nil {
		return nil, err
	}
	// Written before the lock is released, so the waiters find it. The
	// caller's cancellation must not lose a token the server already issued.
	_ = s.save(context.WithoutCancel(ctx), p, t)
	return t, nil
}
