package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

func exchange(seq uint64, at time.Time, status int) tokens.LogEntry {
	return tokens.LogEntry{Seq: seq, Started: at, Duration: 85 * time.Millisecond, Method: "POST", URL: "https://auth.example.com/token",
		RequestHeader: []tokens.HeaderField{{Name: "Authorization", Value: "Basic [redacted]"}},
		RequestBody:   "grant_type=client_credentials", Status: status,
		ResponseBody: `{"access_token":"` + tokens.MaskToken("tok-abc-123456") + `"}`}
}

func TestRequestsSectionListsExchangesAndOpensOne(t *testing.T) {
	tok := token("tok-abc-123456", t0.Add(-10*time.Minute), time.Hour)
	st := freshState("dev-api", tok)
	st.LogEntries = []tokens.LogEntry{exchange(2, t0.Add(-10*time.Minute), 200), exchange(1, t0.Add(-70*time.Minute), 401)}
	h, m := openWindow(t, st)
	m.selectProfile("dev-api")
	r := m.details.requests

	if len(r.rows) != 2 || r.none.Visible() || !r.sec.box.Visible() {
		t.Fatalf("%d rows, placeholder shown %v; want the 2 exchanges", len(r.rows), r.none.Visible())
	}
	for i, want := range []string{"200 OK", "401 Unauthorized"} {
		if got := r.rows[i].Text; !strings.Contains(got, want) || !strings.Contains(got, "85 ms") {
			t.Errorf("row %d = %q, want the status %s and the duration", i, got, want)
		}
	}

	renders := r.renders
	for range 3 {
		h.advance(time.Second)
		m.tick()
		h.publish(st) // the same log in a new snapshot
	}
	if r.renders != renders {
		t.Errorf("the rows were rebuilt %d times by ticks and unchanged logs", r.renders-renders)
	}
	st.LogEntries = append([]tokens.LogEntry{exchange(3, t0, 200)}, st.LogEntries...)
	h.publish(st)
	m.refreshDetails()
	if r.renders != renders+1 || len(r.rows) != 3 {
		t.Errorf("after a new exchange: %d rebuilds, %d rows; want 1 and 3", r.renders-renders, len(r.rows))
	}

	test.Tap(r.rows[2])
	h.settle()
	if r.dialog == nil {
		t.Fatal("a click on a row opened no dialog")
	}
	want := explain.LogEntry(st.LogEntries[2])
	if got := r.dialog.text.Text; got != want || !r.dialog.text.TextStyle.Monospace {
		t.Errorf("dialog text (monospace %v):\n%s\nwant:\n%s", r.dialog.text.TextStyle.Monospace, got, want)
	}
	for _, part := range []string{"POST https://auth.example.com/token", "Authorization: Basic [redacted]", "HTTP 401 Unauthorized", "tok-•"} {
		if !strings.Contains(want, part) {
			t.Errorf("the exchange text lacks %q:\n%s", part, want)
		}
	}
	test.Tap(r.dialog.copyBtn)
	h.settle()
	if got := h.app.Clipboard().Content(); got != want {
		t.Errorf("Copy put %q on the clipboard, want the exchange", got)
	}
}

func TestRequestsSectionEmptyAndCopyAsCurl(t *testing.T) {
	h, m := openWindow(t, freshState("dev-api", token("tok-1", t0, time.Hour)))
	m.selectProfile("dev-api")
	r := m.details.requests
	if len(r.rows) != 0 || !r.none.Visible() {
		t.Errorf("empty log: %d rows, placeholder shown %v", len(r.rows), r.none.Visible())
	}
	test.Tap(r.curlBtn)
	h.settle()
	got := h.app.Clipboard().Content()
	p := testProfile("dev-api")
	if !strings.Contains(got, "curl") || !strings.Contains(got, p.TokenURL) || (p.ClientSecret != "" && strings.Contains(got, p.ClientSecret)) {
		t.Errorf("Copy as curl put:\n%s", got)
	}
	if !strings.Contains(m.details.message.Text, "curl command") {
		t.Errorf("message %q", m.details.message.Text)
	}
}
