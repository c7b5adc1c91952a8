package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"

	"github.com/tokentray/tokentray/ui/kit"
)

// inspectView is the details pane's "Check the token" section (Verify,
// Introspect, Revoke, and the verification rows) and its "Introspection"
// section (what the issuer says, and its raw answer). Results belong to one
// token and are cleared when the token changes. It changes nothing on the
// countdown tick: update compares the token and returns. Touch it only on
// the UI goroutine.
type inspectView struct {
	ctl  *controller
	name string        // profile shown
	tok  *tokens.Token // token shown; results are for it

	sec                                 *section
	verifyBtn, introspectBtn, revokeBtn *escButton
	busy                                *widget.Activity
	note                                *widget.Label // outcome of the last action
	verdict                             *widget.Label // verification summary
	checks                              *kvGrid       // one row per check

	introSec *section
	intro    *kvGrid
	raw      *widget.Label
	// introspected holds the introspection shown, for the token tok.
	introspected *tokens.Introspection
}

func newInspectView(c *controller, esc func()) *inspectView {
	v := &inspectView{ctl: c}
	v.verifyBtn = newEscButton("Verify", theme.ConfirmIcon(), v.verify, esc)
	v.introspectBtn = newEscButton("Introspect", theme.SearchIcon(), v.introspect, esc)
	v.revokeBtn = newEscButton("Revoke…", theme.CancelIcon(), v.confirmRevoke, esc)
	v.busy = widget.NewActivity()
	v.busy.Hide()
	v.note = newWrapped(widget.MediumImportance)
	v.note.Hide()
	v.verdict = newWrapped(widget.MediumImportance)
	v.verdict.Hide()
	v.checks = newKVGrid(esc)
	v.sec = newSection("Check the token",
		container.New(&kit.WrapLayout{}, v.verifyBtn, v.introspectBtn, v.revokeBtn, v.busy),
		v.note, v.verdict, v.checks.box)

	v.intro = newKVGrid(esc)
	v.raw = widget.NewLabel("")
	v.raw.Wrapping = fyne.TextWrapBreak
	rawTitle := widget.NewLabel("Answer")
	rawTitle.Importance = widget.LowImportance
	v.introSec = newSection("Introspection (what the issuer says)", v.intro.box, rawTitle, v.raw)
	v.sec.setVisible(false)
	v.introSec.setVisible(false)
	return v
}

// update follows the profile shown: a new token clears the results. Cheap
// when nothing changed (one comparison), so the countdown tick may call it.
func (v *inspectView) update(ps *tokens.ProfileState) {
	if v.ctl.opts.Inspector == nil {
		return
	}
	tok := ps.Token
	if tok != nil && tok.AccessToken == "" {
		tok = nil
	}
	if ps.Profile.Name == v.name && sameToken(tok, v.tok) {
		return
	}
	v.name, v.tok = ps.Profile.Name, tok
	v.clear()
	v.sec.setVisible(true)
	for _, b := range []*escButton{v.verifyBtn, v.introspectBtn, v.revokeBtn} {
		setEnabled(b, tok != nil)
	}
}

func sameToken(a, b *tokens.Token) bool {
	return a == b || a != nil && b != nil && a.AccessToken == b.AccessToken
}

// clear drops every result.
func (v *inspectView) clear() {
	v.note.Hide()
	v.verdict.Hide()
	v.checks.set(nil)
	v.introspected = nil
	v.intro.set(nil)
	setText(v.raw, "")
	v.introSec.setVisible(false)
	v.busy.Stop()
	v.busy.Hide()
}

// replacesClaims reports whether an introspection of tok is shown and tok
// is no readable JWT: then the issuer's answer stands in for the claims.
func (v *inspectView) replacesClaims(tok *tokens.Token, jwtErr error) bool {
	return v.introspected != nil && jwtErr != nil && sameToken(tok, v.tok)
}

func (v *inspectView) start() {
	v.note.Hide()
	v.busy.Show()
	v.busy.Start()
}

// current ends the busy state and reports whether an outcome for tok of
// name still belongs here (nil tok: an outcome about name without a token).
func (v *inspectView) current(name string, tok *tokens.Token) bool {
	v.busy.Stop()
	v.busy.Hide()
	return name == v.name && (tok == nil || sameToken(tok, v.tok))
}

func (v *inspectView) say(text string, imp widget.Importance) {
	v.note.Importance = imp
	v.note.SetText(text)
	v.note.Show()
}

