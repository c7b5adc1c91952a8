package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// fetcherFunc records the profiles it was asked to fetch for.
type fetcherFunc struct {
	f    func(tokens.Profile) (*tokens.Token, error)
	seen []tokens.Profile
}

func (ff *fetcherFunc) Fetch(_ context.Context, p tokens.Profile) (*tokens.Token, error) {
	ff.seen = append(ff.seen, p)
	return ff.f(p)
}

func openForm(t *testing.T, o Options, edit string, states ...tokens.ProfileState) (*harness, *profileForm) {
	t.Helper()
	h := newHarness(t, o)
	h.c.load.loading = false
	h.publish(states...)
	h.c.showManage()
	h.c.win.editProfile(edit)
	if h.c.win.form == nil {
		t.Fatal("no form")
	}
	return h, h.c.win.form
}

// errText is the message under a field, or "" when none is shown.
func errText(f *profileForm, field string) string {
	l := f.errs[field]
	if l == nil || !l.Visible() {
		return ""
	}
	return l.Text
}

func fillValid(f *profileForm) {
	test.Type(f.name, "dev-api")
	test.Type(f.tokenURL, "https://auth.example.com/oauth2/token")
	test.Type(f.clientID, "my-client")
	test.Type(f.secret, "s3cret")
	test.Type(f.scopes, "read write")
}

func TestFormValidationMessagesOnBadInput(t *testing.T) {
	h, f := openForm(t, Options{}, "", freshState("taken", token("T", t0, time.Hour)))
	test.Type(f.name, "taken")
	test.Type(f.tokenURL, "http://auth.example.com/token")
	test.Type(f.params, "grant_type=password")
	test.Type(f.lead, "soon")
	test.Tap(f.saveBtn)
	h.settle()

	want := map[string]string{
		tokens.FieldName:         "Name is already used by another profile.",
		tokens.FieldTokenURL:     "Token URL: plain http is only allowed on loopback; use https.",
		tokens.FieldClientID:     "Client ID is required.",
		tokens.FieldClientSecret: "Client secret is required for “Client secret (HTTP Basic)”.",
		tokens.FieldParams:       `Extra parameters: parameter "grant_type" cannot be overridden.`,
		tokens.FieldRefreshLead:  "Refresh lead is not a duration such as 5m, 90s or 1h30m.",
	}
	for field, msg := range want {
		if got := errText(f, field); got != msg {
			t.Errorf("%s: %q, want %q", field, got, msg)
		}
	}
	for field := range f.errs {
		if _, expected := want[field]; !expected && errText(f, field) != "" {
			t.Errorf("unexpected message for %s: %q", field, errText(f, field))
		}
	}
	if !f.summary.Visible() || f.summary.Text != "Please correct the 6 fields marked in red." {
		t.Errorf("summary %q", f.summary.Text)
	}
	if h.store.saves != 0 {
		t.Error("saved an invalid profile")
	}
	if f.win.Canvas().Focused() != fyne.Focusable(f.name) {
		t.Error("focus did not move to the first bad field")
	}

	// Fixing the fields clears their messages on the next attempt.
	f.name.SetText("new-name")
	f.tokenURL.SetText("http://127.0.0.1:8080/token") // loopback http is fine
	f.params.SetText("tenant=acme")
	f.lead.SetText("2m")
	test.Type(f.clientID, "c")
	test.Type(f.secret, "x")
	test.Tap(f.saveBtn)
	h.settle()
	for field := range f.errs {
		if msg := errText(f, field); msg != "" {
			t.Errorf("%s still shows %q", field, msg)
		}
	}
	if h.store.saves != 1 {
		t.Errorf("saves %d", h.store.saves)
	}
}

