package ui

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
)

// openWindow shows the Manage window with the given states published.
func openWindow(t *testing.T, states ...tokens.ProfileState) (*harness, *manageWindow) {
	t.Helper()
	h := newHarness(t, Options{})
	h.c.load.loading = false
	h.publish(states...)
	h.c.showManage()
	h.settle()
	return h, h.c.win
}

func TestDetailsCopyPutsTokenOnClipboard(t *testing.T) {
	tok := token("tok-abc-123", t0.Add(-18*time.Minute), time.Hour)
	h, m := openWindow(t, freshState("dev-api", tok), freshState("other", token("zzz", t0, time.Hour)))
	m.selectProfile("dev-api")

	test.Tap(m.details.copyBtn)
	h.settle()
	if got := h.app.Clipboard().Content(); got != "tok-abc-123" {
		t.Fatalf("clipboard %q", got)
	}
	if got := m.details.message.Text; got != "Copied token for dev-api, valid 42 min. The clipboard is cleared in 2 min." {
		t.Errorf("message %q", got)
	}
	if !m.details.message.Visible() {
		t.Error("message hidden")
	}

	test.Tap(m.details.headerBtn)
	h.settle()
	if got := h.app.Clipboard().Content(); got != "Authorization: Bearer tok-abc-123" {
		t.Fatalf("clipboard %q", got)
	}
	if n := h.takeNotes(); len(n) != 0 {
		t.Errorf("the window reports inline, not by notification: %+v", n)
	}
}

func TestCopyFallsBackToValidTokenWhenRefreshFails(t *testing.T) {
	tok := token("still-good", t0.Add(-59*time.Minute-30*time.Second), time.Hour) // 30 s left
	h, m := openWindow(t, freshState("dev-api", tok))
	down := &tokens.ServerError{Status: 503, Excerpt: "maintenance"}
	h.eng.token = func(context.Context, string, time.Duration) (*tokens.Token, error) { return nil, down }
	test.Tap(m.details.copyBtn)
	h.settle()
	if got := h.app.Clipboard().Content(); got != "still-good" {
		t.Fatalf("clipboard %q", got)
	}
	want := "Copied the last good token for dev-api, valid 30 s. Refresh is failing: the token endpoint answered HTTP 503: maintenance. The clipboard is cleared when the token expires, in 30 s."
	if got := m.details.message.Text; got != want {
		t.Errorf("message\n got %q\nwant %q", got, want)
	}
	// A last good token while refresh fails is a warning, not a success.
	if m.details.message.Importance != widget.WarningImportance {
		t.Errorf("message importance %v, want warning", m.details.message.Importance)
	}
	// At the token's expiry the clipboard is cleared (sooner than the
	// 2 min timer) and the message, no longer true, goes.
	h.advance(31 * time.Second)
	m.tick()
	if got := h.app.Clipboard().Content(); got != "" {
		t.Errorf("clipboard still holds the expired token: %q", got)
	}
	if m.details.message.Visible() {
		t.Errorf("message outlived the token: %q", m.details.message.Text)
	}

	// Once expired, Copy is off (Refresh now is the way); a copy asked
	// for anyway (the tray's click) copies nothing and shows the error.
	h.app.Clipboard().SetContent("")
	h.advance(time.Minute)
	m.tick()
	if !m.details.copyBtn.Disabled() || !m.details.headerBtn.Disabled() || m.details.refreshBtn.Importance != widget.HighImportance {
		t.Error("with an expired token, Copy stays enabled or Refresh now is not the highlighted action")
	}
	m.details.copy(copyRaw)
	h.settle()
	if got := h.app.Clipboard().Content(); got != "" {
		t.Fatalf("copied an expired token: %q", got)
	}
	if got := m.details.message.Text; got != "Could not copy the token for dev-api. The token endpoint answered HTTP 503: maintenance." {
		t.Errorf("message %q", got)
	}
	if m.details.message.Importance != widget.DangerImportance {
		t.Error("failure not shown as danger")
	}
}