func (v *inspectView) verify() {
	name := v.name
	v.start()
	v.ctl.verifyToken(name, func(tok *tokens.Token, res *tokens.Verification, err error) {
		if !v.current(name, tok) {
			return
		}
		if err != nil {
			v.say(explain.Sentence(explain.WithPeriod(explain.Error(err))), widget.WarningImportance)
			return
		}
		v.showVerification(res)
	})
}

// showVerification puts the verdict and one row per check on screen.
func (v *inspectView) showVerification(res *tokens.Verification) {
	v.verdict.Importance = verdictImportance(res.Verdict())
	v.verdict.SetText(explain.Sentence(explain.WithPeriod(explain.Verification(res))))
	v.verdict.Show()
	rows := make([]kv, 0, len(res.Checks))
	for _, c := range res.Checks {
		rows = append(rows, kv{Key: explain.CheckName(c.Kind), Value: explain.Sentence(explain.Verdict(c.Verdict)) + ": " + explain.CheckDetail(res, c),
			Imp: verdictImportance(c.Verdict)})
	}
	v.checks.set(rows)
}

func verdictImportance(vd tokens.Verdict) widget.Importance {
	switch vd {
	case tokens.VerdictValid:
		return widget.SuccessImportance
	case tokens.VerdictInvalid:
		return widget.DangerImportance
	case tokens.VerdictSkipped:
		return widget.LowImportance
	}
	return widget.WarningImportance
}

func (v *inspectView) introspect() {
	name := v.name
	v.start()
	v.ctl.introspectToken(name, func(tok *tokens.Token, r *tokens.Introspection, err error) {
		if !v.current(name, tok) {
			return
		}
		if err != nil {
			v.say("Introspection failed: "+explain.WithPeriod(explain.Error(err)), widget.DangerImportance)
			return
		}
		v.showIntrospection(r)
	})
}

// showIntrospection shows the issuer's answer; for a token that is not a
// JWT it takes the place of the decoded claims.
func (v *inspectView) showIntrospection(r *tokens.Introspection) {
	v.introspected = r
	rows := explain.IntrospectionRows(r)
	kvs := make([]kv, 0, len(rows))
	for i, row := range rows {
		kv := kv{Key: row[0], Value: row[1]}
		if i == 0 { // Active
			kv.Imp = widget.SuccessImportance
			if !r.Active {
				kv.Imp = widget.DangerImportance
			}
		}
		kvs = append(kvs, kv)
	}
	v.intro.set(kvs)
	raw := r.Raw
	if r.Truncated {
		raw += "\n(cut)"
	}
	setText(v.raw, raw)
	v.introSec.setVisible(true)
	v.ctl.win.refreshDetails() // the claims section steps aside for an opaque token
}

// confirmRevoke asks before revoking: the token stops working for every
// program that holds it.
func (v *inspectView) confirmRevoke() {
	name := v.name
	msg := widget.NewLabel("Revoke the current token of “" + name + "”? Every program that holds it loses access. " +
		"The profile stays; Tokentray fetches a new token when you next ask for one.")
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("Revoke token", "Revoke", "Cancel", msg, func(ok bool) {
		if ok && name == v.name {
			v.revoke()
		}
	}, v.ctl.win.win)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Resize(fyne.NewSize(440, 0))
	v.ctl.win.showDialog(d)
}

// revoke revokes the token shown and reports the outcome.
func (v *inspectView) revoke() {
	name := v.name
	v.start()
	v.ctl.revokeToken(name, func(tok *tokens.Token, err error) {
		v.busy.Stop()
		v.busy.Hide()
		if name != v.name {
			return
		}
		if err != nil {
			v.say("Revocation failed: "+explain.WithPeriod(explain.Error(err))+" Nothing was changed here.", widget.DangerImportance)
			return
		}
		v.say("Revoked: the issuer will refuse this token, and it was removed from the keyring. Refresh to get a new one.", widget.SuccessImportance)
	})
}

// revokeFirst is the delete dialog's "Revoke its token first" choice, or
// nil when there is nothing to revoke or no way to.
func (v *inspectView) revokeFirst(name string) *widget.Check {
	if v.ctl.opts.Inspector == nil {
		return nil
	}
	if _, _, ok := v.ctl.inspectTarget(name); !ok {
		return nil
	}
	c := widget.NewCheck("Revoke its token first (the profile is deleted only if the issuer accepts)", nil)
	c.SetChecked(true)
	return c
}
