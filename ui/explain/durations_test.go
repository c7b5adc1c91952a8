package explain

import (
	"testing"
	"time"
)

// t0 is the tests' "now".
var t0 = time.Date(2025, 3, 14, 10, 0, 0, 0, time.Local)

func TestLeft(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "< 1 min"},
		{59 * time.Second, "< 1 min"},
		{time.Minute, "1 min"},
		{time.Minute + 13*time.Second, "1 min"},     // rounded down: "2 min" promised time not there (issue 29)
		{time.Minute + 57*time.Second, "1 min"},     // at least 1 min
		{42*time.Minute + 1*time.Second, "42 min"},  // rounded down
		{59*time.Minute + 59*time.Second, "59 min"}, // rounded down
		{time.Hour, "1 h"},
		{65 * time.Minute, "1 h 5 min"},
		{23*time.Hour + 59*time.Minute, "23 h 59 min"},
		{24 * time.Hour, "1 d"},
		{27*time.Hour + 30*time.Minute, "1 d 3 h"},
	} {
		if got := Left(tc.d); got != tc.want {
			t.Errorf("Left(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestLeftPrecise(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "0 s"},
		{44*time.Second + time.Millisecond, "45 s"},
		{time.Minute + 57*time.Second, "1 min 57 s"}, // not "1 min"
		{2 * time.Minute, "2 min"},
		{9*time.Minute + 59*time.Second + 1, "10 min"},
		{42*time.Minute + 1*time.Second, "42 min"},
	} {
		if got := LeftPrecise(tc.d); got != tc.want {
			t.Errorf("LeftPrecise(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestCountdown(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{-5 * time.Second, "0:00"},
		{0, "0:00"},
		{999 * time.Millisecond, "0:00"},
		{61 * time.Second, "1:01"},
		{41*time.Minute + 7*time.Second, "41:07"},
		{59*time.Minute + 59*time.Second, "59:59"},
		{time.Hour + 5*time.Minute + 9*time.Second, "1:05:09"},
		{50 * time.Hour, "2 d 2 h"},
	} {
		if got := Countdown(tc.d); got != tc.want {
			t.Errorf("Countdown(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{30 * time.Second, "30 s"},
		{90 * time.Second, "1 min 30 s"},
		{5 * time.Minute, "5 min"},
		{50 * time.Minute, "50 min"},
		{90 * time.Minute, "1 h 30 min"},
		{1500 * time.Millisecond, "2 s"},               // rounded to the second
		{9*time.Minute + 59*time.Second, "9 min 59 s"}, // seconds below ten minutes
		{15*time.Minute + 30*time.Second, "15 min"},    // rounded down beyond
		{26*time.Hour + 30*time.Minute, "1 d 2 h"},     // days for long lifetimes
	} {
		if got := Duration(tc.d); got != tc.want {
			t.Errorf("Duration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestAgo(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{t0.Add(-10 * time.Second), "just now"},
		{t0.Add(-3 * time.Minute), "3 min ago"},
		{t0.Add(-2 * time.Hour), "2 h ago"},
		// a future time is never rounded down: "(in 1 min)" with 1:57 to go
		// read as if the token were about to expire
		{t0.Add(3*time.Minute + 10*time.Second), "in 3 min 10 s"},
		{t0.Add(time.Minute + 56*time.Second + 500*time.Millisecond), "in 1 min 57 s"},
		{t0.Add(42*time.Minute + time.Second), "in 42 min"},
	} {
		if got := Ago(tc.t, t0); got != tc.want {
			t.Errorf("Ago(%v) = %q, want %q", tc.t.Sub(t0), got, tc.want)
		}
	}
}

func TestElapsedAndSetting(t *testing.T) {
	for d, want := range map[time.Duration]string{85 * time.Millisecond: "85 ms", 1249 * time.Millisecond: "1.2 s"} {
		if got := Elapsed(d); got != want {
			t.Errorf("Elapsed(%v) = %q, want %q", d, got, want)
		}
	}
	for d, want := range map[time.Duration]string{5 * time.Minute: "5m", 90 * time.Minute: "1h30m", 168 * time.Hour: "168h", 90 * time.Second: "1m30s", 45 * time.Second: "45s"} {
		if got := Setting(d); got != want {
			t.Errorf("Setting(%v) = %q, want %q", d, got, want)
		}
	}
}
