package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
	"github.com/tokentray/tokentray/ui/platform/browser"
)

// The form's Test on a profile a person signs in to runs that sign-in with
// the unsaved settings, as Sign in… does from the tray (signin.go): the
// browser sign-in's waiting dialog, or the device grant's code and QR
// code, over the form, with Cancel. A client credentials fetch could not
// work for such a profile. The tokens it gets are not kept until the
// profile is saved, and then only when it signs in as tested (formkeep.go):
// a test must not sign anyone in behind their back.

// testSignIn signs in to p (a sign-in grant's, checked) and shows the
// outcome in the form's result line. (ui)
func (f *profileForm) testSignIn(p tokens.Profile) {
	s := f.ctl.opts.SignIn
	if s == nil {
		f.showTestResult(explain.FormSignInUnavailable(p.Name), false)
		return
	}
	device := p.Grant == tokens.GrantDeviceCode
	limit := tokens.DefaultSignInTimeout + 30*time.Second
	if device {
		limit = tokens.DefaultDeviceLifetime + 30*time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	f.testCancel = cancel
	f.testBtn.Disable()
	v := newSignInView(p.Name, device, f.win, func(text string) { f.ctl.clip.clipboard().SetContent(text) }, cancel)
	f.signing = v
	f.showDialog(v.dlg)
	tested := f.values()
	f.ctl.bg(func() {
		defer cancel()
		var res *tokens.TokenResult
		var err error
		if device {
			res, err = s.DeviceSignIn(ctx, p, tokens.DeviceOptions{Show: func(dc tokens.DeviceCode) {
				f.ctl.ui(func() { v.showCode(dc) })
			}})
		} else {
			res, err = s.SignIn(ctx, p, tokens.SignInOptions{OpenBrowser: browser.Opener{}.Open,
				ShowURL: func(u string) { f.ctl.ui(func() { v.showURL(u) }) }})
		}
		cancelled := ctx.Err() == context.Canceled
		f.ctl.ui(func() {
			v.finish()
			f.signing = nil
			f.testCancel = nil
			f.lastTest = &testOutcome{values: tested, err: err}
			if f.closed {
				return
			}
			f.testBtn.Enable()
			f.testLog = nil
			f.exchangeBtn.Hide()
			switch {
			case err != nil && cancelled && errors.Is(err, context.Canceled):
				f.showTestResult(explain.FormSignInCancelled, false)
			case err != nil:
				text, _ := testResultText(nil, err, f.ctl.now())
				f.showTestResult(text, false)
			default:
				f.signedIn = &testedSignIn{res: res, session: p.SessionFingerprint()}
				text, _ := testResultText(res.Token, nil, f.ctl.now())
				f.showTestResult(explain.FormSignedIn(text), true)
			}
		})
	})
}

// showTestResult shows a Test's outcome under the form. (ui)
func (f *profileForm) showTestResult(text string, good bool) {
	f.result.Importance = widget.SuccessImportance
	if !good {
		f.result.Importance = widget.DangerImportance
	}
	f.result.SetText(text)
	f.resultBox.Show()
}
