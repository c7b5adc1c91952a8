package ui

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/demo"
	"github.com/tokentray/tokentray/tokens/oauth"
)

// openInspectWindow opens the window with a real oauth.Client as the
// Inspector and the given profile states.
func openInspectWindow(t *testing.T, states ...tokens.ProfileState) (*harness, *manageWindow) {
	t.Helper()
	h := newHarness(t, Options{Inspector: oauth.NewClient(oauth.ClientOptions{})})
	h.c.load.loading = false
	h.publish(states...)
	h.c.showManage()
	h.settle()
	return h, h.c.win
}

// demoState is a demo server profile with a token it issued.
func demoState(t *testing.T) tokens.ProfileState {
	t.Helper()
	s, err := demo.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p := s.Profiles()[0]
	tok, err := oauth.NewClient(oauth.ClientOptions{}).Fetch(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return tokens.ProfileState{Profile: p, Token: tok, LastRefresh: tok.IssuedAt}
}

func TestInspectVerifyShowsEveryCheck(t *testing.T) {
	st := demoState(t)
	h, m := openInspectWindow(t, st)
	m.selectProfile(st.Profile.Name)
	v := m.details.inspect
	if !v.sec.box.Visible() || v.verifyBtn.Disabled() {
		t.Fatal("no enabled Verify for a profile with a token")
	}
	test.Tap(v.verifyBtn)
	h.settle()
	if !strings.HasPrefix(v.verdict.Text, "Token valid") || v.verdict.Importance != widget.SuccessImportance {
		t.Errorf("verdict %q (importance %v)", v.verdict.Text, v.verdict.Importance)
	}
	for _, check := range []string{"Signature", "Expiry (exp)", "Issued at (iat)", "Issuer (iss)"} {
		if got, ok := v.checks.value(check); !ok || !strings.HasPrefix(got, "Valid: ") {
			t.Errorf("row %s = %q", check, got)
		}
	}
	if got, _ := v.checks.value("Not before (nbf)"); !strings.HasPrefix(got, "Not checked: the token has no such claim") {
		t.Errorf("nbf row %q", got)
	}

	// A new token clears the results; the countdown tick does not.
	h.advance(time.Second)
	if !v.verdict.Visible() {
		t.Error("the tick cleared the verdict")
	}
	st.Token = token("another", t0, time.Hour)
	h.publish(st)
	h.settle()
	if v.verdict.Visible() || len(v.checks.keys) != 0 {
		t.Error("the verdict of the old token stays after a new token")
	}
}

func TestInspectHiddenWithoutInspector(t *testing.T) {
	_, m := openWindow(t, freshState("dev-api", token("T", t0, time.Hour)))
	m.selectProfile("dev-api")
	if m.details.inspect.sec.box.Visible() {
		t.Error("Check the token shown without an Inspector")
	}
}

// An opaque token: the issuer's introspection answer takes the place of
// the decoded claims; a JWT keeps its claims beside it.
func TestInspectIntrospectReplacesClaimsOfOpaqueToken(t *testing.T) {
	var sawToken atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		sawToken.Store(r.PostForm.Get("token"))
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"active": true, "client_id": "dev-api-client", "scope": "orders.read", "sub": "svc-7", "exp": t0.Add(time.Hour).Unix()})
	}))
	t.Cleanup(srv.Close)
	st := freshState("dev-api", token("opaque-abc", t0, time.Hour))
	st.Profile.IntrospectionURL = srv.URL + "/introspect"
	st.Profile.EndpointOrigins = []string{srv.URL} // another origin than the token URL's
	h, m := openInspectWindow(t, st)
	m.selectProfile("dev-api")
	if !m.details.jwtSec.box.Visible() {
		t.Fatal("before introspection the claims section says why there are no claims")
	}
	v := m.details.inspect
	test.Tap(v.introspectBtn)
	h.settle()
	if sawToken.Load() != "opaque-abc" {
		t.Errorf("introspection sent token %v", sawToken.Load())
	}
	for key, want := range map[string]string{"Active": "yes", "Client ID": "dev-api-client", "Scope": "orders.read", "Subject": "svc-7"} {
		if got, _ := v.intro.value(key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	if !v.introSec.box.Visible() || !strings.Contains(v.raw.Text, `"active": true`) {
		t.Errorf("raw answer %q", v.raw.Text)
	}
	if m.details.jwtSec.box.Visible() {
		t.Error("the decoded-claims section still shows for an introspected opaque token")
	}
}

func TestInspectRevoke(t *testing.T) {
	var status atomic.Int32
	status.Store(200)
	var revoked atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := int(status.Load())
		if code == 200 {
			revoked.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		if code != 200 {
			w.Write([]byte(`{"error":"invalid_client","error_description":"who are you"}`))
		}
	}))
	t.Cleanup(srv.Close)
	st := freshState("dev-api", token("opaque-abc", t0, time.Hour))
	st.Profile.RevocationURL = srv.URL + "/revoke"
	st.Profile.EndpointOrigins = []string{srv.URL} // another origin than the token URL's
	h, m := openInspectWindow(t, st)
	m.selectProfile("dev-api")
	v := m.details.inspect

	// Refused: reported, nothing dropped.
	status.Store(401)
	test.Tap(v.revokeBtn)
	test.Tap(findButton(m.win.Canvas().Overlays().Top(), "Revoke"))
	h.settle()
	if len(h.eng.dropped) != 0 || !strings.HasPrefix(v.note.Text, "Revocation failed: the revocation endpoint said invalid_client (HTTP 401) — check the client ID and secret or key (the server's text is not shown: a secret sent, the client secret or a header or parameter named like one, is too short to hide in it safely)") {
		t.Errorf("refused revocation: dropped %v, note %q", h.eng.dropped, v.note.Text)
	}

	status.Store(200)
	test.Tap(v.revokeBtn)
	test.Tap(findButton(m.win.Canvas().Overlays().Top(), "Revoke"))
	h.settle()
	if revoked.Load() != 1 || len(h.eng.dropped) != 1 || h.eng.dropped[0] != "dev-api:opaque-abc" {
		t.Errorf("revoked %d, dropped %v", revoked.Load(), h.eng.dropped)
	}
	if !strings.HasPrefix(v.note.Text, "Revoked:") || v.note.Importance != widget.SuccessImportance {
		t.Errorf("note %q", v.note.Text)
	}
}

