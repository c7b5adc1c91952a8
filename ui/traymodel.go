package ui

import (
	"slices"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// severity is how much a profile's state needs attention.
type severity int

const (
	sevOK   severity = iota // fresh, refreshing, or nothing expected yet
	sevWarn                 // expiring soon, or failing while a valid token is held
	sevBad                  // no usable token although one is expected
)

// trayEntry is one profile's line in the tray menu.
type trayEntry struct {
	Name   string
	Label  string
	Status tokens.Status // what the label's mark shows
}

// trayModel is everything visible in the tray: the per-profile labels and
// the icon state. Two models compare equal exactly when the tray would look
// the same, so the menu is rebuilt only when they differ.
type trayModel struct {
	Entries []trayEntry
	Icon    severity
}

func (m trayModel) equal(o trayModel) bool {
	return m.Icon == o.Icon && slices.Equal(m.Entries, o.Entries)
}

// onlyTimeDiffers reports whether m and o differ in nothing but the time
// left in their labels: same profiles, same states, same icon.
func (m trayModel) onlyTimeDiffers(o trayModel) bool {
	return m.Icon == o.Icon && slices.EqualFunc(m.Entries, o.Entries, func(a, b trayEntry) bool {
		return a.Name == b.Name && a.Status == b.Status
	})
}

// buildTrayModel computes the tray's labels and icon from a snapshot at now.
// It is a pure function; a nil snapshot gives an empty model.
func buildTrayModel(snap *tokens.Snapshot, now time.Time) trayModel {
	var m trayModel
	if snap == nil {
		return m
	}
	m.Entries = make([]trayEntry, 0, len(snap.Profiles))
	for i := range snap.Profiles {
		ps := &snap.Profiles[i]
		m.Entries = append(m.Entries, trayEntry{Name: ps.Profile.Name, Label: trayLabel(ps, now), Status: ps.StatusAt(now)})
		m.Icon = max(m.Icon, severityOf(ps, now))
	}
	return m
}

// trayLabel is a profile's tray line: a status mark, the name and the time
// left at minute granularity, e.g. "✓ dev-api — 42 min",
// "✗ billing — refresh failed", "✗ legacy — expired".
func trayLabel(ps *tokens.ProfileState, now time.Time) string {
	st := ps.StatusAt(now)
	return statusMark(st) + " " + ps.Profile.Name + " — " + stateText(ps, st, now)
}

// stateText is the part of the tray line after the name.
func stateText(ps *tokens.ProfileState, st tokens.Status, now time.Time) string {
	valid := ps.Token.ValidFor(now, time.Nanosecond)
	left := ""
	if valid {
		left = coarseLeft(ps.TimeLeft(now))
	}
	switch st {
	case tokens.StatusFresh:
		if ps.LastError != nil {
			return left + ", refresh failing"
		}
		return left
	case tokens.StatusRefreshing:
		if valid {
			return left + ", refreshing…"
		}
		return "fetching…"
	case tokens.StatusExpiringSoon:
		if ps.LastError != nil {
			return left + ", refresh failing"
		}
		return left + ", expires soon"
	case tokens.StatusFailed:
		if valid {
			return left + ", refresh failed"
		}
		return "refresh failed"
	case tokens.StatusExpired:
		if ps.LastError != nil {
			return "expired, refresh failing"
		}
		return "expired"
	default:
		return "no token yet"
	}
}

// severityOf rates a profile for the tray icon. Profiles with automatic
// refresh off are expected to expire, so expiry alone does not alarm.
func severityOf(ps *tokens.ProfileState, now time.Time) severity {
	st := ps.StatusAt(now)
	manual := ps.Profile.ManualRefresh
	switch st {
	case tokens.StatusFailed:
		if ps.Token.ValidFor(now, time.Nanosecond) {
			return sevWarn
		}
		return sevBad
	case tokens.StatusExpired:
		if manual && ps.LastError == nil {
			return sevOK
		}
		return sevBad
	case tokens.StatusExpiringSoon:
		if manual && ps.LastError == nil {
			return sevOK
		}
		return sevWarn
	case tokens.StatusFresh, tokens.StatusRefreshing:
		if ps.LastError != nil {
			return sevWarn
		}
	}
	return sevOK
}
