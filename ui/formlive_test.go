package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// TestFormErrorClearsWhenFieldFixed: a message under a field goes as soon
// as the field is valid, and the summary counts what is left (issue 11).
func TestFormErrorClearsWhenFieldFixed(t *testing.T) {
	h, f := openForm(t, Options{}, "")
	test.Tap(f.saveBtn)
	h.settle()
	if errText(f, tokens.FieldName) == "" || errText(f, tokens.FieldClientID) == "" {
		t.Fatalf("no messages after saving an empty form: name %q, client ID %q",
			errText(f, tokens.FieldName), errText(f, tokens.FieldClientID))
	}
	test.Type(f.name, "dev-api")
	if got := errText(f, tokens.FieldName); got != "" {
		t.Errorf("name message stays after the name was fixed: %q", got)
	}
	if errText(f, tokens.FieldClientID) == "" {
		t.Error("client ID message went although the client ID is still empty")
	}
	if !strings.Contains(f.summary.Text, "fields marked in red") || strings.Contains(f.summary.Text, "4 fields") {
		t.Errorf("summary %q", f.summary.Text)
	}
	test.Type(f.tokenURL, "https://auth.example.com/token")
	test.Type(f.clientID, "c")
	test.Type(f.secret, "s")
	if f.summary.Visible() {
		t.Errorf("summary stays with nothing left to fix: %q", f.summary.Text)
	}
	// Typing does not add new messages before the next Save.
	f.lead.SetText("soon")
	if got := errText(f, tokens.FieldRefreshLead); got != "" {
		t.Errorf("a new message while typing: %q", got)
	}
}

// TestFormNameNamesTheOneBrokenRule: a name with a slash is told about the
// slash, not about every rule (issue 11).
func TestFormNameNamesTheOneBrokenRule(t *testing.T) {
	h, f := openForm(t, Options{}, "")
	fillValid(f)
	f.name.SetText("team/api")
	test.Tap(f.saveBtn)
	h.settle()
	if got := errText(f, tokens.FieldName); got != "Name must not contain slashes." {
		t.Errorf("name message %q", got)
	}
	f.name.SetText(strings.Repeat("n", 101))
	test.Tap(f.saveBtn)
	h.settle()
	if got := errText(f, tokens.FieldName); got != "Name is longer than the 100-byte limit." {
		t.Errorf("name message %q", got)
	}
}

// TestFormUsesTheDropdownsWords: no protocol names such as
// client_secret_jwt in messages; the dropdown's words instead.
func TestFormUsesTheDropdownsWords(t *testing.T) {
	h, f := openForm(t, Options{}, "")
	fillValid(f)
	f.auth.SetSelected(explain.AuthMethod(tokens.AuthClientSecretJWT))
	f.secret.SetText("short")
	test.Tap(f.saveBtn)
	h.settle()
	got := errText(f, tokens.FieldClientSecret)
	if strings.Contains(got, "client_secret") || !strings.Contains(got, "“Client secret JWT (HS256 assertion)”") {
		t.Errorf("secret message %q", got)
	}
}

// TestFormSaveAfterFailedTestWarns: saving what a Test just failed with is
// allowed, with a warning in the window (issue 11).
func TestFormSaveAfterFailedTestWarns(t *testing.T) {
	fetch := &fetcherFunc{f: func(tokens.Profile) (*tokens.Token, error) {
		return nil, &tokens.ServerError{Status: 401, Code: "invalid_client"}
	}}
	h, f := openForm(t, Options{TestProfiles: true}, "")
	h.eng.try = fetch.Fetch
	fillValid(f)
	test.Tap(f.testBtn)
	h.settle()
	test.Tap(f.saveBtn)
	h.settle()
	saved, ok := h.store.get("dev-api")
	if !ok {
		t.Fatal("a failed Test blocked saving")
	}
	h.publish(tokens.ProfileState{Profile: saved})
	h.c.win.refreshDetails()
	msg := h.c.win.details.message
	if !msg.Visible() || msg.Importance != widget.WarningImportance || !strings.Contains(msg.Text, "last Test of these settings failed") {
		t.Fatalf("warning %v %q", msg.Visible(), msg.Text)
	}

	// A successful Test, or none, gives no warning.
	h2, f2 := openForm(t, Options{}, "")
	fillValid(f2)
	test.Tap(f2.saveBtn)
	h2.settle()
	if m := h2.c.win.details.message; m.Visible() {
		t.Errorf("warning without a failed Test: %q", m.Text)
	}
}

// TestDetailsMessageGoesAfterEdit: "Got a new token" is about the profile
// as it was; an edit makes it stale (issue 11).
func TestDetailsMessageGoesAfterEdit(t *testing.T) {
	tok := token("A", t0, time.Hour)
	h, m := openWindow(t, freshState("dev-api", tok))
	fresh := token("B", t0, time.Hour)
	h.eng.refresh = func(context.Context, string) (*tokens.Token, error) { return fresh, nil }
	test.Tap(m.details.refreshBtn)
	h.settle()
	h.publish(freshState("dev-api", fresh))
	m.tick()
	if !m.details.message.Visible() || !strings.HasPrefix(m.details.message.Text, "Got a new token") {
		t.Fatalf("message %q", m.details.message.Text)
	}
	edited := freshState("dev-api", fresh)
	edited.Profile.Scopes = []string{"admin"}
	h.publish(edited)
	m.tick()
	if m.details.message.Visible() {
		t.Errorf("message outlived the edit: %q", m.details.message.Text)
	}
}
