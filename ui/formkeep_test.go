package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// keepingEngine is a fakeEngine that records the sign-ins handed to it
// (tokens.Manager.SignedIn), with their refresh tokens.
type keepingEngine struct {
	*fakeEngine
	mu   sync.Mutex
	kept []string // "name:access token:refresh token" per SignedIn
}

func (e *keepingEngine) SignedIn(ctx context.Context, name string, res *tokens.TokenResult) (*tokens.Token, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.kept = append(e.kept, name+":"+res.Token.AccessToken+":"+res.RefreshToken)
	return res.Token, nil
}

func (e *keepingEngine) keptSignIns() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.kept...)
}

// testSignInFor fills the form with p (nil: as it is), taps Test and
// answers the device sign-in with res, as the server would once the
// person signed in.
func testSignInFor(t *testing.T, h *harness, f *profileForm, s *fakeSigner, p *tokens.Profile, res *tokens.TokenResult) {
	t.Helper()
	if p != nil {
		f.setValues(valuesFromProfile(*p))
	}
	test.Tap(f.testBtn)
	h.mu.Lock()
	work := h.bgq
	h.bgq = nil
	h.mu.Unlock()
	if len(work) != 1 || f.signing == nil {
		t.Fatalf("Test: %d background jobs, sign-in dialog %v", len(work), f.signing != nil)
	}
	go work[0]()
	h.settleUntil("the code over the form", func() bool { return f.signing.code.Visible() })
	s.answer <- res
	h.settleUntil("the outcome", func() bool { return f.signing == nil })
	if !strings.HasPrefix(f.result.Text, "Signed in.") {
		t.Fatalf("the Test's outcome: %q", f.result.Text)
	}
}

// The form's Test of a sign-in profile signs in; a Save of the profile as
// tested keeps that sign-in (the refresh token with the access token), so
// the person need not sign in again from the details. Before, the Test's
// tokens were thrown away: this test failed first (nothing kept).
func TestFormSaveKeepsTheTestedSignIn(t *testing.T) {
	eng, h, f, _, _ := formAfterATestSignIn(t)
	// The refresh token is held, never shown: no text on the form has it.
	walk(f.win.Canvas().Content(), func(o fyne.CanvasObject) {
		var text string
		switch w := o.(type) {
		case *canvas.Text:
			text = w.Text
		case *widget.Label:
			text = w.Text
		case *widget.Entry:
			text = w.Text
		}
		if strings.Contains(text, "user-refresh") {
			t.Errorf("the form shows the refresh token: %q", text)
		}
	})
	if strings.Contains(f.result.Text, "user-refresh") {
		t.Fatalf("the Test's outcome shows the refresh token: %q", f.result.Text)
	}
	// A change that leaves the sign-in as it was (the name) still keeps it.
	f.name.SetText("my phone")
	test.Tap(f.saveBtn)
	h.settle()
	if got := strings.Join(eng.keptSignIns(), ","); got != "my phone:user-access:user-refresh" {
		t.Fatalf("kept on Save: %q, want the tested sign-in under the saved name", got)
	}
	if f.signedIn != nil {
		t.Error("the form still holds the sign-in after Save")
	}
}

// A Save after a change of how the profile signs in (here its scopes)
// keeps nothing: the tested sign-in is not the saved profile's. Neither
// does a Save after Cancel (the sign-in is dropped with the form).
func TestFormSaveKeepsNoSignInOfOtherSettings(t *testing.T) {
	eng, h, f, s, res := formAfterATestSignIn(t)
	f.scopes.SetText("read write admin")
	test.Tap(f.saveBtn)
	h.settle()
	if got := eng.keptSignIns(); len(got) != 0 {
		t.Fatalf("a Save with other scopes kept the tested sign-in: %q", got)
	}
	saved, ok := h.store.profiles["phone"]
	if !ok {
		t.Fatal("the profile was not saved")
	}
	h.publish(tokens.ProfileState{Profile: saved})

	// Test, then Cancel: the sign-in goes with the form.
	h.c.win.editProfile("phone")
	f = h.c.win.form
	testSignInFor(t, h, f, s, nil, res)
	if f.signedIn == nil {
		t.Fatal("the form does not hold the tested sign-in")
	}
	test.Tap(f.cancelBtn)
	h.settle()
	if f.signedIn != nil || !f.closed {
		t.Errorf("after Cancel: closed %v, the sign-in still held %v", f.closed, f.signedIn != nil)
	}
	if got := eng.keptSignIns(); len(got) != 0 {
		t.Errorf("Cancel kept the tested sign-in: %q", got)
	}
}

