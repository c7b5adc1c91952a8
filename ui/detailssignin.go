package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// The details of a profile a person signs in to. While signed in: "Sign
// out" (revokes the refresh token and forgets both tokens) and, quieter
// and last, "Sign in again…" (to switch account, or to renew the session
// before it ends), never "Sign in…" beside "Sign out". While sign-in is
// needed: "Sign in…" is the one primary button, first; Refresh now is
// not offered (without a sign-in it cannot work) and Copy only while the
// old access token still works. When the server said how long the
// sign-in lasts, "session ends in 7 h" is in the timing.

// signOutEngine is what Sign out needs of Options.Engine
// (tokens.Manager).
type signOutEngine interface {
	SignOut(ctx context.Context, name string, revoke tokens.RevokeFunc) (revoked bool, err error)
}

// signOutTimeout bounds a sign-out: the revocation and the keyring.
const signOutTimeout = 30 * time.Second

// newSignInButtons builds the details' Sign in… and Sign out buttons.
func (d *detailsPane) newSignInButtons(esc func()) {
	d.signInBtn = newEscButton("Sign in…", theme.LoginIcon(), func() { d.ctl.signIn(d.name) }, esc)
	d.signOutBtn = newEscButton("Sign out", theme.LogoutIcon(), func() { d.ctl.win.confirmSignOut(d.name) }, esc)
	d.signInAgainBtn = newEscButton(explain.SignInAgain, theme.LoginIcon(), func() { d.ctl.signIn(d.name) }, esc)
	d.signInAgainBtn.Importance = widget.LowImportance
}

// updateSignIn shows the sign-in buttons that fit ps: Sign in… alone
// while no one is signed in, else Sign out and Sign in again…; Refresh
// now only when it can work.
func (d *detailsPane) updateSignIn(ps *tokens.ProfileState) {
	signs := ps.Profile.Normalized().Grant.SignsIn() && d.ctl.opts.SignIn != nil
	needed := signs && signInNeeded(ps)
	setShown(d.signInBtn, needed)
	setShown(d.signOutBtn, signs && !needed)
	setShown(d.signInAgainBtn, signs && !needed)
	setShown(d.refreshBtn, !needed)
	if d.signInBtn.Importance != widget.HighImportance {
		d.signInBtn.Importance = widget.HighImportance
		d.signInBtn.Refresh()
	}
}

// setShown shows or hides o, only when that changes.
func setShown(o fyne.CanvasObject, on bool) {
	if on && !o.Visible() {
		o.Show()
	} else if !on && o.Visible() {
		o.Hide()
	}
}

// signInNeeded reports whether ps waits for a person to sign in: no one
// has, or the session ended.
func signInNeeded(ps *tokens.ProfileState) bool {
	st := explain.Describe(ps, time.Time{}).Status
	return st == tokens.StatusSignInNeeded || st == tokens.StatusNotSignedIn
}

// waitsForSignIn reports whether ps is a profile a person signs in to
// and no one is signed in now: choosing it (a click in the tray, Enter in
// the picker) starts its sign-in instead of copying.
func waitsForSignIn(ps *tokens.ProfileState) bool {
	return ps.Profile.Normalized().Grant.SignsIn() && signInNeeded(ps)
}

// notSignedIn reports whether no one is signed in to ps (never, or
// signed out on purpose): not a failure.
func notSignedIn(ps *tokens.ProfileState) bool { return ps.SignInNeeded() && !ps.SessionEnded() }

// sessionRows is the timing's line of when the sign-in ends, if known
// (ProfileState.SessionEnds).
func sessionRows(ps *tokens.ProfileState, now time.Time) []kv {
	ends := ps.SessionEnds
	if ends.IsZero() || signInNeeded(ps) {
		return nil
	}
	if left := ends.Sub(now); left > 0 {
		return []kv{{Key: "Session", Value: explain.SessionEnds(explain.Left(left)) + " (" + localTime(ends, now) + ")"}}
	}
	return []kv{{Key: "Session", Value: explain.SessionEnded + " " + localTime(ends, now)}}
}

// confirmSignOut asks before signing out of name.
func (m *manageWindow) confirmSignOut(name string) {
	msg := widget.NewLabel("Sign out of “" + name + "”? Its refresh token is revoked at the server (when it has a revocation endpoint) and both tokens are removed from the keyring. You will need to sign in again.")
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("Sign out", "Sign out", "Cancel", msg, func(ok bool) {
		if ok {
			m.ctl.signOut(name)
		}
	}, m.win)
	d.Resize(fyne.NewSize(440, 0))
	m.showDialog(d)
}

// signOut revokes name's refresh token and forgets both tokens (through
// the engine), then says how it went in the details. (ui)
func (c *controller) signOut(name string) {
	eng, ok := c.opts.Engine.(signOutEngine)
	s := c.opts.SignIn
	if !ok || s == nil {
		return
	}
	c.userAction(name)
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), signOutTimeout)
		defer cancel()
		revoked, err := eng.SignOut(ctx, name, s.RevokeRefresh)
		c.ui(func() {
			c.userActionDone(name)
			m := statusMsg{title: explain.SignedOut(name, revoked), kind: msgSuccess}
			if err != nil {
				m = statusMsg{title: "Sign-out of " + name + " failed", body: explain.WithPeriod(explain.Sentence(explain.Error(err))), kind: msgError}
			}
			c.trayReport(m)
			if c.win != nil && c.win.details.name == name {
				c.win.details.say(m)
			}
		})
	})
}
