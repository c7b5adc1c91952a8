package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
)

// A profile whose session ended says sign-in needed in the window, with
// Sign in… the primary button (not Refresh now); a client credentials
// profile has no sign-in buttons.
func TestDetailsOfASignInNeededProfile(t *testing.T) {
	eng := &signingEngine{fakeEngine: newFakeEngine()}
	h := newHarness(t, Options{Engine: eng, SignIn: &fakeSigner{}})
	h.c.deliver(eng.publish(t0,
		tokens.ProfileState{Profile: deviceProfile("dev"), LastError: &tokens.SignInNeededError{Profile: "dev", Reason: tokens.ReasonSessionEnded}, Stopped: true},
		freshState("svc", token("A", t0, time.Hour))))
	h.settle()
	h.c.showDetails("dev")
	h.settle()
	d := h.c.win.details
	if !d.signInBtn.Visible() || d.signInBtn.Importance != widget.HighImportance || d.refreshBtn.Importance == widget.HighImportance {
		t.Errorf("Sign in… shown %v (importance %v), Refresh now importance %v", d.signInBtn.Visible(), d.signInBtn.Importance, d.refreshBtn.Importance)
	}
	if !strings.Contains(strings.ToLower(d.status.Text), "sign-in needed") || d.signOutBtn.Visible() {
		t.Errorf("status %q, Sign out shown %v", d.status.Text, d.signOutBtn.Visible())
	}
	if got, _ := d.timing.value("Next refresh"); got != "stopped until you sign in again (Sign in…)" {
		t.Errorf("next refresh %q", got)
	}
	test.Tap(d.signInBtn)
	if h.c.signing["dev"] == nil || h.c.win.dlg == nil {
		t.Error("Sign in… in the details started no sign-in")
	}
	h.c.win.closeDialog()
	h.c.showDetails("svc")
	h.settle()
	if d.signInBtn.Visible() || d.signOutBtn.Visible() {
		t.Error("sign-in buttons on a client credentials profile")
	}
}

// A profile no one signed in to (never, or signed out) says so in the
// window without alarm: a neutral "not signed in", Sign in… foremost.
func TestDetailsOfAProfileNoOneSignedInTo(t *testing.T) {
	eng := &signingEngine{fakeEngine: newFakeEngine()}
	h := newHarness(t, Options{Engine: eng, SignIn: &fakeSigner{}})
	h.c.deliver(eng.publish(t0,
		tokens.ProfileState{Profile: deviceProfile("dev"), LastError: &tokens.SignInNeededError{Profile: "dev"},
			LastAttempt: t0, FailureStreak: 1, ErrorClass: tokens.Permanent})) // not stopped: as after a reload
	h.settle()
	h.c.showDetails("dev")
	h.settle()
	d := h.c.win.details
	if !d.signInBtn.Visible() || d.signInBtn.Importance != widget.HighImportance || d.signOutBtn.Visible() {
		t.Errorf("Sign in… shown %v (importance %v), Sign out shown %v", d.signInBtn.Visible(), d.signInBtn.Importance, d.signOutBtn.Visible())
	}
	if d.status.Text != "Not signed in" || d.status.Importance == widget.DangerImportance {
		t.Errorf("status %q (importance %v)", d.status.Text, d.status.Importance)
	}
	if got, _ := d.timing.value("Next refresh"); got != "none until you sign in (Sign in…)" {
		t.Errorf("next refresh %q", got)
	}
	// No error in red: nothing failed.
	if d.errSec.box.Visible() {
		t.Errorf("a Last error section: %q", d.errText.Text)
	}
	if got, ok := d.timing.value("Last attempt"); ok {
		t.Errorf("a failed last attempt: %q", got)
	}
	if !strings.Contains(d.token.Text, "No one is signed in") || !strings.Contains(d.token.Text, "Sign in…") {
		t.Errorf("the token section says %q", d.token.Text)
	}
}

// Sign out asks first, then revokes the refresh token through the
// Signer and forgets the sign-in through the engine; the session's end
// (from the snapshot) shows in the timing while signed in.
func TestDetailsSignOutAndSessionCountdown(t *testing.T) {
	eng := &signingEngine{fakeEngine: newFakeEngine(), rt: "user-refresh"}
	s := &fakeSigner{}
	h := newHarness(t, Options{Engine: eng, SignIn: s})
	h.c.deliver(eng.publish(t0, freshState("dev", token("A", t0, time.Hour))))
	h.settle()
	eng.snap.Profiles[0].Profile = deviceProfile("dev")
	eng.snap.Profiles[0].SessionEnds = t0.Add(7*time.Hour + 30*time.Second)
	h.c.deliver(eng.publish(t0, eng.snap.Profiles[0]))
	h.settle()
	h.c.showDetails("dev")
	h.settle()
	d := h.c.win.details
	if got, _ := d.timing.value("Session"); !strings.HasPrefix(got, "session ends in 7 h") {
		t.Errorf("session row %q", got)
	}
	if !d.signOutBtn.Visible() || d.signInBtn.Importance == widget.HighImportance {
		t.Errorf("Sign out shown %v; Sign in… importance %v", d.signOutBtn.Visible(), d.signInBtn.Importance)
	}
	test.Tap(d.signOutBtn)
	if h.c.win.dlg == nil || len(eng.outs) != 0 {
		t.Fatalf("Sign out did not ask first (dialog %v, signed out %q)", h.c.win.dlg, eng.outs)
	}
	h.c.win.closeDialog()
	h.c.signOut("dev") // the dialog's Sign out
	h.settle()
	if strings.Join(eng.outs, ",") != "dev" || strings.Join(s.revoked, ",") != "user-refresh" {
		t.Errorf("signed out %q, revoked %q", eng.outs, s.revoked)
	}
	if m := d.msg; m == nil || !strings.HasPrefix(m.title, "Signed out of dev: the refresh token was revoked") {
		t.Errorf("details say %+v", m)
	}
}
