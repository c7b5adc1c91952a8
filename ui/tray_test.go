package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

func TestTrayMenuFromSnapshot(t *testing.T) {
	permanent := &tokens.ServerError{Status: 401, Code: "invalid_client"}
	snap := &tokens.Snapshot{Profiles: []tokens.ProfileState{
		{Profile: testProfile("billing"), LastError: permanent, FailureStreak: 1, Stopped: true},
		freshState("dev-api", token("A", t0.Add(-18*time.Minute), time.Hour)),
		func() tokens.ProfileState {
			s := freshState("legacy", token("C", t0.Add(-2*time.Hour), time.Hour))
			s.NextRefresh = time.Time{}
			return s
		}(),
	}}
	type call struct {
		what, name string
		f          copyFormat
	}
	var calls []call
	acts := trayActions{
		copy:    func(n string, f copyFormat) { calls = append(calls, call{"copy", n, f}) },
		refresh: func(n string) { calls = append(calls, call{"refresh", n, 0}) },
		details: func(n string) { calls = append(calls, call{"details", n, 0}) },
		curl:    func(n string) { calls = append(calls, call{"curl", n, 0}) },
		manage:  func() { calls = append(calls, call{"manage", "", 0}) },
		quit:    func() { calls = append(calls, call{"quit", "", 0}) },
	}
	menu := buildTrayMenu(buildTrayModel(snap, t0), nil, acts)

	var labels []string
	for _, it := range menu.Items {
		if it.IsSeparator {
			labels = append(labels, "---")
		} else {
			labels = append(labels, it.Label)
		}
	}
	want := []string{trayCopyHeader, "✗ billing — refresh failed", "● dev-api — 42 min", "✗ legacy — expired", "---",
		trayActionsLabel, "---", "Manage profiles…", "---", "Quit"}
	if len(labels) != len(want) {
		t.Fatalf("labels %q, want %q", labels, want)
	}
	for i := range want {
		if labels[i] != want[i] {
			t.Errorf("item %d = %q, want %q", i, labels[i], want[i])
		}
	}
	if !menu.Items[len(menu.Items)-1].IsQuit {
		t.Error("Quit is not marked IsQuit")
	}
	// A profile's entry is a plain item: tray hosts open a submenu parent
	// instead of clicking it (issue 11), so it must have none.
	if !menu.Items[0].Disabled {
		t.Error("the copy header is clickable")
	}
	for _, it := range menu.Items[1:4] {
		if it.ChildMenu != nil {
			t.Errorf("%q has a submenu: a panel would open it instead of copying", it.Label)
		}
	}

	dev := menu.Items[2]
	dev.Action() // clicking the entry copies
	more := menu.Items[5].ChildMenu
	if more == nil || len(more.Items) != 3 {
		t.Fatalf("%s submenu %+v", trayActionsLabel, more)
	}
	if more.Items[1].Label != "dev-api" || more.Items[1].ChildMenu == nil {
		t.Fatalf("per-profile actions %+v", more.Items[1])
	}
	subLabels := []string{}
	for _, it := range more.Items[1].ChildMenu.Items {
		if !it.IsSeparator {
			subLabels = append(subLabels, it.Label)
			it.Action()
		}
	}
	if len(subLabels) != 6 || subLabels[0] != "Copy token" || subLabels[3] != "Copy as curl" {
		t.Errorf("submenu %q", subLabels)
	}
	menu.Items[7].Action()
	menu.Items[9].Action()
	wantCalls := []call{
		{"copy", "dev-api", copyRaw},
		{"copy", "dev-api", copyRaw},
		{"copy", "dev-api", copyBearer},
		{"copy", "dev-api", copyHeader},
		{"curl", "dev-api", 0},
		{"refresh", "dev-api", 0},
		{"details", "dev-api", 0},
		{"manage", "", 0},
		{"quit", "", 0},
	}
	if len(calls) != len(wantCalls) {
		t.Fatalf("calls %v, want %v", calls, wantCalls)
	}
	for i := range wantCalls {
		if calls[i] != wantCalls[i] {
			t.Errorf("call %d = %v, want %v", i, calls[i], wantCalls[i])
		}
	}
}

func TestTrayMenuEmptyAndNotice(t *testing.T) {
	m := buildTrayMenu(trayModel{}, nil, trayActions{})
	if m.Items[0].Label != "No profiles yet" || !m.Items[0].Disabled {
		t.Errorf("first item %+v", m.Items[0])
	}
	if m.Items[2].Label != "Add a profile…" {
		t.Errorf("manage item %q", m.Items[2].Label)
	}
	m = buildTrayMenu(trayModel{}, []string{"Loading profiles…"}, trayActions{})
	if m.Items[0].Label != "Loading profiles…" || !m.Items[0].Disabled {
		t.Errorf("notice %+v", m.Items[0])
	}
	for _, it := range m.Items {
		if it.Label == "No profiles yet" {
			t.Error("“No profiles yet” shown while loading")
		}
	}
}

