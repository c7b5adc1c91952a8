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
	if !d.signOutBtn.Visible() || d.signInBtn.Visible() {
		t.Errorf("Sign out shown %v; Sign in… shown %v", d.signOutBtn.Visible(), d.signInBtn.Visible())
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

// The buttons never contradict each other: while signed in, Sign out and
// a quieter Sign in again… (to switch account) at the end, no Sign in…;
// while sign-in is needed, Sign in… is the one primary button, Refresh
// now is not offered (it cannot work without a sign-in) and Copy only
// while the old access token still works. (Failed first: Sign in… and
// Sign out side by side, Refresh now offered on a not-signed-in profile.)
func TestDetailsSignInButtonsDoNotContradict(t *testing.T) {
	eng := &signingEngine{fakeEngine: newFakeEngine()}
	h := newHarness(t, Options{Engine: eng, SignIn: &fakeSigner{}})
	signed := tokens.ProfileState{Profile: deviceProfile("dev"), Token: token("A", t0, time.Hour)}
	h.c.deliver(eng.publish(t0, signed))
	h.settle()
	h.c.showDetails("dev")
	h.settle()
	d := h.c.win.details
	if d.signInBtn.Visible() || !d.signOutBtn.Visible() || !d.signInAgainBtn.Visible() || d.signInAgainBtn.Importance != widget.LowImportance {
		t.Errorf("signed in: Sign in… shown %v, Sign out shown %v, Sign in again… shown %v (importance %v)",
			d.signInBtn.Visible(), d.signOutBtn.Visible(), d.signInAgainBtn.Visible(), d.signInAgainBtn.Importance)
	}
	if !d.refreshBtn.Visible() || d.copyBtn.Disabled() {
		t.Error("signed in: Refresh now or Copy token not offered")
	}

	for _, c := range []struct {
		what   string
		reason tokens.SignInReason
		tok    *tokens.Token
		copy   bool
	}{
		{"not signed in", tokens.ReasonNotSignedIn, nil, false},
		{"session ended, the access token still works", tokens.ReasonSessionEnded, token("A", t0, time.Hour), true},
		{"session ended, the access token expired", tokens.ReasonSessionEnded, token("A", t0.Add(-2*time.Hour), time.Hour), false},
	} {
		st := tokens.ProfileState{Profile: deviceProfile("dev"), Token: c.tok, Stopped: true,
			LastError: &tokens.SignInNeededError{Profile: "dev", Reason: c.reason}}
		h.c.deliver(eng.publish(t0, st))
		h.settle()
		if !d.signInBtn.Visible() || d.signInBtn.Importance != widget.HighImportance || d.signOutBtn.Visible() || d.signInAgainBtn.Visible() {
			t.Errorf("%s: Sign in… shown %v (importance %v), Sign out shown %v, Sign in again… shown %v", c.what,
				d.signInBtn.Visible(), d.signInBtn.Importance, d.signOutBtn.Visible(), d.signInAgainBtn.Visible())
		}
		if d.refreshBtn.Visible() {
			t.Errorf("%s: Refresh now offered", c.what)
		}
		if d.copyBtn.Disabled() == c.copy || d.headerBtn.Disabled() == c.copy {
			t.Errorf("%s: Copy token enabled %v, Copy as header enabled %v; want %v", c.what, !d.copyBtn.Disabled(), !d.headerBtn.Disabled(), c.copy)
		}
		if d.copyBtn.Importance == widget.HighImportance {
			t.Errorf("%s: Copy token is as prominent as Sign in…", c.what)
		}
	}

	h.c.deliver(eng.publish(t0, signed))
	h.settle()
	test.Tap(d.signInAgainBtn)
	if h.c.signing["dev"] == nil || h.c.win.dlg == nil {
		t.Error("Sign in again… started no sign-in")
	}
	h.c.win.closeDialog()
}
