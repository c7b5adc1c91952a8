package ui

import (
	"context"
	"errors"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
	"github.com/tokentray/tokentray/ui/platform/browser"
)

// Signing in from the tray or the window ("Sign in…"): the sign-in runs in
// the background while a dialog over the window shows how it goes (the
// browser's address, or the device grant's code and QR code; see
// signindialog.go) and offers Cancel. Its tokens go to the engine
// (tokens.Manager.SignedIn), which keeps them in the keyring.

// signInEngine is what it needs of Options.Engine (tokens.Manager).
type signInEngine interface {
	SignedIn(ctx context.Context, name string, res *tokens.TokenResult) (*tokens.Token, error)
}

// keepTimeout bounds storing a sign-in's tokens in the keyring.
const keepTimeout = 30 * time.Second

// signIn starts the sign-in of name, showing its dialog over the window
// (opened at the profile). (ui)
func (c *controller) signIn(name string) {
	ps, ok := c.snap.Find(name)
	s := c.opts.SignIn
	eng, canKeep := c.opts.Engine.(signInEngine)
	if !ok || s == nil || !canKeep || !ps.Profile.Normalized().Grant.SignsIn() {
		title, body := explain.CannotSignInHere(name)
		c.trayReport(statusMsg{title: title, body: body, kind: msgError})
		return
	}
	if v := c.signing[name]; v != nil { // under way: show its dialog again
		c.showDetails(name)
		c.win.showDialog(v.dlg)
		return
	}
	p := ps.Profile
	device := p.Normalized().Grant == tokens.GrantDeviceCode
	limit := tokens.DefaultSignInTimeout + 30*time.Second
	if device {
		limit = tokens.DefaultDeviceLifetime + 30*time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	c.showDetails(name)
	v := newSignInView(name, device, c.win.win, func(text string) { c.clip.clipboard().SetContent(text) }, cancel)
	c.win.showDialog(v.dlg)
	if c.signing == nil {
		c.signing = map[string]*signInView{}
	}
	c.signing[name] = v
	c.userAction(name)
	c.bg(func() {
		defer cancel()
		var res *tokens.TokenResult
		var err error
		if device {
			res, err = s.DeviceSignIn(ctx, p, tokens.DeviceOptions{Show: func(dc tokens.DeviceCode) {
				c.ui(func() { v.showCode(dc) })
			}})
		} else {
			res, err = s.SignIn(ctx, p, tokens.SignInOptions{OpenBrowser: browser.Opener{}.Open,
				ShowURL: func(u string) { c.ui(func() { v.showURL(u) }) }})
		}
		cancelled := ctx.Err() == context.Canceled
		if err == nil {
			keepCtx, done := context.WithTimeout(context.Background(), keepTimeout)
			_, err = eng.SignedIn(keepCtx, name, res)
			done()
		}
		c.ui(func() {
			v.finish()
			delete(c.signing, name)
			c.userActionDone(name)
			var m statusMsg
			switch {
			case err != nil && cancelled && errors.Is(err, context.Canceled):
				m = statusMsg{title: explain.SignInCancelled(name), kind: msgWarning}
			case err != nil:
				title, body := explain.SignInFailed(name, err)
				m = statusMsg{title: title, body: body, kind: msgError}
			default:
				m = statusMsg{title: explain.SignedIn(name), kind: msgSuccess}
			}
			c.trayReport(m)
			if c.win != nil && c.win.details.name == name {
				c.win.details.say(m)
			}
		})
	})
}