// Deleting a profile offers to revoke its token first; a refused
// revocation deletes nothing.
func TestDeleteOffersRevokeFirst(t *testing.T) {
	var status atomic.Int32
	status.Store(400)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(int(status.Load()))
	}))
	t.Cleanup(srv.Close)
	st := freshState("dev-api", token("opaque-abc", t0, time.Hour))
	st.Profile.RevocationURL = srv.URL + "/revoke"
	st.Profile.EndpointOrigins = []string{srv.URL} // another origin than the token URL's
	h, m := openInspectWindow(t, st)
	h.store.profiles["dev-api"] = st.Profile
	m.selectProfile("dev-api")

	m.confirmDelete("dev-api")
	var check *widget.Check
	walk(m.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if c, ok := o.(*widget.Check); ok {
			check = c
		}
	})
	if check == nil || !check.Checked || !strings.HasPrefix(check.Text, "Revoke its token first") {
		t.Fatalf("the delete dialog offers no revocation: %v", check)
	}
	test.Tap(findButton(m.win.Canvas().Overlays().Top(), "Delete"))
	h.settle()
	if _, ok := h.store.get("dev-api"); !ok || calls.Load() != 1 {
		t.Fatalf("a refused revocation deleted the profile (revocation calls %d)", calls.Load())
	}
	if findLabelPrefix(m.win.Canvas().Overlays().Top(), "Could not delete “dev-api”: its token could not be revoked") == nil {
		t.Error("the refusal is not shown")
	}

	status.Store(200)
	m.confirmDelete("dev-api")
	test.Tap(findButton(m.win.Canvas().Overlays().Top(), "Delete"))
	h.settle()
	if _, ok := h.store.get("dev-api"); ok || calls.Load() != 2 || len(h.eng.dropped) != 1 {
		t.Errorf("after revoking: still stored %v, calls %d, dropped %v", ok, calls.Load(), h.eng.dropped)
	}
}

func findLabelPrefix(o fyne.CanvasObject, prefix string) *widget.Label {
	var found *widget.Label
	walk(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.HasPrefix(l.Text, prefix) && found == nil {
			found = l
		}
	})
	return found
}

// The form's introspection and revocation URLs are checked like the token
// URL (a token and credentials go there), and saved.
func TestFormInspectionURLs(t *testing.T) {
	h, f := openForm(t, Options{}, "")
	test.Type(f.name, "n")
	test.Type(f.tokenURL, "https://auth.example.com/token")
	test.Type(f.clientID, "c")
	test.Type(f.secret, "x")
	test.Type(f.introspectionURL, "http://auth.example.com/introspect")
	test.Type(f.revocationURL, "https://auth.example.com/revoke")
	test.Tap(f.saveBtn)
	h.settle()
	if got := errText(f, tokens.FieldIntrospectionURL); got != "Introspection URL: plain http is only allowed on loopback; use https." {
		t.Errorf("introspection URL message %q", got)
	}
	if h.store.saves != 0 {
		t.Fatal("saved with a plain-http introspection URL")
	}
	f.introspectionURL.SetText("https://auth.example.com/introspect")
	test.Tap(f.saveBtn)
	h.settle()
	p, ok := h.store.get("n")
	if !ok || p.IntrospectionURL != "https://auth.example.com/introspect" || p.RevocationURL != "https://auth.example.com/revoke" {
		t.Errorf("saved %+v", p)
	}
}
