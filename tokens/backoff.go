package tokens

import "time"

// Defaults for ManagerOptions.
const (
	// DefaultCheckInterval is how often the scheduler re-reads the wall clock
	// even when nothing is due, so a refresh that fell due while the machine
	// slept runs within this long of waking up.
	DefaultCheckInterval = 5 * time.Second
	// DefaultMinRetry is the shortest delay between two automatic attempts
	// for one profile.
	DefaultMinRetry = 5 * time.Second
	// DefaultMaxRetry caps the retry delay after transient failures.
	DefaultMaxRetry = 5 * time.Minute
)

// backoff computes retry delays after failed fetches. It is a pure value;
// the caller supplies the randomness so tests are deterministic.
type backoff struct {
	min, max time.Duration
}

// delay is the wait before the next attempt after the streak-th consecutive
// failure (streak ≥ 1) whose error asked for retryAfter (zero if it did not).
// rnd is uniform in [0, 1).
//
// The base doubles from min with each failure up to max; "equal jitter"
// then picks uniformly from [base/2, base), so profiles that failed together
// spread out while the delay still grows. A server's Retry-After is honoured
// when it is longer, up to max (a server asking for hours does not freeze a
// profile). The result is never below min nor above max.
func (b backoff) delay(streak int, retryAfter time.Duration, rnd float64) time.Duration {
	base := b.min
	for i := 1; i < streak && base < b.max; i++ {
		base *= 2
	}
	base = min(base, b.max)
	d := base/2 + time.Duration(rnd*float64(base/2))
	d = max(d, retryAfter, b.min)
	return min(d, b.max)
}

// retryAt is when to try again after a failure at now, given the delay from
// delay and the expiry of the token still held (zero if none is valid).
//
// Losing the last good token is worse than one early request, so when the
// delay would run past the token's expiry the attempt is moved to
// expiry − min (the last chance with a margin), but never closer than min to
// now: the floor protects the server even then.
func (b backoff) retryAt(now time.Time, d time.Duration, expires time.Time) time.Time {
	at := now.Add(d)
	if !expires.IsZero() && expires.After(now) && !at.Before(expires.Add(-b.min)) {
		at = expires.Add(-b.min)
	}
	if floor := now.Add(b.min); at.Before(floor) {
		at = floor
	}
	return at
}