func TestCountdownAtSimulatedTimes(t *testing.T) {
	tok := token("T", t0.Add(-18*time.Minute), time.Hour) // expires t0+42m
	h, m := openWindow(t, freshState("dev-api", tok))
	m.selectProfile("dev-api")
	d := m.details
	row := m.rowFor("dev-api")
	if row == nil {
		t.Fatal("no list row for dev-api")
	}
	check := func(countdown, short, detail string, fraction float64) {
		t.Helper()
		if d.countdown.Text != countdown {
			t.Errorf("countdown %q, want %q", d.countdown.Text, countdown)
		}
		if row.left.Text != short || row.detail.Text != detail {
			t.Errorf("row %q / %q, want %q / %q", row.left.Text, row.detail.Text, short, detail)
		}
		if diff := row.bar.fraction - fraction; diff > 0.001 || diff < -0.001 {
			t.Errorf("bar %.3f, want %.3f", row.bar.fraction, fraction)
		}
	}
	check("42:00 left", "42:00", "fresh · refresh in 37 min", 0.7)

	h.advance(61 * time.Second)
	m.tick()
	check("40:59 left", "40:59", "fresh · refresh in 35 min", (40*60+59)/3600.0) // 35:59: at least 35 min

	h.advance(38*time.Minute + 30*time.Second) // 2:29 left, inside the lead
	m.tick()
	check("2:29 left · expiring soon", "2:29", "expiring soon", 149/3600.0)
	if d.status.Text != "Expiring soon" || d.status.Importance != widget.WarningImportance {
		t.Errorf("status %q %v", d.status.Text, d.status.Importance)
	}

	h.advance(4 * time.Minute) // expired 1:31 ago
	m.tick()
	check("Expired 1 min ago", "—", "expired 1 min ago", 0)
	if d.status.Importance != widget.DangerImportance {
		t.Errorf("expired status importance %v", d.status.Importance)
	}

	// The ticker only works while the window is shown.
	m.hide()
	h.advance(10 * time.Minute)
	m.tick()
	if d.countdown.Text != "Expired 1 min ago" {
		t.Errorf("hidden window updated: %q", d.countdown.Text)
	}
}

func TestDetailsShowDecodedClaims(t *testing.T) {
	iat, exp := t0.Add(-18*time.Minute).Unix(), t0.Add(42*time.Minute).Unix()
	jwt := makeJWT(
		map[string]any{"alg": "RS256", "kid": "key-1", "typ": "at+jwt"},
		map[string]any{
			"iss": "https://auth.example.com", "sub": "svc-42", "aud": []string{"orders", "billing"},
			"scope": "read write", "client_id": "dev-client", "iat": iat, "exp": exp,
			"tenant": "acme", "roles": map[string]any{"admin": false}, "big": json.Number("12345678901234567890"),
		})
	tok := token(jwt, t0.Add(-18*time.Minute), time.Hour)
	_, m := openWindow(t, freshState("dev-api", tok))
	m.selectProfile("dev-api")
	d := m.details

	want := map[string]string{
		"iss (issuer)":       "https://auth.example.com",
		"sub (subject)":      "svc-42",
		"aud (audience)":     "orders, billing",
		"scope":              "read write",
		"client_id (client)": "dev-client",
		"iat (issued at)":    localTime(time.Unix(iat, 0), t0) + " (18 min ago) · " + strconv.FormatInt(iat, 10),
		"exp (expires)":      localTime(time.Unix(exp, 0), t0) + " (in 42 min) · " + strconv.FormatInt(exp, 10),
		"tenant":             "acme",
		"roles":              `{"admin":false}`,
		"big":                "12345678901234567890",
	}
	for k, v := range want {
		got, ok := d.claims.value(k)
		if !ok {
			t.Errorf("claim %q not shown", k)
		} else if got != v {
			t.Errorf("claim %q = %q, want %q", k, got, v)
		}
	}
	if d.claims.keys[0].Text != "iss (issuer)" || d.claims.keys[len(d.claims.keys)-1].Text != "tenant" {
		t.Errorf("claim order: first %q last %q", d.claims.keys[0].Text, d.claims.keys[len(d.claims.keys)-1].Text)
	}
	if got, _ := d.header.value("kid"); got != "key-1" {
		t.Errorf("header kid %q", got)
	}
	if d.jwtNote.Visible() {
		t.Error("opaque note shown for a JWT")
	}
	if !strings.HasPrefix(d.token.Text, jwt[:4]) || strings.Contains(d.token.Text, jwt[10:30]) {
		t.Errorf("token not masked: %q", d.token.Text)
	}
	test.Tap(d.revealBtn)
	if d.token.Text != jwt || d.revealBtn.Text != "Hide" {
		t.Errorf("reveal: %q / %q", d.token.Text, d.revealBtn.Text)
	}
	test.Tap(d.revealBtn)
	if d.token.Text == jwt {
		t.Error("hide did not mask again")
	}
}

func TestDetailsOpaqueTokenAndWarnings(t *testing.T) {
	tok := token("opaque-token-value", t0.Add(-10*time.Minute), time.Hour)
	tok.ExpirySource = tokens.ExpiryAssumed
	conflicting := token("opaque2", t0, 30*time.Minute)
	conflicting.ExpiryConflict = &tokens.ExpiryConflict{FromExpiresIn: t0.Add(time.Hour), FromJWT: t0.Add(30 * time.Minute)}
	_, m := openWindow(t, freshState("assumed", tok), freshState("conflict", conflicting))

	m.selectProfile("assumed")
	d := m.details
	if !d.jwtNote.Visible() || !strings.Contains(d.jwtNote.Text, "Not a readable JWT (opaque token), so there are no claims to show.") {
		t.Errorf("opaque note %q", d.jwtNote.Text)
	}
	if !strings.Contains(d.warnings.Text, "its lifetime of 1 h is an assumption") {
		t.Errorf("assumed lifetime warning: %q", d.warnings.Text)
	}
	if got, _ := d.timing.value("Lifetime"); got != "1 h (assumed)" {
		t.Errorf("lifetime row %q", got)
	}

	m.selectProfile("conflict")
	if !strings.Contains(d.warnings.Text, "disagree by 30 min; the earlier time is used") {
		t.Errorf("conflict warning: %q", d.warnings.Text)
	}
}

