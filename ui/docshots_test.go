package ui

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/tokentray/tokentray/tokens"

	"github.com/tokentray/tokentray/ui/kit"
)

// TestDocsSignInScreenshots is not a test: it draws the browser sign-in's
// dialog with Fyne's software painter into the folder $TOKENTRAY_DOCS_SHOTS
// (docs/ in the repository), for the README. (docs/signin-needed.png and
// docs/signin-device.png are taken from the real app by
// .ci/docs-screenshots.)
//
//	TOKENTRAY_DOCS_SHOTS=$PWD/docs .ci/session go test -count=1 -run TestDocsSignInScreenshots ./ui/
//
// It is skipped without that variable. Look at the results before
// committing them.
func TestDocsSignInScreenshots(t *testing.T) {
	dir := os.Getenv("TOKENTRAY_DOCS_SHOTS")
	if dir == "" {
		t.Skip("TOKENTRAY_DOCS_SHOTS not set")
	}
	shoot := func(h *harness, file string) {
		t.Helper()
		img := h.c.win.win.Canvas().Capture()
		out, err := os.Create(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		defer out.Close()
		if err := png.Encode(out, img); err != nil {
			t.Fatal(err)
		}
	}
	setup := func(h *harness) {
		h.app.Settings().SetTheme(kit.Theme{Theme: theme.LightTheme()})
		h.c.win.win.Resize(fyne.NewSize(980, 660))
	}

	// The browser sign-in, waiting.
	eng := &signingEngine{fakeEngine: newFakeEngine()}
	s := &browserWaiter{}
	h := newHarness(t, Options{Engine: eng, SignIn: s})
	p := testProfile("github-me")
	p.Grant, p.Auth, p.ClientSecret, p.AuthorizationURL = tokens.GrantAuthorizationCode, tokens.AuthNone, "", "https://auth.example.com/authorize"
	h.c.deliver(eng.publish(t0, tokens.ProfileState{Profile: p, LastError: &tokens.SignInNeededError{Profile: "github-me"}, Stopped: true}))
	h.settle()
	h.c.signIn("github-me")
	h.mu.Lock()
	work := h.bgq
	h.bgq = nil
	h.mu.Unlock()
	for _, f := range work[:len(work)-1] {
		f()
	}
	go work[len(work)-1]()
	h.settleUntil("the address", func() bool { v := h.c.signing["github-me"]; return v != nil && v.address.Text != "" })
	setup(h)
	h.settle()
	shoot(h, "signin-browser.png")
	h.c.win.closeDialog()
	h.settleUntil("the sign-in's end", func() bool { return h.c.signing["github-me"] == nil })
}

// browserWaiter is a browser sign-in that shows its address and waits.
type browserWaiter struct{ fakeSigner }

func (s *browserWaiter) SignIn(ctx context.Context, p tokens.Profile, o tokens.SignInOptions) (*tokens.TokenResult, error) {
	o.ShowURL("https://auth.example.com/authorize?client_id=tokentray&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&redirect_uri=http%3A%2F%2F127.0.0.1%3A41237%2Fcallback&response_type=code&state=3q2-7wAAAAC6bN6Ju0mB6A")
	<-ctx.Done()
	time.Sleep(10 * time.Millisecond)
	return nil, ctx.Err()
}
