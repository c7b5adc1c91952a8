package ui

import (
	"context"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tokentray/tokentray/tokens"
)

// A failure message goes when the profile's state moves on: a new token
// without an error (issue 29: "Could not copy the token… invalid_client"
// stayed under "Fresh, 1:57 left" after the secret was fixed).
func TestMessageClearedOnStateChange(t *testing.T) {
	h, m := openWindow(t, tokens.ProfileState{Profile: testProfile("bad-secret"),
		LastError: &tokens.ServerError{Status: 401, Code: "invalid_client"}})
	m.selectProfile("bad-secret")
	h.eng.token = func(context.Context, string, time.Duration) (*tokens.Token, error) {
		return nil, &tokens.ServerError{Status: 401, Code: "invalid_client"}
	}
	if !m.details.copyBtn.Disabled() {
		t.Error("Copy is enabled without a token")
	}
	m.details.copy(copyRaw) // as the tray's click does: fetch, then copy
	h.settle()
	if !m.details.message.Visible() {
		t.Fatal("no failure message")
	}
	h.advance(time.Second)
	m.tick()
	if !m.details.message.Visible() {
		t.Fatal("the failure message went while nothing changed")
	}
	h.publish(freshState("bad-secret", token("good", h.clock(), 2*time.Minute)))
	m.tick()
	if m.details.message.Visible() {
		t.Errorf("the failure message stayed over a fresh token: %q", m.details.message.Text)
	}
}

// The copy message counts down, and a window closed and reopened shows
// no message and every profile (issue 29).
func TestMessageCountsDownAndGoesOnReopen(t *testing.T) {
	tok := token("still-good", t0.Add(-58*time.Minute-35*time.Second), time.Hour) // 1 min 25 s left
	h, m := openWindow(t, freshState("dev-api", tok), freshState("other", tok))
	m.selectProfile("dev-api")
	test.Tap(m.details.copyBtn)
	h.settle()
	want := "Copied token for dev-api, valid 1 min 25 s. The clipboard is cleared when the token expires, in 1 min 25 s."
	if got := m.details.message.Text; got != want {
		t.Fatalf("message\n got %q\nwant %q", got, want)
	}
	h.advance(10 * time.Second)
	m.tick()
	want = "Copied token for dev-api, valid 1 min 15 s. The clipboard is cleared when the token expires, in 1 min 15 s."
	if got := m.details.message.Text; got != want {
		t.Errorf("10 s later\n got %q\nwant %q", got, want)
	}

	test.Type(m.find, "oth")
	if len(m.names) != 1 {
		t.Fatalf("filter shows %v", m.names)
	}
	m.hide()
	h.c.showManage()
	h.settle()
	if m.details.message.Visible() {
		t.Errorf("the message outlived the window: %q", m.details.message.Text)
	}
	if len(m.names) != 2 || m.find.Text != "" {
		t.Errorf("reopened window shows %v (filter %q), want every profile", m.names, m.find.Text)
	}
}

// Escape with a filter clears the filter before it closes the window
// (issue 29: it closed the window and kept profiles hidden).
func TestEscapeClearsFilterFirst(t *testing.T) {
	tok := token("T", t0, time.Hour)
	_, m := openWindow(t, freshState("dev-api", tok), freshState("other", tok))
	test.Type(m.find, "dev")
	m.win.Canvas().Focus(m.list)
	m.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if !m.visible || m.find.Text != "" || len(m.names) != 2 {
		t.Fatalf("Escape on the list with a filter: visible %v, filter %q, %v", m.visible, m.find.Text, m.names)
	}
	m.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if m.visible {
		t.Error("the second Escape should close the window")
	}
}

// A failed tray copy says why in the menu's last-action line, in a few
// words (issue 29: "✗ Could not copy the token for bad-secret" alone).
func TestTrayFailureLineGivesTheReason(t *testing.T) {
	h := newHarness(t, Options{})
	h.publish(tokens.ProfileState{Profile: testProfile("bad-secret")})
	h.eng.token = func(context.Context, string, time.Duration) (*tokens.Token, error) {
		return nil, &tokens.ServerError{Status: 401, Code: "invalid_client"}
	}
	h.c.copyToken("bad-secret", copyRaw, nil)
	h.settle()
	h.c.tray.step()
	h.settle()
	menu := h.host.menus[len(h.host.menus)-1]
	want := "Could not copy the token for bad-secret: the server said invalid_client (HTTP 401)"
	if got := menu.Items[0].Label; got != want {
		t.Errorf("last-action line %q, want %q", got, want)
	}
}

// The list, the picker and the tray sort names ignoring case (issue 29:
// "Orders API" came before "bad-secret").
func TestNamesSortIgnoringCase(t *testing.T) {
	tok := token("T", t0, time.Hour)
	h, m := openWindow(t, freshState("Orders API", tok), freshState("bad-secret", tok), freshState("zeta", tok))
	want := []string{"bad-secret", "Orders API", "zeta"}
	if !slices.Equal(m.names, want) {
		t.Errorf("list %v, want %v", m.names, want)
	}
	var tray []string
	for _, e := range buildTrayModel(h.c.snap, t0).Entries {
		tray = append(tray, e.Name)
	}
	if !slices.Equal(tray, want) {
		t.Errorf("tray %v, want %v", tray, want)
	}
}
