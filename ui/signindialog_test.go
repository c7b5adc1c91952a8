package ui

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"rsc.io/qr"

	"github.com/tokentray/tokentray/tokens"
)

// signingEngine is a fakeEngine that keeps sign-ins (tokens.Manager's
// SignedIn and SignOut, as the window uses them).
type signingEngine struct {
	*fakeEngine
	mu     sync.Mutex
	kept   []string // "name:access token" per SignedIn
	outs   []string // "name:refresh token revoked" per SignOut
	rt     string   // the refresh token SignOut hands to revoke
	outErr error
}

func (e *signingEngine) SignedIn(ctx context.Context, name string, res *tokens.TokenResult) (*tokens.Token, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.kept = append(e.kept, name+":"+res.Token.AccessToken)
	return res.Token, nil
}

// fakeSigner runs a device sign-in that shows dc and then waits for
// answer (or the cancel).
type fakeSigner struct {
	dc      tokens.DeviceCode
	answer  chan *tokens.TokenResult
	ended   chan error // DeviceSignIn's error
	revoked []string
}

func (e *signingEngine) SignOut(ctx context.Context, name string, revoke tokens.RevokeFunc) (bool, error) {
	ps, _ := e.Snapshot().Find(name)
	err := revoke(ctx, ps.Profile, e.rt)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.outs = append(e.outs, name)
	return err == nil, err
}

func (s *fakeSigner) SignIn(ctx context.Context, p tokens.Profile, o tokens.SignInOptions) (*tokens.TokenResult, error) {
	return nil, errors.New("not a browser sign-in")
}

func (s *fakeSigner) DeviceSignIn(ctx context.Context, p tokens.Profile, o tokens.DeviceOptions) (*tokens.TokenResult, error) {
	o.Show(s.dc)
	var res *tokens.TokenResult
	select {
	case res = <-s.answer:
	case <-ctx.Done():
	}
	if s.ended != nil {
		s.ended <- ctx.Err()
	}
	return res, ctx.Err()
}

func (s *fakeSigner) RevokeRefresh(ctx context.Context, p tokens.Profile, refresh string) error {
	s.revoked = append(s.revoked, refresh)
	return nil
}

func deviceProfile(name string) tokens.Profile {
	p := testProfile(name)
	p.Grant, p.Auth, p.ClientSecret = tokens.GrantDeviceCode, tokens.AuthNone, ""
	p.DeviceAuthorizationURL = "https://auth.example.com/device"
	return p
}

// startDeviceSignIn clicks Sign in… for a device profile and runs the
// sign-in's background work on its own goroutine, as the app does.
func startDeviceSignIn(t *testing.T) (*harness, *fakeSigner, *signingEngine) {
	t.Helper()
	eng := &signingEngine{fakeEngine: newFakeEngine()}
	s := &fakeSigner{answer: make(chan *tokens.TokenResult), ended: make(chan error, 1), dc: tokens.DeviceCode{
		UserCode: "WDJB-MJHT", VerificationURI: "https://auth.example.com/device",
		VerificationURIComplete: "https://auth.example.com/device?user_code=WDJB-MJHT", Interval: 5 * time.Second}}
	h := newHarness(t, Options{Engine: eng, SignIn: s})
	eng.fakeEngine.store = h.store
	s0 := eng.publish(t0, tokens.ProfileState{Profile: deviceProfile("dev"), LastError: &tokens.SignInNeededError{Profile: "dev"}, Stopped: true})
	h.c.deliver(s0)
	h.settle()
	h.c.signIn("dev")
	h.mu.Lock()
	work := h.bgq
	h.bgq = nil
	h.mu.Unlock()
	if len(work) == 0 {
		t.Fatal("no background job for the sign-in")
	}
	for _, f := range work[:len(work)-1] { // the details' session query
		f()
	}
	go work[len(work)-1]()
	h.settleUntil("the code in the dialog", func() bool { v := h.c.signing["dev"]; return v != nil && v.code.Visible() })
	return h, s, eng
}

// The device grant's dialog shows the user code, the address and a QR code
// of verification_uri_complete; Copy copies the code; Cancel stops the
// polling and says so.
func TestDeviceSignInDialogShowsTheCodeAndCancels(t *testing.T) {
	h, s, eng := startDeviceSignIn(t)
	v := h.c.signing["dev"]
	if v.code.Text != "WDJB-MJHT" || !v.code.Selectable || v.address.Text != "https://auth.example.com/device" {
		t.Errorf("code %q (selectable %v), address %q", v.code.Text, v.code.Selectable, v.address.Text)
	}
	want, _ := qr.Encode(s.dc.VerificationURIComplete, qr.M)
	if !v.qr.Visible() || v.qrCode == nil || !bytes.Equal(v.qrCode.Bitmap, want.Bitmap) || v.qr.Image == nil {
		t.Errorf("the QR code is not that of verification_uri_complete (shown %v)", v.qr.Visible())
	}
	if h.c.win.dlg != v.dlg {
		t.Error("the dialog is not shown over the window")
	}
	test.Tap(v.copyBtn)
	if got := h.app.Clipboard().Content(); got != "WDJB-MJHT" {
		t.Errorf("Copy put %q on the clipboard", got)
	}
	test.Tap(v.cancel)
	select {
	case err := <-s.ended:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("the polling ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Cancel did not stop the polling")
	}
	h.settleUntil("the sign-in's end", func() bool { return h.c.signing["dev"] == nil })
	if h.c.win.dlg != nil || len(eng.kept) != 0 {
		t.Errorf("after Cancel: dialog %v, kept %q", h.c.win.dlg, eng.kept)
	}
	if m := h.c.win.details.msg; m == nil || m.title != "Sign-in to dev cancelled" {
		t.Errorf("details say %+v", m)
	}
}

// When the person has signed in on the other device, the dialog closes and
// the tokens go to the engine.
func TestDeviceSignInDialogClosesWhenSignedIn(t *testing.T) {
	h, s, eng := startDeviceSignIn(t)
	s.answer <- &tokens.TokenResult{Token: token("user-access", t0, time.Hour)}
	<-s.ended
	h.settleUntil("the sign-in's end", func() bool { return h.c.signing["dev"] == nil })
	if h.c.win.dlg != nil || len(eng.kept) != 1 || eng.kept[0] != "dev:user-access" {
		t.Errorf("dialog %v, kept %q", h.c.win.dlg, eng.kept)
	}
	if m := h.c.win.details.msg; m == nil || m.title != "Signed in to dev." {
		t.Errorf("details say %+v", m)
	}
}

// The codes and addresses come from the server: bidirectional and other
// control characters are not shown (a right-to-left override could make
// an address read as another), and Copy copies what is shown.
func TestSignInDialogShowsNoControlCharacters(t *testing.T) {
	h := newHarness(t, Options{})
	h.c.showManage()
	v := newSignInView("dev", true, h.c.win.win, func(string) {}, func() {})
	v.showCode(tokens.DeviceCode{UserCode: "WDJB\u202e-MJHT\x1b[2J", VerificationURI: "https://auth.example.com/\u202edevice\n"})
	if v.code.Text != "WDJB-MJHT" || v.address.Text != "https://auth.example.com/device" {
		t.Errorf("shown %q and %q", v.code.Text, v.address.Text)
	}
	long := "https://auth.example.com/authorize?state=" + strings.Repeat("a", 400) + "\u200f"
	b := newSignInView("me", false, h.c.win.win, func(string) {}, func() {})
	b.showURL(long)
	if b.address.Text != long[:len(long)-len("\u200f")] {
		t.Errorf("browser address shown as %q", b.address.Text)
	}
}
