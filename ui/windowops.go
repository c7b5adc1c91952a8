package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// editProfile opens the profile form for name, or for a new profile when
// name is "". Only one form is open at a time.
func (m *manageWindow) editProfile(name string) {
	if m.form != nil && !m.form.closed {
		if m.form.original == name {
			m.form.win.RequestFocus()
			return
		}
		if m.form.dirty() {
			m.form.win.RequestFocus()
			return // never throw away typed changes
		}
		m.form.close()
	}
	var p *tokens.Profile
	if name != "" && m.ctl.snap != nil {
		if ps, ok := m.ctl.snap.Find(name); ok {
			cp := ps.Profile
			p = &cp
		}
	}
	m.form = openProfileForm(m.ctl, p)
}

// confirmDelete asks before deleting, offering to revoke the profile's
// token first; the calls run in the background with the buttons disabled,
// and a failure is shown (a refused revocation deletes nothing).
func (m *manageWindow) confirmDelete(name string) {
	msg := widget.NewLabel("Delete “" + name + "”? Its client credentials and cached token are removed from the keyring. This cannot be undone.")
	msg.Wrapping = fyne.TextWrapWord
	revoke := m.details.inspect.revokeFirst(name)
	var content fyne.CanvasObject = msg
	if revoke != nil {
		content = container.NewVBox(msg, revoke)
	}
	d := dialog.NewCustomConfirm("Delete profile", "Delete", "Cancel", content, func(ok bool) {
		if !ok {
			return
		}
		m.details.deleteBtn.Disable()
		m.details.busy.Show()
		m.details.busy.Start()
		done := func(err error) {
			m.details.busy.Stop()
			m.details.busy.Hide()
			m.details.deleteBtn.Enable()
			if err != nil {
				m.showDialog(dialog.NewError(wordedError{"Could not delete “" + name + "”: " + explain.WithPeriod(explain.Error(err)) +
					" The profile is unchanged."}, m.win))
			}
		}
		if revoke == nil || !revoke.Checked {
			m.ctl.deleteProfile(name, done)
			return
		}
		m.ctl.revokeToken(name, func(_ *tokens.Token, err error) {
			if err != nil {
				done(fmt.Errorf("its token could not be revoked: %w", err))
				return
			}
			m.ctl.deleteProfile(name, done)
		})
	}, m.win)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Resize(fyne.NewSize(440, 0))
	m.showDialog(d)
}

// wordedError carries finished wording to dialog.NewError, which shows
// Error() as is.
type wordedError struct{ msg string }

func (e wordedError) Error() string { return e.msg }

// testResultText words a Test outcome. Pure.
func testResultText(tok *tokens.Token, err error, now time.Time) (string, bool) {
	if err != nil {
		return "Test failed: " + explain.WithPeriod(explain.Error(err)), false
	}
	var b strings.Builder
	typ := tok.TokenType
	if typ == "" {
		typ = "an access"
	} else {
		typ = "a " + typ
	}
	b.WriteString("It works: got " + typ + " token valid for " + explain.LeftPrecise(tok.ExpiresAt.Sub(now)) +
		" (until " + localTime(tok.ExpiresAt, now) + ").")
	if tok.Scope != "" {
		b.WriteString("\nScopes granted: " + tok.Scope + ".")
	} else {
		b.WriteString("\nThe server did not list the granted scopes.")
	}
	ps := tokens.ProfileState{Token: tok}
	for _, w := range warningLines(&ps, now) {
		b.WriteString("\n" + w)
	}
	return b.String(), true
}
