package ui

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// What the profile form does: validate, save, test, close.

// check builds the profile and shows every problem next to its field. It
// returns the profile and whether it is fine to use.
func (f *profileForm) check() (tokens.Profile, bool) {
	p, problems := f.problems()
	f.showProblems(problems)
	return p, len(problems) == 0
}

// showProblems puts each problem under its field and sums them up.
func (f *profileForm) showProblems(problems map[string]string) {
	var unplaced []string
	for field, msg := range problems {
		if _, ok := f.errs[field]; !ok {
			unplaced = append(unplaced, explain.FieldProblem(field, msg))
		}
	}
	for field := range f.errs {
		if msg, ok := problems[field]; ok {
			f.showFieldError(field, explain.WithPeriod(explain.FieldProblem(field, msg)))
		} else {
			f.showFieldError(field, "")
		}
	}
	f.grid.Refresh()
	if len(problems) == 0 {
		f.summary.Hide()
		return
	}
	slices.Sort(unplaced)
	msg := "Please correct the field marked in red."
	if len(problems) > 1 {
		msg = "Please correct the " + strconv.Itoa(len(problems)) + " fields marked in red."
	}
	for _, u := range unplaced {
		msg += " " + explain.Sentence(u) + "."
	}
	f.summary.SetText(msg)
	f.summary.Show()
	for _, field := range formFieldOrder {
		if _, bad := problems[field]; bad {
			f.openAdvancedFor(field)
			if w := f.focusFor[field]; w != nil {
				f.win.Canvas().Focus(w)
			}
			break
		}
	}
}

// formFieldOrder is the order of the fields on screen.
var formFieldOrder = []string{
	tokens.FieldName, tokens.FieldTokenURL, tokens.FieldIssuerURL, tokens.FieldClientID, tokens.FieldAuth,
	tokens.FieldClientSecret, tokens.FieldPrivateKey, tokens.FieldAlg, tokens.FieldClientCert, tokens.FieldClientKey,
	tokens.FieldRefreshLead, tokens.FieldAssumedLifetime,
	tokens.FieldCABundle, tokens.FieldParams, tokens.FieldHeaders, tokens.FieldBody,
	tokens.FieldIntrospectionURL, tokens.FieldRevocationURL,
}

// setFieldError shows (or with "" clears) one field's message.
func (f *profileForm) setFieldError(field, msg string) {
	if msg != "" {
		msg = explain.WithPeriod(explain.Sentence(msg))
	}
	f.showFieldError(field, msg)
	f.grid.Refresh()
}

// showFieldError shows msg under the field in place of its hint; ""
// brings the hint back.
func (f *profileForm) showFieldError(field, msg string) {
	l, ok := f.errs[field]
	if !ok {
		return
	}
	h := f.hints[field]
	if msg == "" {
		l.Hide()
		if h != nil {
			h.Show()
		}
		return
	}
	f.openAdvancedFor(field)
	l.SetText(msg)
	l.Show()
	if h != nil {
		h.Hide()
	}
}

// save validates and writes the profile in the background.
func (f *profileForm) save() {
	if f.saving || f.closed {
		return
	}
	p, ok := f.check()
	if !ok {
		return
	}
	f.setBusy(true, "Saving to the keyring…")
	saved := func(err, keepErr error) {
		f.setBusy(false, "")
		var re *tokens.RenameError
		if err == nil || errors.As(err, &re) {
			f.signedIn = nil // kept, or not to be: the next Save must not hand it over again
		}
		if err != nil {
			if re != nil {
				f.original = p.Name
				f.summary.SetText("Saved as “" + p.Name + "”, but the old entry “" + re.Old + "” could not be removed: " +
					explain.WithPeriod(explain.Error(re.Err)))
			} else {
				f.summary.SetText("Could not save: " + explain.WithPeriod(explain.Error(err)) + " Your changes are still here.")
			}
			f.summary.Show()
			return
		}
		warning := f.testFailedWarning()
		if keepErr != nil {
			warning = explain.SignInNotKept(keepErr)
		}
		f.close()
		if f.ctl.win != nil {
			f.ctl.win.selectProfile(p.Normalized().Name)
			f.ctl.win.savedWarning(p.Normalized().Name, warning)
		}
	}
	if res := f.signInToKeep(p); res != nil {
		f.ctl.saveSignedIn(f.original, p, res, saved)
		return
	}
	f.ctl.saveProfile(f.original, p, func(err error) { saved(err, nil) })
}

