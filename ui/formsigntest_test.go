package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/tokentray/tokentray/tokens"
)

// The form's Test on a device sign-in profile signs in with the unsaved
// settings, showing the device grant's code over the form, instead of a
// client credentials fetch (which cannot work for it): before, Test asked
// the engine for a client credentials token and failed.
func TestFormTestSignsInToASignInProfile(t *testing.T) {
	s := &fakeSigner{answer: make(chan *tokens.TokenResult), dc: tokens.DeviceCode{UserCode: "WDJB-MJHT",
		VerificationURI: "https://auth.example.com/device", VerificationURIComplete: "https://auth.example.com/device?user_code=WDJB-MJHT"}}
	h, f := openForm(t, Options{TestProfiles: true, SignIn: s}, "")
	fetched := false
	h.eng.try = func(ctx context.Context, p tokens.Profile) (*tokens.Token, error) {
		fetched = true
		return nil, errors.New("a client credentials fetch")
	}
	f.setValues(valuesFromProfile(deviceProfile("phone")))
	test.Tap(f.testBtn)
	h.mu.Lock()
	work := h.bgq
	h.bgq = nil
	h.mu.Unlock()
	if len(work) != 1 || f.signing == nil || f.dlg != f.signing.dlg {
		t.Fatalf("Test: %d background jobs, sign-in dialog %v over the form %v", len(work), f.signing != nil, f.dlg != nil)
	}
	go work[0]()
	h.settleUntil("the code over the form", func() bool { return f.signing.code.Visible() })
	if v := f.signing; v.code.Text != "WDJB-MJHT" || !v.qr.Visible() || f.testBtn.Disabled() == false {
		t.Errorf("the dialog shows code %q (QR %v), Test enabled %v", v.code.Text, v.qr.Visible(), !f.testBtn.Disabled())
	}
	s.answer <- &tokens.TokenResult{Token: &tokens.Token{AccessToken: "user-access", TokenType: "Bearer", ExpiresAt: t0.Add(time.Hour)}, RefreshToken: "rt"}
	h.settleUntil("the outcome", func() bool { return f.signing == nil })
	if fetched {
		t.Error("Test fetched a client credentials token for a device sign-in profile")
	}
	if f.dlg != nil || !f.resultBox.Visible() || !strings.HasPrefix(f.result.Text, "Signed in. It works") || f.testBtn.Disabled() {
		t.Errorf("after the sign-in: dialog %v, result %q, Test disabled %v", f.dlg != nil, f.result.Text, f.testBtn.Disabled())
	}

	// Cancel stops the sign-in and says so.
	test.Tap(f.testBtn)
	h.mu.Lock()
	work = h.bgq
	h.bgq = nil
	h.mu.Unlock()
	go work[0]()
	h.settleUntil("the code over the form", func() bool { return f.signing != nil && f.signing.code.Visible() })
	test.Tap(f.signing.cancel)
	h.settleUntil("the cancelled outcome", func() bool { return f.signing == nil })
	if !strings.Contains(f.result.Text, "cancelled") {
		t.Errorf("after Cancel: %q", f.result.Text)
	}
}
