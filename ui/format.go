package ui

import (
	"fmt"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// coarseLeft words a remaining lifetime at minute granularity for the
// tray, rounding up to the next whole minute (the tray's labels say so in
// its tooltip): "43 min" with 42:01 left, "1 h 5 min", "2 h", "1 d 3 h";
// under a minute is "< 1 min". Rounding down would say "1 min" with 1:57
// left and read as if the token were about to go.
func coarseLeft(d time.Duration) string {
	if d < time.Minute {
		return "< 1 min"
	}
	if d < 24*time.Hour {
		d = (d + time.Minute - 1).Truncate(time.Minute)
	} else {
		d = (d + time.Hour - 1).Truncate(time.Hour)
	}
	return span(d)
}

// preciseLeft words a remaining lifetime for a one-off message such as a
// copy confirmation, never rounded down: to the second below ten minutes
// ("1 min 57 s", "45 s"), else rounded up to the minute ("43 min").
func preciseLeft(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	if d >= 10*time.Minute {
		return coarseLeft(d)
	}
	d = (d + time.Second - 1).Truncate(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%d s", int(d/time.Second))
	}
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min", int(d/time.Minute))
	}
	return fmt.Sprintf("%d min %d s", int(d/time.Minute), int(d%time.Minute/time.Second))
}

// span words a duration at minute granularity, rounding down (for elapsed
// and configured times, where nothing is promised): "42 min", "1 h 5 min",
// "2 h", "1 d 3 h", "< 1 min".
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

// clockLeft words a remaining lifetime at second granularity for the live
// countdown: "41:07", "1:05:09", "2 d 3 h" (days need no seconds).
// Negative durations are treated as zero.
func clockLeft(d time.Duration) string {
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

// humanDuration words a configured duration such as a lifetime or a lead:
// "1 h", "5 min", "90 s", "1 h 30 min".
func humanDuration(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d s", int(d/time.Second))
	}
	if d%time.Minute != 0 && d < 10*time.Minute {
		return fmt.Sprintf("%d min %d s", int(d/time.Minute), int(d%time.Minute/time.Second))
	}
	return span(d)
}

// ago words how long ago t was, relative to now: "just now", "3 min ago",
// "2 h ago". A future t is never rounded down, since it is usually an
// expiry: "in 1 min 57 s", "in 43 min" (preciseLeft).
func ago(t, now time.Time) string {
	d := now.Sub(t)
	if d < 0 {
		return "in " + preciseLeft(-d)
	}
	if d < time.Minute {
		return "just now"
	}
	return span(d) + " ago"
}

// localTime formats t for display in the local zone, with the date only
// when t is not on the same day as now: "14:32:05", "Mon 3 Mar 14:32:05".
func localTime(t, now time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t, now = t.Local(), now.Local()
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04:05")
	}
	if t.Year() == now.Year() {
		return t.Format("Mon 2 Jan 15:04:05")
	}
	return t.Format("2 Jan 2006 15:04:05")
}

// localTimeRel is localTime followed by a relative time in parentheses.
func localTimeRel(t, now time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return localTime(t, now) + " (" + ago(t, now) + ")"
}

// statusWord names a status for people, in lower case.
func statusWord(s tokens.Status) string {
	switch s {
	case tokens.StatusFresh:
		return "fresh"
	case tokens.StatusRefreshing:
		return "refreshing"
	case tokens.StatusExpiringSoon:
		return "expiring soon"
	case tokens.StatusExpired:
		return "expired"
	case tokens.StatusFailed:
		return "refresh failed"
	default:
		return "no token yet"
	}
}

// statusMark is the one-character mark shown before a profile's name in the
// tray, so the state reads at a glance even without colour.
func statusMark(s tokens.Status) string {
	switch s {
	case tokens.StatusFresh:
		return "✓"
	case tokens.StatusRefreshing:
		return "↻"
	case tokens.StatusExpiringSoon:
		return "⚠"
	case tokens.StatusExpired, tokens.StatusFailed:
		return "✗"
	default:
		return "○"
	}
}

// maskToken hides a token but for its first and last four characters
// (tokens.MaskToken, which the request log uses too).
func maskToken(tok string) string { return tokens.MaskToken(tok) }

// authMethodWord names an auth method for the form and details.
func authMethodWord(m tokens.AuthMethod) string {
	switch m {
	case tokens.AuthClientSecretBasic:
		return "Client secret (HTTP Basic)"
	case tokens.AuthClientSecretPost:
		return "Client secret (in request body)"
	case tokens.AuthClientSecretJWT:
		return "Client secret JWT (HS256 assertion)"
	case tokens.AuthPrivateKeyJWT:
		return "Private key JWT (signed assertion)"
	case tokens.AuthTLSClient:
		return "TLS client certificate (mTLS)"
	}
	return string(m)
}
