package ui

import (
	"time"

	"github.com/tokentray/tokentray/ui/explain"
)

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
	return localTime(t, now) + " (" + explain.Ago(t, now) + ")"
}