// TestTrayMenuNoDoubleSeparators: a notice with no profiles used to give
// two separators in a row (issue 11).
func TestTrayMenuNoDoubleSeparators(t *testing.T) {
	one := trayModel{Entries: []trayEntry{{Name: "a", Label: "● a — 5 min"}}}
	for _, tc := range []struct {
		m     trayModel
		notes []string
	}{
		{trayModel{}, nil},
		{trayModel{}, []string{"Loading profiles…"}},
		{trayModel{}, []string{"Copied token for a", "Demo mode — local test server"}},
		{one, nil},
		{one, []string{"Profiles could not be loaded — see Manage profiles"}},
	} {
		items := buildTrayMenu(tc.m, tc.notes, trayActions{}).Items
		if items[0].IsSeparator || items[len(items)-1].IsSeparator {
			t.Errorf("notes %q: menu starts or ends with a separator", tc.notes)
		}
		for i := 1; i < len(items); i++ {
			if items[i].IsSeparator && items[i-1].IsSeparator {
				t.Errorf("notes %q, %d entries: two separators in a row at %d", tc.notes, len(tc.m.Entries), i)
			}
		}
	}
}

func TestTrayTooltipSumsUpEveryProfile(t *testing.T) {
	m := trayModel{Entries: []trayEntry{{Name: "a", Label: "● a — 5 min"}, {Name: "b", Label: "✗ b — expired"}}}
	tip := trayTooltip(m, []string{"Copied the last good token for a (refresh failing)"})
	for _, want := range []string{"Tokentray", "● a — 5 min", "✗ b — expired", "Copied the last good token for a", "rounded down"} {
		if !strings.Contains(tip, want) {
			t.Errorf("tooltip %q lacks %q", tip, want)
		}
	}
}

func TestClipText(t *testing.T) {
	for f, want := range map[copyFormat]string{
		copyRaw:    "tok",
		copyBearer: "Bearer tok",
		copyHeader: "Authorization: Bearer tok",
	} {
		if got := clipText("tok", f); got != want {
			t.Errorf("format %d: %q", f, got)
		}
	}
}

// TestTrayCopyFetchesAndNotifies drives the tray's top-level click: the
// token is fetched in the background, put on the clipboard and confirmed.
func TestTrayCopyFetchesAndNotifies(t *testing.T) {
	h := newHarness(t, Options{})
	tok := token("tok-123", t0.Add(-18*time.Minute), time.Hour)
	h.publish(freshState("dev-api", tok))
	var asked []time.Duration
	h.eng.token = func(_ context.Context, name string, minValid time.Duration) (*tokens.Token, error) {
		asked = append(asked, minValid)
		return tok, nil
	}
	h.c.tray.step()
	h.settle()
	menu := h.host.menus[len(h.host.menus)-1]
	menu.Items[3].Action() // items: notice "Loading profiles…", separator, header, dev-api
	if h.app.Clipboard().Content() != "" {
		t.Fatal("clipboard set on the UI goroutine before the fetch ran")
	}
	h.settle()
	if got := h.app.Clipboard().Content(); got != "tok-123" {
		t.Fatalf("clipboard %q; notes %+v; items %q", got, h.takeNotes(), menu.Items[3].Label)
	}
	if len(asked) != 1 || asked[0] != copyMinValid {
		t.Errorf("Token asked with %v", asked)
	}
	notes := h.takeNotes()
	if len(notes) != 1 || notes[0].title != "Copied token for dev-api, valid 42 min" {
		t.Fatalf("notes %+v", notes)
	}
	if notes[0].body != "The clipboard is cleared in 2 min." {
		t.Errorf("body %q", notes[0].body)
	}
	// The outcome is also stated in the tray itself (there may be no
	// notification server), at the top of the menu.
	h.c.tray.step()
	h.settle()
	menu = h.host.menus[len(h.host.menus)-1]
	if got := menu.Items[0].Label; got != "Copied token for dev-api" || !menu.Items[0].Disabled {
		t.Errorf("top of the menu %q", got)
	}
	if tip := h.host.tooltip; !strings.Contains(tip, "Copied token for dev-api") || !strings.Contains(tip, "dev-api — 42 min") {
		t.Errorf("tooltip %q", tip)
	}
	h.advance(lastActionFor)
	h.c.tray.step()
	h.settle()
	menu = h.host.menus[len(h.host.menus)-1]
	if strings.HasPrefix(menu.Items[0].Label, "Copied") {
		t.Errorf("the last-action line outlived %v", lastActionFor)
	}
}

// TestTrayBearerCopyOfNonBearerTokenRefused: a token the server typed as
// something else (e.g. DPoP, MAC) must not be dressed up as Bearer.
func TestTrayBearerCopyOfNonBearerTokenRefused(t *testing.T) {
	h := newHarness(t, Options{})
	tok := token("tok-dpop", t0.Add(-18*time.Minute), time.Hour)
	tok.TokenType = "DPoP"
	h.publish(freshState("dev-api", tok))
	h.eng.token = func(context.Context, string, time.Duration) (*tokens.Token, error) { return tok, nil }
	h.app.Clipboard().SetContent("before")
	h.c.copyToken("dev-api", copyHeader, nil)
	h.settle()
	if got := h.app.Clipboard().Content(); got != "before" {
		t.Fatalf("clipboard %q", got)
	}
	notes := h.takeNotes()
	if len(notes) != 1 || !strings.Contains(notes[0].body, "not Bearer") {
		t.Fatalf("notes %+v", notes)
	}
	h.c.copyToken("dev-api", copyRaw, nil)
	h.settle()
	if got := h.app.Clipboard().Content(); got != "tok-dpop" {
		t.Fatalf("raw copy %q", got)
	}
}
