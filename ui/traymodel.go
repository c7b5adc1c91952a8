package ui

import (
	"slices"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// trayEntry is one profile's line in the tray menu.
type trayEntry struct {
	Name   string
	Label  string
	Status tokens.Status // what the label's mark shows
	// SignIn says a person signs in to the profile (in the browser or
	// with the device grant): its actions offer "Sign in…".
	SignIn bool
	// WaitsForSignIn says no one is signed in to it (never, signed out,
	// or the session ended): its click signs in, and Refresh now cannot
	// work. CanCopy says it has a token that still works to copy.
	WaitsForSignIn, CanCopy bool
}

// trayModel is everything visible in the tray: the per-profile labels and
// the icon state. Two models compare equal exactly when the tray would look
// the same, so the menu is rebuilt only when they differ.
type trayModel struct {
	Entries []trayEntry
	Icon    explain.Severity
}

func (m trayModel) equal(o trayModel) bool {
	return m.Icon == o.Icon && slices.Equal(m.Entries, o.Entries)
}

// onlyTimeDiffers reports whether m and o differ in nothing but the time
// left in their labels: same profiles, same states, same icon.
func (m trayModel) onlyTimeDiffers(o trayModel) bool {
	return m.Icon == o.Icon && slices.EqualFunc(m.Entries, o.Entries, func(a, b trayEntry) bool {
		a.Label, b.Label = "", ""
		return a == b
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
		s := explain.Describe(ps, now)
		signs := ps.Profile.Normalized().Grant.SignsIn()
		m.Entries = append(m.Entries, trayEntry{Name: ps.Profile.Name, Label: trayLabel(ps.Profile.Name, s), Status: s.Status,
			SignIn: signs, WaitsForSignIn: waitsForSignIn(ps), CanCopy: s.HasToken})
		m.Icon = max(m.Icon, s.Severity)
	}
	slices.SortStableFunc(m.Entries, func(a, b trayEntry) int { return compareNames(a.Name, b.Name) })
	return m
}

// trayLabel is a profile's tray line: a status mark, the name and the state
// with the time left at minute granularity (explain.State.Tray), e.g.
// "● dev-api — 42 min", "✗ billing — refresh failed", "✗ legacy — expired".
func trayLabel(name string, s explain.State) string {
	return s.Mark + " " + name + " — " + s.Tray
}
