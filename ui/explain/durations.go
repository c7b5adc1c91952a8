package explain

import (
	"fmt"
	"strings"
	"time"
)

// The duration formats of every interface, each named for where it is
// used. They are pure and safe for concurrent use.

// Countdown is the live countdown of a token's remaining lifetime, at
// second granularity, in the window's list and details, the picker and
// `tokentray list`: "41:07", "1:05:09", "2 d 3 h" (days need no seconds).
// Negative durations count as zero.
func Countdown(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	secs := int64(d / time.Second)
	switch {
	case d >= 24*time.Hour:
		return span(d)
	case secs >= 3600:
		return fmt.Sprintf("%d:%02d:%02d", secs/3600, secs%3600/60, secs%60)
	default:
		return fmt.Sprintf("%d:%02d", secs/60, secs%60)
	}
}

// Left words a remaining lifetime at minute granularity for the tray, the
// notifications and the next refresh, never promising time that is not
// there: it rounds down, so it reads "at least" ("42 min" with 42:59 left,
// "1 min" with 1:13 left, "1 h 5 min", "1 d 3 h"); under a minute is
// "< 1 min". Rounding up said "2 min" with 1:13 left (issue 29), and a
// user who pastes the token needs the time it surely has.
func Left(d time.Duration) string {
	if d < time.Minute {
		return "< 1 min"
	}
	if d < 24*time.Hour {
		d = d.Truncate(time.Minute)
	} else {
		d = d.Truncate(time.Hour)
	}
	return span(d)
}

// LeftPrecise words a remaining lifetime for a message such as a copy
// confirmation or a test result: to the second below ten minutes ("1 min
// 57 s", "45 s"; a fraction of a second counts as one), else as Left
// ("42 min").
func LeftPrecise(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	if d >= 10*time.Minute {
		return Left(d)
	}
	return minSec((d + time.Second - 1).Truncate(time.Second))
}

// Duration words a configured length or a delay (a lifetime, a refresh
// lead, a Retry-After, a clock skew), rounded to the second: "30 s",
// "1 min 30 s", "50 min", "1 h 30 min", "2 d 3 h". Seconds are shown below
// ten minutes; beyond, the length is rounded down to the minute (or the
// hour past a day).
func Duration(d time.Duration) string {
	d = d.Round(time.Second)
	if d < 10*time.Minute {
		return minSec(d)
	}
	return span(d)
}

// Ago words how long ago t was, relative to now: "just now", "3 min ago",
// "2 h ago". A future t is never rounded down, since it is usually an
// expiry: "in 1 min 57 s", "in 43 min" (LeftPrecise).
func Ago(t, now time.Time) string {
	d := now.Sub(t)
	if d < 0 {
		return "in " + LeftPrecise(-d)
	}
	if d < time.Minute {
		return "just now"
	}
	return span(d) + " ago"
}

// Elapsed is how long a request took, in the request log: "85 ms", "1.2 s".
func Elapsed(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// Setting writes a duration the way a form field or a command-line flag
// reads it back (Go's syntax without zero units): "5m", "1h30m", "168h",
// "1m30s".
func Setting(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// minSec words d (whole seconds, under an hour in practice) as "45 s",
// "2 min" or "1 min 57 s"; from ten minutes on the callers use span.
func minSec(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	if d < time.Minute {
		return fmt.Sprintf("%d s", int(d/time.Second))
	}
	if d%time.Minute == 0 {
		return span(d)
	}
	return fmt.Sprintf("%d min %d s", int(d/time.Minute), int(d%time.Minute/time.Second))
}

// span words a duration at minute granularity, rounding down: "42 min",
// "1 h 5 min", "2 h", "1 d 3 h", "< 1 min".
func span(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "< 1 min"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 24*time.Hour:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	default:
		days, h := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
		if h == 0 {
			return fmt.Sprintf("%d d", days)
		}
		return fmt.Sprintf("%d d %d h", days, h)
	}
}
