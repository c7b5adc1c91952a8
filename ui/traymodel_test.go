package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

func TestTrayLabels(t *testing.T) {
	issued := t0.Add(-18 * time.Minute) // a 60 min token with 42 min left
	fresh := freshState("dev-api", token("A", issued, time.Hour))
	permanent := &tokens.ServerError{Status: 401, Code: "invalid_client", Description: "bad secret"}

	failedNoToken := tokens.ProfileState{Profile: testProfile("billing"), LastError: permanent, FailureStreak: 1, Stopped: true, LastAttempt: t0}
	failedWithToken := freshState("billing", token("B", issued, time.Hour))
	failedWithToken.LastError, failedWithToken.FailureStreak, failedWithToken.Stopped = permanent, 1, true

	expired := freshState("legacy", token("C", t0.Add(-2*time.Hour), time.Hour))
	expired.NextRefresh = time.Time{}
	expiringRetry := freshState("api", token("D", t0.Add(-57*time.Minute), time.Hour))
	expiringRetry.LastError, expiringRetry.FailureStreak = errors.New("dial tcp: connection refused"), 2
	expiringManual := freshState("manual", token("E", t0.Add(-57*time.Minute), time.Hour))
	expiringManual.Profile.ManualRefresh = true
	refreshing := fresh
	refreshing.Refreshing = true
	fetching := tokens.ProfileState{Profile: testProfile("new"), Refreshing: true}
	none := tokens.ProfileState{Profile: testProfile("lazy")}
	failingButFresh := fresh
	failingButFresh.LastError, failingButFresh.FailureStreak = errors.New("timeout"), 1

	for _, tc := range []struct {
		name string
		ps   tokens.ProfileState
		want string
		sev  explain.Severity
	}{
		{"fresh", fresh, "● dev-api — 42 min", explain.SeverityOK},
		{"failed without token", failedNoToken, "✗ billing — refresh failed", explain.SeverityBad},
		{"failed keeps valid token", failedWithToken, "✗ billing — 42 min, refresh failed", explain.SeverityWarn},
		{"expired", expired, "✗ legacy — expired", explain.SeverityBad},
		{"expiring, retries pending", expiringRetry, "⚠ api — 3 min, refresh failing", explain.SeverityWarn},
		{"expiring, auto-refresh off", expiringManual, "⚠ manual — 3 min, expiring soon", explain.SeverityOK},
		{"refreshing", refreshing, "↻ dev-api — 42 min, refreshing…", explain.SeverityOK},
		{"first fetch", fetching, "↻ new — fetching a token…", explain.SeverityOK},
		{"no token", none, "○ lazy — no token yet", explain.SeverityOK},
		{"transient failure, token fresh", failingButFresh, "● dev-api — 42 min, refresh failing", explain.SeverityWarn},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := buildTrayModel(&tokens.Snapshot{Profiles: []tokens.ProfileState{tc.ps}}, t0)
			if got := m.Entries[0].Label; got != tc.want {
				t.Errorf("label = %q, want %q", got, tc.want)
			}
			if m.Icon != tc.sev {
				t.Errorf("icon severity = %d, want %d", m.Icon, tc.sev)
			}
		})
	}

	manualExpired := expired
	manualExpired.Profile.ManualRefresh = true
	if got := explain.Describe(&manualExpired, t0).Severity; got != explain.SeverityOK {
		t.Errorf("an expired manual-refresh profile is expected, severity %d", got)
	}
}

func TestTrayModelIconIsWorstSeverity(t *testing.T) {
	fresh := freshState("a", token("A", t0, time.Hour))
	expired := freshState("b", token("B", t0.Add(-2*time.Hour), time.Hour))
	expiring := freshState("c", token("C", t0.Add(-57*time.Minute), time.Hour))
	expiring.LastError, expiring.FailureStreak = errors.New("x"), 1
	snap := func(ps ...tokens.ProfileState) *tokens.Snapshot { return &tokens.Snapshot{Profiles: ps} }

	if m := buildTrayModel(snap(fresh), t0); m.Icon != explain.SeverityOK || len(m.Entries) != 1 || m.Entries[0].Name != "a" {
		t.Errorf("all fresh: %+v", m)
	}
	if m := buildTrayModel(snap(fresh, expiring), t0); m.Icon != explain.SeverityWarn {
		t.Errorf("one failing but valid: icon %d", m.Icon)
	}
	if m := buildTrayModel(snap(fresh, expired, expiring), t0); m.Icon != explain.SeverityBad {
		t.Errorf("one expired: icon %d", m.Icon)
	}
	if m := buildTrayModel(nil, t0); len(m.Entries) != 0 || m.Icon != explain.SeverityOK {
		t.Errorf("nil snapshot: %+v", m)
	}
}

