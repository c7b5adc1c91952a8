package ui

import (
	"context"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
	"github.com/tokentray/tokentray/ui/platform/browser"
)

// Signing in from the tray ("Sign in…" in a profile's actions): the
// browser sign-in of an authorization code profile runs in the
// background, and its tokens go to the engine (tokens.Manager.SignedIn),
// which keeps them in the keyring. The device grant's dialog (the code
// and a QR code) is not built yet: its profiles sign in with
// `tokentray login NAME`.

// signInEngine is what it needs of Options.Engine (tokens.Manager).
type signInEngine interface {
	SignedIn(ctx context.Context, name string, res *tokens.TokenResult) (*tokens.Token, error)
}

// signIn starts the browser sign-in of name. (ui)
func (c *controller) signIn(name string) {
	ps, ok := c.snap.Find(name)
	s := c.opts.SignIn
	canSign := s != nil
	eng, canKeep := c.opts.Engine.(signInEngine)
	if !ok || !canSign || !canKeep || ps.Profile.Normalized().Grant != tokens.GrantAuthorizationCode {
		c.trayReport(statusMsg{title: "Cannot sign in to " + name + " here",
			body: "Run " + explain.LoginCommand(name) + " in a terminal.", kind: msgError})
		return
	}
	p := ps.Profile
	c.userAction(name)
	c.trayReport(statusMsg{title: "Signing in to " + name, body: "Finish the sign-in in your browser.", kind: msgWarning})
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), tokens.DefaultSignInTimeout+30*time.Second)
		defer cancel()
		res, err := s.SignIn(ctx, p, tokens.SignInOptions{OpenBrowser: browser.Opener{}.Open})
		if err == nil {
			_, err = eng.SignedIn(ctx, name, res)
		}
		c.ui(func() {
			c.userActionDone(name)
			if err != nil {
				c.trayReport(statusMsg{title: "Sign-in to " + name + " failed",
					body: explain.WithPeriod(explain.Sentence(explain.Error(err))), kind: msgError})
				return
			}
			c.trayReport(statusMsg{title: explain.SignedIn(name), kind: msgSuccess})
		})
	})
}
