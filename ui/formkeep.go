package ui

import (
	"context"
	"errors"

	"github.com/tokentray/tokentray/tokens"
)

// The form's Test of a sign-in profile signs a person in (formsigntest.go).
// What that sign-in got is held here, in memory only and never shown, until
// the form closes: a Save of a profile that signs in as the tested one did
// (the same tokens.Profile.SessionFingerprint: the server, the client, the
// grant, the scopes; not its name or its client's credentials) hands it to
// the engine (tokens.Manager.SignedIn keeps the refresh token, then the
// access token), so the saved profile is signed in at once. A Save of a
// profile that signs in otherwise keeps nothing; Cancel, a Save and the
// next Test drop it.

// testedSignIn is what a Test's sign-in got, for the Save.
type testedSignIn struct {
	res     *tokens.TokenResult // secret: it holds the refresh token
	session string              // the tested profile's tokens.Profile.SessionFingerprint
}

// errCannotKeep says that the engine keeps no sign-in (it is no
// signInEngine; tokens.Manager is one).
var errCannotKeep = errors.New("this engine cannot keep a sign-in")

// signInToKeep returns what the Test's sign-in got when p, about to be
// saved, signs in as the tested profile did; nil otherwise. (ui)
func (f *profileForm) signInToKeep(p tokens.Profile) *tokens.TokenResult {
	s := f.signedIn
	if s == nil || !p.Normalized().Grant.SignsIn() || p.SessionFingerprint() != s.session {
		return nil
	}
	return s.res
}

// saveSignedIn saves p as saveProfile does and, once it is saved (a
// *tokens.RenameError saves it too), hands res, a sign-in of p's, to the
// engine to keep. done runs on the UI goroutine with the save's error and
// the keeping's. The profile counts as the user's action meanwhile, so
// the "sign-in needed" of the moment between the two is not notified. (ui)
func (c *controller) saveSignedIn(oldName string, p tokens.Profile, res *tokens.TokenResult, done func(saveErr, keepErr error)) {
	name := p.Normalized().Name
	c.userAction(name)
	eng, canKeep := c.opts.Engine.(signInEngine)
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		err := c.opts.Engine.SaveProfile(ctx, oldName, p)
		var keepErr error
		var re *tokens.RenameError
		switch {
		case err != nil && !errors.As(err, &re):
		case !canKeep:
			keepErr = errCannotKeep
		default:
			keepCtx, stop := context.WithTimeout(context.Background(), keepTimeout)
			_, keepErr = eng.SignedIn(keepCtx, name, res)
			stop()
		}
		c.ui(func() {
			c.userActionDone(name)
			done(err, keepErr)
		})
	})
}
