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

// The details of a profile a person signs in to: "Sign in…" (the primary
// button while sign-in is needed), "Sign out" (revokes the refresh token
// and forgets both tokens), and when the server said how long the sign-in
// lasts, "session ends in 7 h" in the timing.

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
}

// updateSignIn shows the sign-in buttons for a profile a person signs in
// to, with Sign in… foremost while no one is signed in.
func (d *detailsPane) updateSignIn(ps *tokens.ProfileState) {
	signs := ps.Profile.Normalized().Grant.SignsIn() && d.ctl.opts.SignIn != nil
	if !signs {
		d.signInBtn.Hide()
		d.signOutBtn.Hide()
		return
	}
	d.signInBtn.Show()
	d.signOutBtn.Show()
	imp := widget.MediumImportance
	if signInNeeded(ps) { // nothing to sign out of
		imp = widget.HighImportance
		d.signOutBtn.Hide()
	}
	if d.signInBtn.Importance != imp {
		d.signInBtn.Importance = imp
		d.signInBtn.Refresh()
	}
}

// signInNeeded reports whether ps waits for a person to sign in: no one
// has, or the session ended.
func signInNeeded(ps *tokens.ProfileState) bool {
	st := explain.Describe(ps, time.Time{}).Status
	return st == tokens.StatusSignInNeeded || st == tokens.StatusNotSignedIn
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
