package tokens

import (
	"testing"
	"time"
)

func TestBackoffDelay(t *testing.T) {
	b := backoff{min: 5 * time.Second, max: 5 * time.Minute}
	s := time.Second
	tests := []struct {
		streak     int
		retryAfter time.Duration
		rnd        float64
		want       time.Duration
	}{
		{1, 0, 0, 5 * s},        // base 5s, jitter floor 2.5s, raised to MinRetry
		{1, 0, 0.999999, 5 * s}, // never above the base
		{2, 0, 0, 5 * s},        // base 10s → [5s, 10s)
		{2, 0, 0.5, 7500 * time.Millisecond},
		{3, 0, 0.5, 15 * s}, // doubles
		{4, 0, 0.5, 30 * s},
		{7, 0, 0.5, 225 * s}, // base capped at 300s → [150s, 300s)
		{50, 0, 0, 150 * s},  // a long streak neither overflows nor passes the cap
		{50, 0, 0.999999, 300 * s},
		{1, 90 * s, 0, 90 * s},             // Retry-After longer than the backoff wins
		{4, 10 * s, 0.5, 30 * s},           // shorter Retry-After does not shorten it
		{1, time.Hour, 0, 5 * time.Minute}, // but is capped at MaxRetry
	}
	for _, tc := range tests {
		got := b.delay(tc.streak, tc.retryAfter, tc.rnd)
		if d := got - tc.want; d < -time.Millisecond || d > time.Millisecond {
			t.Errorf("delay(streak %d, retry-after %v, rnd %v) = %v, want %v", tc.streak, tc.retryAfter, tc.rnd, got, tc.want)
		}
	}
}

func TestBackoffJitterSpreads(t *testing.T) {
	b := backoff{min: 5 * time.Second, max: 5 * time.Minute}
	lo, hi := b.delay(5, 0, 0), b.delay(5, 0, 0.99)
	if lo != 40*time.Second || hi < 79*time.Second || hi >= 80*time.Second {
		t.Fatalf("streak 5 spans [%v, %v], want [40s, 80s)", lo, hi)
	}
}

func TestBackoffRetryAtBeforeExpiry(t *testing.T) {
	b := backoff{min: 5 * time.Second, max: 5 * time.Minute}
	now := t0
	tests := []struct {
		name    string
		d       time.Duration
		expires time.Time
		want    time.Time
	}{
		{"no token", 2 * time.Minute, time.Time{}, now.Add(2 * time.Minute)},
		{"well before expiry", time.Minute, now.Add(time.Hour), now.Add(time.Minute)},
		{"would pass expiry", 3 * time.Minute, now.Add(time.Minute), now.Add(55 * time.Second)},
		{"expiry too close for the margin", 3 * time.Minute, now.Add(7 * time.Second), now.Add(5 * time.Second)},
		{"already expired", 3 * time.Minute, now.Add(-time.Second), now.Add(3 * time.Minute)},
	}
	for _, tc := range tests {
		if got := b.retryAt(now, tc.d, tc.expires); !got.Equal(tc.want) {
			t.Errorf("%s: retryAt = %v, want %v", tc.name, got.Sub(now), tc.want.Sub(now))
		}
	}
}