func TestTrayRebuildsOnlyWhenLabelsChange(t *testing.T) {
	host := &fakeHost{}
	now := t0
	var ran []func()
	tc := newTrayController(host, trayActions{}, func() time.Time { return now }, func(f func()) { ran = append(ran, f) })
	runUI := func() {
		for _, f := range ran {
			f()
		}
		ran = nil
	}
	// 42 min 30 s left.
	tok := token("A", t0.Add(-17*time.Minute-30*time.Second), time.Hour)
	tc.setSnapshot(&tokens.Snapshot{Seq: 1, Profiles: []tokens.ProfileState{freshState("dev-api", tok)}})

	if !tc.step() {
		t.Fatal("first step must show the menu")
	}
	runUI()
	if len(host.menus) != 1 || len(host.icons) != 1 {
		t.Fatalf("menus %d icons %d", len(host.menus), len(host.icons))
	}
	if got := host.menus[0].Items[1].Label; got != "● dev-api — 42 min" { // rounded down: at least 42 min
		t.Fatalf("label %q", got)
	}

	// Seconds pass inside the same minute, and a new snapshot with the
	// same visible state arrives: nothing to rebuild.
	for range 29 {
		now = now.Add(time.Second)
		if tc.step() {
			t.Fatalf("rebuilt at %v although the label did not change", now.Sub(t0))
		}
	}
	tc.setSnapshot(&tokens.Snapshot{Seq: 2, Profiles: []tokens.ProfileState{freshState("dev-api", tok)}})
	if tc.step() {
		t.Fatal("rebuilt for a snapshot that changes nothing visible")
	}

	// The minute turns: one rebuild, icon unchanged so not set again.
	now = now.Add(2 * time.Second)
	if !tc.step() {
		t.Fatal("no rebuild when the minute turned")
	}
	runUI()
	if got := host.menus[1].Items[1].Label; got != "● dev-api — 41 min" {
		t.Fatalf("label %q", got)
	}
	if len(host.icons) != 1 {
		t.Fatalf("icon set again although the state is the same: %d", len(host.icons))
	}

	// Into the refresh lead: the icon stays OK (a refresh is scheduled)...
	// then the token expires: the icon turns red.
	now = tok.ExpiresAt.Add(time.Second)
	if !tc.step() {
		t.Fatal("no rebuild on expiry")
	}
	runUI()
	if got := host.menus[len(host.menus)-1].Items[1].Label; got != "✗ dev-api — expired" {
		t.Fatalf("label %q", got)
	}
	if len(host.icons) != 2 || host.icons[1] != trayIcon(explain.SeverityBad) {
		t.Fatalf("icons %v", host.icons)
	}

	// A notice change alone rebuilds.
	tc.setNotice("Loading profiles…")
	if !tc.step() {
		t.Fatal("no rebuild for a new notice")
	}
}

// BenchmarkTrayStepUnchanged is the tray loop's once-a-second cost when
// nothing visible changed (the common case): compute the label model for
// 200 profiles and compare it with the shown one.
func BenchmarkTrayStepUnchanged(b *testing.B) {
	states := make([]tokens.ProfileState, 200)
	for i := range states {
		states[i] = freshState(fmt.Sprintf("profile-%03d", i), token("T", t0.Add(-time.Duration(i)*time.Second), time.Hour))
	}
	tc := newTrayController(&fakeHost{}, trayActions{}, func() time.Time { return t0 }, func(func()) {})
	tc.setSnapshot(&tokens.Snapshot{Profiles: states})
	tc.step()
	b.ReportAllocs()
	for b.Loop() {
		if tc.step() {
			b.Fatal("rebuilt")
		}
	}
}

func TestTrayCoalescesTimeOnlyChanges(t *testing.T) {
	host := &fakeHost{}
	now := t0
	tc := newTrayController(host, trayActions{}, func() time.Time { return now }, func(f func()) { f() })
	// Two profiles whose minute labels turn 10 s apart.
	a := token("A", t0.Add(-19*time.Minute-57*time.Second), time.Hour) // 40:03 left
	b := token("B", t0.Add(-19*time.Minute-47*time.Second), time.Hour) // 40:13 left
	tc.setSnapshot(&tokens.Snapshot{Seq: 1, Profiles: []tokens.ProfileState{freshState("a", a), freshState("b", b)}})
	tc.step()
	now = now.Add(5 * time.Second) // a turns to 39 min only 5 s after the first show
	if tc.step() {
		t.Fatal("a time-only change 5 s after the last rebuild was not deferred")
	}
	now = now.Add(20 * time.Second) // both turned; 25 s since the last rebuild
	if !tc.step() {
		t.Fatal("a time-only change was deferred beyond timeOnlyEvery")
	}
	if got := host.menus[len(host.menus)-1].Items[1].Label; got != "● a — 39 min" {
		t.Fatalf("label %q", got)
	}
	// A change of state shows at once, even right after a rebuild.
	now = now.Add(time.Second)
	failed := freshState("b", b)
	failed.LastError, failed.Stopped = errors.New("invalid_client"), true
	tc.setSnapshot(&tokens.Snapshot{Seq: 2, Profiles: []tokens.ProfileState{freshState("a", a), failed}})
	if !tc.step() {
		t.Fatal("a change of state was deferred")
	}
	if got := host.menus[len(host.menus)-1].Items[2].Label; !strings.Contains(got, "refresh failed") {
		t.Fatalf("label %q", got)
	}
}