func TestFormAuthMethodShowsOnlyItsFields(t *testing.T) {
	_, f := openForm(t, Options{}, "")
	visible := func(o fyne.CanvasObject) bool {
		for _, objs := range f.groups {
			for i := 1; i < len(objs); i += 2 {
				if cell, ok := objs[i].(*fyne.Container); ok && cell.Objects[0] == o {
					return objs[i].Visible()
				}
			}
		}
		return true // not in a group: always shown
	}
	if !visible(f.secret) || visible(f.privateKey.box) || visible(f.clientCert.box) {
		t.Fatal("client_secret_basic shows the wrong fields")
	}
	f.auth.SetSelected(explain.AuthMethod(tokens.AuthPrivateKeyJWT))
	if visible(f.secret) || !visible(f.privateKey.box) || !visible(f.keyID) || !visible(f.alg) || visible(f.clientCert.box) {
		t.Fatal("private_key_jwt shows the wrong fields")
	}
	f.auth.SetSelected(explain.AuthMethod(tokens.AuthTLSClient))
	if visible(f.secret) || visible(f.privateKey.box) || !visible(f.clientCert.box) || !visible(f.clientKey.box) {
		t.Fatal("tls_client_auth shows the wrong fields")
	}
	if visible(f.caBundle.box) {
		t.Fatal("the CA bundle shows while Advanced is folded")
	}
	test.Tap(f.advancedBtn)
	if !visible(f.caBundle.box) {
		t.Fatal("the CA bundle is for every method")
	}
	f.endpoint.SetSelected(endpointIssuer)
	if visible(f.tokenURL) || !visible(f.issuerURL) {
		t.Fatal("issuer discovery shows the wrong URL field")
	}

	test.Tap(f.saveBtn)
	if got := errText(f, tokens.FieldClientCert); got != "Certificate is required for “TLS client certificate (mTLS)”." {
		t.Errorf("cert message %q", got)
	}
	f.clientCert.loaded("client.crt", []byte("not pem"), nil)
	if got := errText(f, tokens.FieldClientCert); got != "Client.crt is not PEM-encoded (no -----BEGIN … line)." {
		t.Errorf("non-PEM file message %q", got)
	}
	if f.clientCert.pem != "" {
		t.Error("non-PEM content kept")
	}
	f.clientCert.loaded("client.crt", []byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"), nil)
	if f.clientCert.pem == "" || errText(f, tokens.FieldClientCert) != "" || !strings.HasSuffix(f.clientCert.label.Text, "from client.crt") {
		t.Errorf("PEM not taken: %q / %q", f.clientCert.label.Text, errText(f, tokens.FieldClientCert))
	}
}

func TestFormTestButton(t *testing.T) {
	fetch := &fetcherFunc{f: func(p tokens.Profile) (*tokens.Token, error) {
		tok := token("T", t0, time.Hour)
		tok.Scope = "read"
		return tok, nil
	}}
	h, f := openForm(t, Options{TestProfiles: true}, "")
	h.eng.try = fetch.Fetch
	fillValid(f)
	test.Tap(f.testBtn)
	if !f.testBtn.Disabled() || !f.busy.Visible() {
		t.Fatal("no busy state while testing")
	}
	if len(fetch.seen) != 0 {
		t.Fatal("fetched on the UI goroutine")
	}
	h.settle()
	if len(fetch.seen) != 1 || fetch.seen[0].ClientSecret != "s3cret" || fetch.seen[0].Scopes[1] != "write" {
		t.Fatalf("fetched with %+v", fetch.seen)
	}
	want := "It works: got a Bearer token valid for 1 h (until " + localTime(t0.Add(time.Hour), t0) + ").\nScopes granted: read."
	if f.result.Text != want || f.result.Importance != widget.SuccessImportance {
		t.Errorf("result %q", f.result.Text)
	}
	if h.store.saves != 0 {
		t.Error("Test saved the profile")
	}

	fetch.f = func(tokens.Profile) (*tokens.Token, error) {
		return nil, &tokens.ServerError{Status: 401, Code: "invalid_client", Description: "Client authentication failed"}
	}
	test.Tap(f.testBtn)
	h.settle()
	if f.result.Text != "Test failed: the server said invalid_client: Client authentication failed (HTTP 401) — check the client ID and secret or key." || f.result.Importance != widget.DangerImportance {
		t.Errorf("result %q", f.result.Text)
	}
	if f.testBtn.Disabled() {
		t.Error("Test stays disabled")
	}
}

func TestFormSaveGoesToStoreThenEngine(t *testing.T) {
	h, f := openForm(t, Options{}, "")
	fillValid(f)
	// Enter in a single-line entry submits.
	f.clientID.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !f.saveBtn.Disabled() || !f.cancelBtn.Disabled() || !f.busy.Visible() || f.busyText.Text != "Saving to the keyring…" {
		t.Fatal("no busy state while saving")
	}
	if h.store.saves != 0 {
		t.Fatal("saved on the UI goroutine")
	}
	h.settle()
	p, ok := h.store.get("dev-api")
	if !ok || p.ClientSecret != "s3cret" || p.TokenURL != "https://auth.example.com/oauth2/token" {
		t.Fatalf("stored %+v", p)
	}
	if len(h.eng.put) != 1 || h.eng.put[0].Name != "dev-api" {
		t.Fatalf("engine got %+v", h.eng.put)
	}
	if !f.closed || h.c.win.form != nil {
		t.Error("form not closed after saving")
	}
}

func TestFormSaveFailureKeepsEverything(t *testing.T) {
	h, f := openForm(t, Options{}, "")
	h.store.saveErr = errNoKeyring
	fillValid(f)
	test.Tap(f.saveBtn)
	h.settle()
	if f.closed {
		t.Fatal("form closed although saving failed")
	}
	if !strings.HasPrefix(f.summary.Text, "Could not save: OS keyring unavailable: The name org.freedesktop.secrets was not provided by any .service files, is a Secret Service running?") || !strings.HasSuffix(f.summary.Text, "Your changes are still here.") {
		t.Errorf("summary %q", f.summary.Text)
	}
	if f.saveBtn.Disabled() || f.busy.Visible() {
		t.Error("still busy after the failure")
	}
	if f.name.Text != "dev-api" || f.secret.Text != "s3cret" {
		t.Error("typed values lost")
	}
	if len(h.eng.put) != 0 {
		t.Error("engine got a profile that was not saved")
	}
}

func TestFormEditRenames(t *testing.T) {
	st := freshState("old", token("T", t0, time.Hour))
	h, f := openForm(t, Options{}, "old", st)
	h.store.profiles["old"] = st.Profile
	if f.name.Text != "old" || f.secret.Text != "s3cret" || f.lead.Text != "" {
		t.Fatalf("form not filled: %q %q %q", f.name.Text, f.secret.Text, f.lead.Text)
	}
	f.name.SetText("new")
	test.Tap(f.saveBtn)
	h.settle()
	if _, ok := h.store.get("old"); ok {
		t.Error("old name left in the store")
	}
	if _, ok := h.store.get("new"); !ok {
		t.Error("new name not stored")
	}
	if len(h.eng.removed) != 1 || h.eng.removed[0] != "old" || h.eng.put[0].Name != "new" {
		t.Errorf("engine put %v removed %v", h.eng.put, h.eng.removed)
	}
}

// A rename whose old entry cannot be removed keeps the form open on the new
// name and says which entry is left.
func TestFormEditRenameOldEntryLeft(t *testing.T) {
	st := freshState("old", token("T", t0, time.Hour))
	h, f := openForm(t, Options{}, "old", st)
	h.store.profiles["old"] = st.Profile
	h.store.deleteErr = errors.New("keyring locked")
	f.name.SetText("new")
	test.Tap(f.saveBtn)
	h.settle()
	if f.closed {
		t.Fatal("form closed although the old entry is left")
	}
	if want := "Saved as “new”, but the old entry “old” could not be removed: keyring locked."; f.summary.Text != want {
		t.Errorf("summary %q, want %q", f.summary.Text, want)
	}
	if f.original != "new" {
		t.Errorf("form now edits %q, want new", f.original)
	}
	if _, ok := h.store.get("new"); !ok {
		t.Error("new name not stored")
	}
}

// The form does not show the git hosts or endpoint origins (set on the
// command line); saving an edit from the window keeps them.
func TestFormEditKeepsFieldsItDoesNotShow(t *testing.T) {
	st := freshState("svc", token("T", t0, time.Hour))
	st.Profile.TokenURL, st.Profile.IssuerURL = "", "https://login.example.com"
	st.Profile.GitHosts = []string{"git.example.com"}
	st.Profile.EndpointOrigins = []string{"https://api.example.com"}
	h, f := openForm(t, Options{}, "svc", st)
	h.store.profiles["svc"] = st.Profile
	if f.dirty() {
		t.Fatal("an untouched form is dirty")
	}
	f.clientID.SetText("other-client")
	test.Tap(f.saveBtn)
	h.settle()
	p, ok := h.store.get("svc")
	if !ok || p.ClientID != "other-client" || !slices.Equal(p.GitHosts, st.Profile.GitHosts) || !slices.Equal(p.EndpointOrigins, st.Profile.EndpointOrigins) {
		t.Fatalf("stored %+v", p)
	}
}

func TestFormEscape(t *testing.T) {
	_, f := openForm(t, Options{}, "")
	// Unchanged: Escape in an entry closes at once.
	f.name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if !f.closed {
		t.Fatal("Escape did not close an unchanged form")
	}

	h, f := openForm(t, Options{}, "")
	test.Type(f.clientID, "typed")
	f.clientID.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if f.closed || f.dlg == nil {
		t.Fatal("Escape threw away typed changes without asking")
	}
	if b := findButton(f.win.Canvas().Overlays().Top(), "Discard"); b == nil || b.Icon == theme.ConfirmIcon() {
		t.Error("Discard missing or carrying a ✓")
	}
	f.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) // closes the question
	if f.closed || f.dlg != nil {
		t.Fatal("second Escape should only close the question")
	}
	if f.clientID.Text != "typed" {
		t.Error("typed text lost")
	}
	_ = h
}

