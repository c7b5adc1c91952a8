package ui

import (
	"context"
	"errors"

	"github.com/tokentray/tokentray/tokens"
)

// The window's Verify, Introspect and Revoke: network calls through
// Options.Inspector in the background, outcomes handed back on the UI
// goroutine for the token they were made for.

// errNoToken is the outcome of an action on a profile without a token.
var errNoToken = errors.New("there is no token to check yet; refresh first")

// inspectTarget is name's profile and current token in the latest
// snapshot. (ui)
func (c *controller) inspectTarget(name string) (tokens.Profile, *tokens.Token, bool) {
	if c.snap == nil {
		return tokens.Profile{}, nil, false
	}
	ps, ok := c.snap.Find(name)
	if !ok || ps.Token == nil || ps.Token.AccessToken == "" {
		return tokens.Profile{}, nil, false
	}
	return ps.Profile, ps.Token, true
}

// verifyToken verifies name's current token; done gets the token it was
// for. (ui)
func (c *controller) verifyToken(name string, done func(*tokens.Token, *tokens.Verification, error)) {
	askIssuer(c, name, func(in tokens.Inspector, ctx context.Context, p tokens.Profile, tok *tokens.Token) (*tokens.Verification, error) {
		return in.Verify(ctx, p, tok), nil
	}, done)
}

// introspectToken asks the issuer about name's current token. (ui)
func (c *controller) introspectToken(name string, done func(*tokens.Token, *tokens.Introspection, error)) {
	askIssuer(c, name, tokens.Inspector.Introspect, done)
}

// askIssuer runs ask on name's current token in the background and hands
// the token it was for and the answer to done on the UI goroutine; done
// gets errNoToken at once when there is no token or no inspector. (ui)
func askIssuer[T any](c *controller, name string, ask func(tokens.Inspector, context.Context, tokens.Profile, *tokens.Token) (T, error), done func(*tokens.Token, T, error)) {
	p, tok, ok := c.inspectTarget(name)
	if !ok || c.opts.Inspector == nil {
		var zero T
		done(nil, zero, errNoToken)
		return
	}
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
		defer cancel()
		r, err := ask(c.opts.Inspector, ctx, p, tok)
		c.ui(func() { done(tok, r, err) })
	})
}

// revokeToken revokes name's current token and, once the issuer agreed,
// drops it from the engine and the keyring (Engine.DropToken). A refused
// revocation changes nothing. (ui)
func (c *controller) revokeToken(name string, done func(*tokens.Token, error)) {
	p, tok, ok := c.inspectTarget(name)
	if !ok || c.opts.Inspector == nil {
		done(nil, errNoToken)
		return
	}
	c.userAction(name)
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
		defer cancel()
		err := c.opts.Inspector.Revoke(ctx, p, tok)
		if err == nil {
			if derr := c.opts.Engine.DropToken(ctx, name, tok); derr != nil {
				err = &dropError{err: derr}
			}
		}
		c.ui(func() {
			c.userActionDone(name)
			done(tok, err)
		})
	})
}

// dropError says a token was revoked but could not be removed locally.
type dropError struct{ err error }

func (e *dropError) Error() string { return "the token was revoked, but removing it: " + e.err.Error() }
func (e *dropError) Unwrap() error { return e.err }
