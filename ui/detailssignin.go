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

// signOutEngine is what Sign out and the session countdown need of
// Options.Engine (tokens.Manager).
type signOutEngine interface {
	SignOut(ctx context.Context, name string, revoke tokens.RevokeFunc) (revoked bool, err error)
	SessionEnds(ctx context.Context, name string) (ends time.Time, ok bool, err error)
}

// signOutTimeout bounds a sign-out: the revocation and the keyring.
const signOutTimeout = 30 * time.Second

// sessionEnd is when a profile's sign-in ends, as last read for one of
// its access tokens.
type sessionEnd struct {
	name string
	tok  *tokens.Token // the access token it was read with
	ends time.Time     // zero: unknown
}

// newSignInButtons builds the details' Sign in… and Sign out buttons.
func (d *detailsPane) newSignInButtons(esc func()) {
	d.signInBtn = newEscButton("Sign in…", theme.LoginIcon(), func() { d.ctl.signIn(d.name) }, esc)
	d.signOutBtn = newEscButton("Sign out", theme.LogoutIcon(), func() { d.ctl.win.confirmSignOut(d.name) }, esc)
}

// updateSignIn shows the sign-in buttons for a profile a person signs in
// to, with Sign in… foremost while sign-in is needed, and asks once per
// access token when the sign-in ends.
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
	eng, ok := d.ctl.opts.Engine.(signOutEngine)
	if !ok || (d.session.name == ps.Profile.Name && d.session.tok == ps.Token) {
		return
	}
	name, tok := ps.Profile.Name, ps.Token
	d.session = sessionEnd{name: name, tok: tok}
	d.ctl.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), signOutTimeout)
		defer cancel()
		ends, ok, err := eng.SessionEnds(ctx, name)
		if err != nil || !ok {
			return
		}
		d.ctl.ui(func() {
			if d.session.name == name && d.session.tok == tok {
				d.session.ends = ends
				d.ctl.win.refreshDetails()
			}
		})
	})
}

// signInNeeded reports whether ps waits for a person to sign in.
func signInNeeded(ps *tokens.ProfileState) bool {
	return explain.Describe(ps, time.Time{}).Status == tokens.StatusSignInNeeded
}

// sessionRows is the timing's line of when the sign-in ends, if known.
func (d *detailsPane) sessionRows(ps *tokens.ProfileState, now time.Time) []kv {
	s := d.session
	if s.name != ps.Profile.Name || s.tok != ps.Token || s.ends.IsZero() || signInNeeded(ps) {
		return nil
	}
	if left := s.ends.Sub(now); left > 0 {
		return []kv{{Key: "Session", Value: explain.SessionEnds(explain.Left(left)) + " (" + localTime(s.ends, now) + ")"}}
	}
	return []kv{{Key: "Session", Value: "ended " + localTime(s.ends, now)}}
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