// Against a real authorization server (a $BROWSER script following its
// redirects with curl) and the real engine and store: Test signs in, Save
// keeps the sign-in, and the refresh token is in the store, the access
// token served without a second sign-in.
func TestFormTestSignInIsKeptInTheStore(t *testing.T) {
	tokentest.CurlBrowser(t)
	var mu sync.Mutex
	codes := 0
	mux := http.NewServeMux()
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {"the-code"}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		codes++
		mu.Unlock()
		tokentest.WriteJSON(w, 200, map[string]any{"access_token": "user-access", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "user-refresh-0123"})
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	st := tokens.NewMemoryStore()
	client := oauth.NewClient(oauth.ClientOptions{})
	m := tokens.NewManager(tokens.ManagerOptions{Fetcher: client, Store: st})
	defer m.Close()
	h, f := openForm(t, Options{Engine: m, SignIn: client, TestProfiles: true}, "")
	f.setValues(valuesFromProfile(tokens.Profile{Name: "me", TokenURL: srv.URL + "/token", AuthorizationURL: srv.URL + "/authorize",
		ClientID: "cli", Auth: tokens.AuthNone, Grant: tokens.GrantAuthorizationCode}))
	test.Tap(f.testBtn)
	h.settle()
	if !strings.HasPrefix(f.result.Text, "Signed in.") {
		t.Fatalf("the Test's outcome: %q", f.result.Text)
	}
	test.Tap(f.saveBtn)
	h.settle()
	if !f.closed {
		t.Fatalf("the form is still open: %q", f.summary.Text)
	}
	if rt, err := st.(tokens.RefreshStore).LoadRefresh(context.Background(), "me"); err != nil || rt.Value != "user-refresh-0123" {
		t.Fatalf("refresh token in the store after Save: %v, %v", rt, err)
	}
	tok, err := m.Token(context.Background(), "me", time.Minute)
	if err != nil || tok.AccessToken != "user-access" || codes != 1 {
		t.Fatalf("after Save: %v, %v, %d token requests", tok, err, codes)
	}
}

// formAfterATestSignIn is a new profile's form whose Test signed in the
// device profile "phone" (access token "user-access", refresh token
// "user-refresh": res) through the fake signer s, over a keeping engine.
func formAfterATestSignIn(t *testing.T) (*keepingEngine, *harness, *profileForm, *fakeSigner, *tokens.TokenResult) {
	t.Helper()
	eng := &keepingEngine{fakeEngine: newFakeEngine()}
	s := &fakeSigner{answer: make(chan *tokens.TokenResult), dc: tokens.DeviceCode{UserCode: "WDJB-MJHT",
		VerificationURI: "https://auth.example.com/device"}}
	h, f := openForm(t, Options{Engine: eng, TestProfiles: true, SignIn: s}, "")
	eng.fakeEngine.store = h.store
	res := &tokens.TokenResult{Token: &tokens.Token{AccessToken: "user-access", TokenType: "Bearer", ExpiresAt: t0.Add(time.Hour)},
		RefreshToken: "user-refresh"}
	phone := deviceProfile("phone")
	testSignInFor(t, h, f, s, &phone, res)
	return eng, h, f, s, res
}