func TestDetailsShowServerError(t *testing.T) {
	st := freshState("billing", token("T", t0.Add(-50*time.Minute), time.Hour))
	st.LastError = &tokens.ServerError{Status: 401, Code: "invalid_client", Description: "Client authentication failed", URI: "https://docs.example.com/errors"}
	st.FailureStreak, st.Stopped, st.LastAttempt, st.NextRefresh = 3, true, t0.Add(-time.Minute), time.Time{}
	_, m := openWindow(t, st)
	m.selectProfile("billing")
	d := m.details
	if d.errText.Text != "The server said invalid_client: Client authentication failed (HTTP 401) — check the client ID and secret or key (see https://docs.example.com/errors). This is a permanent error: automatic refresh has stopped until the profile is changed or you refresh it (failed 3 times in a row)." {
		t.Errorf("error text %q", d.errText.Text)
	}
	for k, v := range map[string]string{"HTTP status": "401", "error": "invalid_client", "error_description": "Client authentication failed", "error_uri": "https://docs.example.com/errors"} {
		if got, _ := d.errInfo.value(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if got, _ := d.timing.value("Next refresh"); !strings.HasPrefix(got, "stopped after an error") {
		t.Errorf("next refresh %q", got)
	}
	if d.countdown.Text != "10:00 left · refresh failed · stopped" {
		t.Errorf("countdown %q", d.countdown.Text)
	}
}

func TestRefreshNowShowsBusyThenOutcome(t *testing.T) {
	h, m := openWindow(t, freshState("dev-api", token("T", t0, time.Hour)))
	m.selectProfile("dev-api")
	calls := 0
	h.eng.refresh = func(context.Context, string) (*tokens.Token, error) {
		calls++
		return nil, &tokens.ServerError{Status: 400, Code: "invalid_scope", Description: "unknown scope"}
	}
	test.Tap(m.details.refreshBtn)
	if !m.details.refreshBtn.Disabled() || !m.details.busy.Visible() {
		t.Fatal("no busy state while refreshing")
	}
	if calls != 0 {
		t.Fatal("refresh ran on the UI goroutine")
	}
	h.settle()
	if calls != 1 || m.details.refreshBtn.Disabled() || m.details.busy.Visible() {
		t.Fatalf("after refresh: calls %d disabled %v busy %v", calls, m.details.refreshBtn.Disabled(), m.details.busy.Visible())
	}
	if m.details.message.Text != "Refresh failed: the server said invalid_scope: unknown scope (HTTP 400) — check the requested scopes." {
		t.Errorf("message %q", m.details.message.Text)
	}
}

func TestWindowEscapeClosesDialogThenHides(t *testing.T) {
	_, m := openWindow(t, freshState("dev-api", token("T", t0, time.Hour)))
	if !m.visible {
		t.Fatal("not visible after show")
	}
	m.confirmDelete("dev-api")
	if m.dlg == nil {
		t.Fatal("no dialog")
	}
	m.win.Canvas().(fyne.Canvas).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if m.dlg != nil || !m.visible {
		t.Fatal("Escape should close the dialog first, not the window")
	}
	m.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if m.visible {
		t.Fatal("Escape without a dialog should hide the window")
	}
}

func TestShortLivedTokenShowsCappedLead(t *testing.T) {
	_, m := openWindow(t, freshState("short", token("T", t0, 2*time.Minute)))
	m.selectProfile("short")
	if got, _ := m.details.timing.value("Refresh lead"); got != "1 min before expiry (half the token's lifetime; 5 min configured)" {
		t.Errorf("refresh lead row %q", got)
	}
	if m.details.warnSec.box.Visible() {
		t.Errorf("a capped lead is not a warning: %q", m.details.warnings.Text)
	}
}

func TestDetailsShowServerStringsPrintable(t *testing.T) {
	st := freshState("billing", token("T", t0.Add(-50*time.Minute), time.Hour))
	st.LastError = &tokens.ServerError{Status: 400, Code: "invalid_request", Description: "x\u202eevil\x1b[2J\r\nfake line"}
	_, m := openWindow(t, st)
	m.selectProfile("billing")
	got, _ := m.details.errInfo.value("error_description")
	if got != "xevil fake line" {
		t.Fatalf("error_description shown as %q", got)
	}
}
