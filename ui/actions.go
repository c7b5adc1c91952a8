package ui

import (
	"context"
	"errors"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// copyToken puts the profile's token on the clipboard in the given format,
// fetching first (in the background) when the cached token would not stay
// valid for copyMinValid, and confirms with a notification. When the fetch
// fails but the cached token is still valid, that token is copied and the
// notification says the refresh failed. The outcome goes to report, or to
// a notification when report is nil. (ui)
func (c *controller) copyToken(name string, f copyFormat, report func(title, body string, failed bool)) {
	if report == nil {
		report = func(title, body string, _ bool) { c.notify(title, body) }
	}
	c.userAction(name)
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
		defer cancel()
		tok, err := c.o.Engine.Token(ctx, name, copyMinValid)
		var refreshErr error
		if err != nil {
			if ps, ok := c.o.Engine.Snapshot().Find(name); ok && ps.Token.ValidFor(c.now(), time.Second) {
				tok, refreshErr, err = ps.Token, err, nil
			}
		}
		c.ui(func() {
			c.userActionDone(name)
			if err != nil {
				report("Could not copy the token for "+name, withPeriod(sentence(explain.Error(err))), true)
				return
			}
			cleared := c.clip.put(clipText(tok.AccessToken, f))
			title, body := copiedText(name, f, tok.ExpiresAt.Sub(c.now()), cleared, refreshErr)
			report(title, body, false)
		})
	})
}

// copiedText words the copy confirmation: title "Copied token for dev-api,
// valid 42 min", body about clipboard clearing and a failed refresh.
func copiedText(name string, f copyFormat, left, cleared time.Duration, refreshErr error) (title, body string) {
	what := "token"
	switch f {
	case copyBearer:
		what = "“Bearer …” token"
	case copyHeader:
		what = "Authorization header"
	}
	title = "Copied " + what + " for " + name + ", valid " + coarseLeft(left)
	if refreshErr != nil {
		body = "Refresh failed, so this is the last good token: " + withPeriod(explain.Error(refreshErr)) + " "
	}
	if cleared > 0 {
		body += "The clipboard is cleared in " + humanDuration(cleared) + "."
	} else {
		body += "It stays on the clipboard until you copy something else."
	}
	return title, body
}

// refresh asks the engine for a new token now. From the tray the outcome
// is notified (the window shows it in the details pane instead). (ui)
func (c *controller) refresh(name string, notifyResult bool) {
	c.userAction(name)
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
		defer cancel()
		tok, err := c.o.Engine.Refresh(ctx, name)
		c.ui(func() {
			c.userActionDone(name)
			if c.win != nil {
				c.win.refreshDone(name, err)
			}
			switch {
			case !notifyResult:
			case err == nil:
				c.notify("Refreshed token for "+name, "Valid "+coarseLeft(tok.ExpiresAt.Sub(c.now()))+".")
			default:
				c.notify("Refresh failed for "+name, withPeriod(sentence(explain.Error(err))))
			}
		})
	})
}

// userAction records that the user started a copy or refresh of name, whose
// outcome the user is told directly: a failure-streak notification for
// the same failure would say it twice. (ui)
func (c *controller) userAction(name string) { c.busy[name]++ }

// userActionDone ends a userAction; failures that show up in snapshots
// shortly after are still covered by the direct report. (ui)
func (c *controller) userActionDone(name string) {
	if c.busy[name]--; c.busy[name] <= 0 {
		delete(c.busy, name)
	}
	c.reported[name] = c.now()
}

// suppressAlert reports whether a failure alert for name would repeat what
// a user action just reported. (ui)
func (c *controller) suppressAlert(name string, now time.Time) bool {
	if c.busy[name] > 0 {
		return true
	}
	t, ok := c.reported[name]
	return ok && now.Sub(t) < alertQuiet
}

// saveProfile writes p through the engine's write path in the background
// (the store, then the engine; a renamed profile's old name is removed).
// done runs on the UI goroutine with the outcome. (ui)
func (c *controller) saveProfile(oldName string, p tokens.Profile, done func(error)) {
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		err := c.o.Engine.SaveProfile(ctx, oldName, p)
		var re *tokens.RenameError
		if errors.As(err, &re) {
			err = &renameError{old: re.Old, err: re.Err}
		}
		c.ui(func() { done(err) })
	})
}

// renameError reports that a renamed profile was saved under its new name
// but its old entry could not be removed.
type renameError struct {
	old string
	err error
}

func (e *renameError) Error() string { return "removing old name " + e.old + ": " + e.err.Error() }
func (e *renameError) Unwrap() error { return e.err }

// deleteProfile removes the profile from the store, then from the engine.
// A profile already missing from the store is removed from the engine all
// the same. done runs on the UI goroutine. (ui)
func (c *controller) deleteProfile(name string, done func(error)) {
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		err := c.o.Engine.DeleteProfile(ctx, name)
		if errors.Is(err, tokens.ErrNotFound) {
			err = nil
		}
		c.ui(func() { done(err) })
	})
}

// testProfile fetches a token with unsaved settings; saving the same
// request then keeps it. done runs on the UI goroutine. (ui)
func (c *controller) testProfile(ctx context.Context, p tokens.Profile, done func(*tokens.Token, error)) {
	c.bg(func() {
		ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
		defer cancel()
		tok, err := c.o.Engine.TryProfile(ctx, p)
		c.ui(func() { done(tok, err) })
	})
}
