package tokens

import (
	"testing"
	"time"
)

// wallNanos must be the same wall clock as time.Now: the cached read and
// the scheduler compare against the same expiry times.
func TestWallNanosIsTheWallClock(t *testing.T) {
	for range 100 {
		before := time.Now().UnixNano()
		got := wallNanos()
		after := time.Now().UnixNano()
		// Gettimeofday has microsecond resolution: allow for truncation.
		if got < before-int64(time.Microsecond) || got > after {
			t.Fatalf("wallNanos = %d, not within [%d, %d] read by time.Now", got, before, after)
		}
	}
}
