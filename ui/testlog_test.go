package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
)

// recordingFetcher answers every fetch with a 401 and records the
// exchange, as the real fetcher does through the context.
type recordingFetcher struct{ at func() time.Time }

func (r recordingFetcher) Fetch(ctx context.Context, p tokens.Profile) (*tokens.Token, error) {
	tokens.RecordLogEntry(ctx, tokens.LogEntry{Started: r.at(), Method: "POST", URL: p.TokenURL,
		RequestBody: "grant_type=client_credentials", Status: 401, ResponseBody: `{"error":"invalid_client"}`})
	return nil, &tokens.ServerError{Status: 401, Code: "invalid_client"}
}

// The form's Test is in the request log, and a failed Test opens its
// exchange from the form (issue 29: Requests said "No token request made
// since Tokentray started" after a Test).
func TestFormTestInRequestLog(t *testing.T) {
	tok := token("T", t0.Add(-18*time.Minute), time.Hour)
	var h *harness
	h, f := openForm(t, Options{TestProfiles: true}, "dev-api", freshState("dev-api", tok))
	h.eng.try = recordingFetcher{at: func() time.Time { return h.clock() }}.Fetch
	test.Tap(f.testBtn)
	h.settle()
	if !f.exchangeBtn.Visible() {
		t.Fatal("a failed Test offers no way to see its exchange")
	}
	test.Tap(f.exchangeBtn)
	if f.dlg == nil {
		t.Fatal("Show request… opened nothing")
	}
	f.closeDialog()
	f.escape()

	m := h.c.win
	m.selectProfile("dev-api")
	rows := m.details.requests.rows
	if len(rows) != 1 || !strings.HasPrefix(rows[0].Text, "Test · ") || !strings.Contains(rows[0].Text, "401") || rows[0].Importance != widget.WarningImportance {
		var texts []string
		for _, r := range rows {
			texts = append(texts, r.Text)
		}
		t.Fatalf("request log %q, want the failed Test", texts)
	}
	if m.details.requests.none.Visible() {
		t.Error("the log still says no request was made")
	}
}

// A token read from the keyring at start is not shown beside "Last
// refresh: never" (issue 29).
func TestTimingLastRefreshOfLoadedToken(t *testing.T) {
	tok := token("T", t0, time.Hour)
	ps := tokens.ProfileState{Profile: testProfile("dev-api"), Token: tok}
	for _, r := range timingRows(&ps, t0) {
		if r.Key == "Last refresh" && r.Value == "never" {
			t.Errorf("Last refresh %q beside a token issued %v", r.Value, tok.IssuedAt)
		}
	}
}

// Saving after a Test that failed for good does not promise retries the
// engine will not make (issue 29: "Tokentray keeps trying" beside
// "Refresh failed · stopped").
func TestSavedAfterPermanentTestFailureSaysItStops(t *testing.T) {
	tok := token("T", t0.Add(-18*time.Minute), time.Hour)
	var h *harness
	h, f := openForm(t, Options{TestProfiles: true}, "dev-api", freshState("dev-api", tok))
	h.eng.try = recordingFetcher{at: func() time.Time { return h.clock() }}.Fetch
	test.Tap(f.testBtn)
	h.settle()
	w := f.testFailedWarning()
	if strings.Contains(w, "keeps trying") || !strings.Contains(w, "Retrying cannot fix this") {
		t.Errorf("warning after a 401 Test: %q", w)
	}
}