func TestDeleteAsksThenRemoves(t *testing.T) {
	st := freshState("dev-api", token("T", t0, time.Hour))
	h, m := openWindow(t, st)
	h.store.profiles["dev-api"] = st.Profile
	m.selectProfile("dev-api")
	test.Tap(m.details.deleteBtn)
	if m.dlg == nil {
		t.Fatal("no confirmation")
	}
	if _, ok := h.store.get("dev-api"); !ok {
		t.Fatal("deleted before confirming")
	}
	del := findButton(m.win.Canvas().Overlays().Top(), "Delete")
	if del == nil {
		t.Fatal("no Delete button in the dialog")
	}
	test.Tap(del)
	h.settle()
	if _, ok := h.store.get("dev-api"); ok {
		t.Error("still in the store")
	}
	if len(h.eng.removed) != 1 || h.eng.removed[0] != "dev-api" {
		t.Errorf("engine removed %v", h.eng.removed)
	}

	// A failing delete is shown and changes nothing.
	h.store.profiles["dev-api"] = st.Profile
	h.eng.removed = nil
	h.store.deleteErr = errors.New("keyring locked")
	m.confirmDelete("dev-api")
	test.Tap(findButton(m.win.Canvas().Overlays().Top(), "Delete"))
	h.settle()
	if len(h.eng.removed) != 0 {
		t.Error("engine lost a profile the store kept")
	}
	if m.dlg == nil {
		t.Fatal("failure not shown")
	}
	if lbl := findLabel(m.win.Canvas().Overlays().Top(), "Could not delete “dev-api”: keyring locked. The profile is unchanged."); lbl == nil {
		t.Error("error dialog text not found")
	}
}

