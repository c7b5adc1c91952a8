package ui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
)

// countRefreshes makes onRefresh collect what the window refreshes until
// the test ends.
func countRefreshes(t *testing.T) *[]fyne.CanvasObject {
	t.Helper()
	var got []fyne.CanvasObject
	onRefresh = func(o fyne.CanvasObject) { got = append(got, o) }
	t.Cleanup(func() { onRefresh = nil })
	return &got
}

// shownRows lists the rows the window's tick updates, by item.
func shownRows(m *manageWindow) map[widget.ListItemID]*profileRow {
	out := map[widget.ListItemID]*profileRow{}
	for id, r := range m.rows.shown(&m.list.List) {
		out[id] = r
	}
	return out
}

// manyProfiles returns n fresh profiles p00… with one-hour tokens issued
// at different times, the first one's a JWT with dates.
func manyProfiles(n int) []tokens.ProfileState {
	var states []tokens.ProfileState
	for i := range n {
		issued := t0.Add(-time.Duration(10+i) * time.Minute)
		access := "opaque"
		if i == 0 {
			access = makeJWT(map[string]any{"alg": "none"}, map[string]any{
				"iss": "https://issuer.test", "iat": issued.Unix(), "exp": issued.Add(time.Hour).Unix()})
		}
		states = append(states, freshState(fmt.Sprintf("p%02d", i), token(access, issued, time.Hour)))
	}
	return states
}

// TestTickRefreshesOnlyTheCountdowns: with many profiles and nothing but
// the clock moving, one tick refreshes the countdown of each row on
// screen (its bar only when the fill moves a whole pixel) and the selected
// profile's time fields — nothing else: no row scrolled off, no row the
// list keeps in its pool, no static field; a second tick in the same
// second and a tick of the hidden window refresh nothing.
func TestTickRefreshesOnlyTheCountdowns(t *testing.T) {
	h, m := openWindow(t, manyProfiles(20)...)
	m.selectProfile("p00")
	// Scroll to the bottom and back: the list pools the rows that
	// scrolled off (they keep their old item) and binds new ones.
	m.list.ScrollToBottom()
	m.list.ScrollToTop()
	// One second in: the profiles' refreshes fall on whole minutes from
	// t0, and the minute labels (rounded down) turn on the first second.
	h.advance(time.Second)
	m.tick()
	rows := shownRows(m)
	if len(rows) == 0 || len(rows) >= 20 {
		t.Fatalf("%d rows on screen; the test needs a list that scrolls", len(rows))
	}
	var all []*profileRow
	walk(m.list, func(o fyne.CanvasObject) {
		if r, ok := o.(*profileRow); ok {
			all = append(all, r)
		}
	})

	d := m.details
	timeFields := map[fyne.CanvasObject]bool{d.countdown: true, d.status: true}
	for _, v := range d.timing.values {
		timeFields[v] = true
	}
	for i, k := range d.claims.keys {
		if k.Text == "iat (issued at)" || k.Text == "exp (expires)" {
			timeFields[d.claims.values[i]] = true
		}
	}
	barBefore := map[*lifeBar]int{d.bar: d.bar.fillWidth(d.bar.fraction)}
	for _, r := range rows {
		barBefore[r.bar] = r.bar.fillWidth(r.bar.fraction)
	}

	got := countRefreshes(t)
	h.advance(time.Second)
	m.tick()

	allowed := map[fyne.CanvasObject]bool{}
	for o := range timeFields {
		allowed[o] = true
	}
	for _, r := range rows {
		allowed[r.left] = true
	}
	for b, w := range barBefore {
		if b.fillWidth(b.fraction) != w {
			allowed[b] = true
		}
	}
	left := map[fyne.CanvasObject]int{}
	for _, o := range *got {
		left[o]++
		if !allowed[o] {
			t.Errorf("a tick refreshed %T %p, which is neither a shown countdown nor a time of the selected profile", o, o)
		}
	}
	for id, r := range rows {
		if left[r.left] != 1 {
			t.Errorf("row %d (%s): countdown refreshed %d times, want once", id, r.name.Text, left[r.left])
		}
	}
	if budget := len(rows) + len(timeFields) + len(barBefore); len(*got) > budget {
		t.Errorf("a tick refreshed %d objects; %d rows on screen allow at most %d", len(*got), len(rows), budget)
	}
	t.Logf("%d rows on screen, %d in the list's tree, %d bound; one tick refreshed %d objects", len(rows), len(all), len(m.rows.all()), len(*got))

	*got = nil
	m.tick()
	if len(*got) != 0 {
		t.Errorf("a second tick in the same second refreshed %d objects", len(*got))
	}

	m.hide()
	h.advance(time.Second)
	m.tick()
	if len(*got) != 0 {
		t.Errorf("a tick of the hidden window refreshed %d objects", len(*got))
	}
}

// TestMinimisedWindowDoesNotTick: while the window is minimised a tick
// refreshes nothing; the first tick after it is restored catches up.
func TestMinimisedWindowDoesNotTick(t *testing.T) {
	h, m := openWindow(t, manyProfiles(3)...)
	m.selectProfile("p00")
	minimised := true
	m.iconic = func() bool { return minimised }
	before := m.details.countdown.Text
	got := countRefreshes(t)
	h.advance(5 * time.Second)
	m.tick()
	if len(*got) != 0 || m.details.countdown.Text != before {
		t.Errorf("a minimised window's tick refreshed %d objects (countdown %q, was %q)", len(*got), m.details.countdown.Text, before)
	}
	minimised = false
	m.tick()
	if m.details.countdown.Text == before || len(*got) == 0 {
		t.Errorf("the restored window did not catch up: countdown %q", m.details.countdown.Text)
	}
}

// TestSnapshotsWaitForTheTick: while the window ticks, a snapshot that
// changes no name in the list is shown by the next tick, in the same
// repaint as the countdowns, not in one of its own; a new name is shown
// at once.
func TestSnapshotsWaitForTheTick(t *testing.T) {
	h := newHarness(t, Options{})
	h.c.load.loading = false
	h.c.ticker = func(time.Duration) (<-chan time.Time, func()) { return make(chan time.Time), func() {} }
	states := manyProfiles(3)
	h.publish(states...)
	h.c.showManage()
	h.settle()
	m := h.c.win
	m.selectProfile("p01")
	if m.details.status.Text != "Fresh" {
		t.Fatalf("status %q", m.details.status.Text)
	}

	got := countRefreshes(t)
	states[1].Refreshing = true
	h.publish(states...)
	if len(*got) != 0 || m.details.status.Text != "Fresh" {
		t.Errorf("a snapshot refreshed %d objects before the tick (status %q)", len(*got), m.details.status.Text)
	}
	m.tick()
	if m.details.status.Text != "Refreshing" {
		t.Errorf("after the tick the status is %q, want Refreshing", m.details.status.Text)
	}

	h.publish(append(states, freshState("p99", token("new", t0, time.Hour)))...)
	if len(m.names) != 4 {
		t.Errorf("a new profile waited for the tick: %d names", len(m.names))
	}
}