// test fetches a token with the unsaved settings and shows the outcome;
// for a sign-in grant it signs in instead (formsigntest.go).
func (f *profileForm) test() {
	if f.saving || f.testCancel != nil || !f.ctl.opts.TestProfiles {
		return
	}
	p, ok := f.check()
	if !ok {
		return
	}
	f.signedIn = nil // a new Test's outcome replaces the last one's
	if p = p.Normalized(); p.Grant.SignsIn() {
		f.testSignIn(p)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	f.testCancel = cancel
	f.testBtn.Disable()
	f.setBusy(false, "Asking the token endpoint…")
	f.busy.Show()
	f.busy.Start()
	tested := f.values()
	f.ctl.testProfile(ctx, p.Normalized(), func(tok *tokens.Token, err error, log []tokens.LogEntry) {
		cancel()
		f.testLog = log
		f.lastTest = &testOutcome{values: tested, err: err}
		f.testCancel = nil
		if f.closed {
			return
		}
		f.busy.Stop()
		f.busy.Hide()
		f.busyText.Hide()
		f.testBtn.Enable()
		text, good := testResultText(tok, err, f.ctl.now())
		f.result.Importance = widget.SuccessImportance
		if !good {
			f.result.Importance = widget.DangerImportance
		}
		f.result.SetText(text)
		f.resultBox.Show()
		if len(log) > 0 {
			f.exchangeBtn.Show()
		} else {
			f.exchangeBtn.Hide()
		}
	})
}

// showLogEntry opens the last Test's exchange over the form: what was
// sent and answered, most wanted when the Test failed.
func (f *profileForm) showLogEntry() {
	if len(f.testLog) == 0 {
		return
	}
	x := f.testLog[0]
	f.showDialog(newLogEntryDialog(f.ctl, x, "Test request, "+explain.LogEntrySummary(x), f.win).dlg)
}

// setBusy disables the buttons and shows the activity while saving.
func (f *profileForm) setBusy(saving bool, text string) {
	f.saving = saving
	for _, b := range []*escButton{f.saveBtn, f.cancelBtn} {
		setEnabled(b, !saving)
	}
	setEnabled(f.testBtn, !saving && f.testCancel == nil)
	if saving {
		f.summary.Hide()
	}
	if text != "" {
		f.busyText.SetText(text)
		f.busyText.Show()
		f.busy.Show()
		f.busy.Start()
	} else {
		f.busyText.Hide()
		f.busy.Stop()
		f.busy.Hide()
	}
}

// dirty reports unsaved changes.
func (f *profileForm) dirty() bool { return f.values() != f.initial }

// escape closes the dialog over the form, else the form (asking first when
// there are unsaved changes). Nothing happens while saving.
func (f *profileForm) escape() {
	if f.closeDialog() {
		return
	}
	f.escapeWindow()
}

func (f *profileForm) escapeWindow() {
	if f.saving {
		return
	}
	if !f.dirty() {
		f.close()
		return
	}
	// Fyne's confirm dialog puts a ✓ on its confirm button, which reads
	// as "safe" on a button that throws work away (issue 29).
	var d *dialog.CustomDialog
	hide := func() { d.Hide() }
	keep := newEscButton("Keep editing", theme.CancelIcon(), hide, hide)
	discard := newEscButton("Discard", theme.DeleteIcon(), func() {
		d.Hide()
		f.close()
	}, hide)
	discard.Importance = widget.DangerImportance
	d = dialog.NewCustomWithoutButtons("Discard changes?", widget.NewLabel("The profile has unsaved changes."), f.win)
	d.SetButtons([]fyne.CanvasObject{keep, discard})
	f.showDialog(d)
	f.win.Canvas().Focus(keep)
}

func (f *profileForm) close() {
	if f.closed {
		return
	}
	f.closed = true
	f.signedIn = nil
	if f.testCancel != nil {
		f.testCancel()
	}
	if f.ctl.win != nil && f.ctl.win.form == f {
		f.ctl.win.form = nil
	}
	f.win.Close()
}