func findButton(o fyne.CanvasObject, text string) *widget.Button {
	var found *widget.Button
	walk(o, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && found == nil {
			found = b
		}
		if b, ok := o.(*escButton); ok && b.Text == text && found == nil {
			found = &b.Button
		}
	})
	return found
}

func findLabel(o fyne.CanvasObject, text string) *widget.Label {
	var found *widget.Label
	walk(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Text == text && found == nil {
			found = l
		}
	})
	return found
}

// walk visits o and everything inside it, through containers and widget
// renderers (for third-party dialogs only: our views keep handles).
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	visit(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walk(c, visit)
		}
	}
}

func TestFormTabOrder(t *testing.T) {
	_, f := openForm(t, Options{TestProfiles: true}, "")
	order := tabCycle(f.win.Canvas(), f.name, 60)
	pos := func(w fyne.Focusable) int {
		for i, o := range order {
			if o == w {
				return i
			}
		}
		return -1
	}
	// Folded: Advanced is one stop before the buttons.
	want := []fyne.Focusable{f.name, f.endpoint, f.tokenURL, f.clientID, f.auth, f.secret, f.scopes,
		f.autoRefresh, f.lead, f.assumed, f.advancedBtn, f.testBtn, f.cancelBtn, f.saveBtn}
	if pos(f.tokenURL) != pos(f.name)+2 {
		t.Errorf("Token URL is %d Tab presses after the name, want 2 (the endpoint choice is one stop)", pos(f.tokenURL)-pos(f.name))
	}
	if pos(f.caBundle.choose) >= 0 || pos(f.audience) >= 0 || pos(f.headers) >= 0 {
		t.Error("folded advanced fields are reachable with Tab")
	}
	checkOrder(t, pos, want)
	test.Tap(f.advancedBtn)
	order = tabCycle(f.win.Canvas(), f.name, 60)
	want = []fyne.Focusable{f.name, f.endpoint, f.tokenURL, f.clientID, f.auth, f.secret, f.scopes,
		f.autoRefresh, f.lead, f.assumed, f.advancedBtn, f.caBundle.choose, f.audience, f.resource, f.params, f.headers,
		f.body, f.introspectionURL, f.revocationURL, f.testBtn, f.cancelBtn, f.saveBtn}
	checkOrder(t, pos, want)
	if pos(f.issuerURL) >= 0 || pos(f.privateKey.choose) >= 0 {
		t.Error("hidden fields are reachable with Tab")
	}
}

// checkOrder fails unless pos places every widget of want, in that order.
func checkOrder(t *testing.T, pos func(fyne.Focusable) int, want []fyne.Focusable) {
	t.Helper()
	last := -1
	for i, w := range want {
		p := pos(w)
		if p < 0 {
			t.Errorf("field %d not reachable with Tab", i)
			continue
		}
		if p <= last {
			t.Errorf("field %d comes out of order (at %d, after %d)", i, p, last)
		}
		last = p
	}
}
