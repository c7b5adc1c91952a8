package ui

import (
	"context"
	"errors"
	"log"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// copyToken puts the profile's token on the clipboard in the given format,
// fetching first (in the background) when the cached token would not stay
// valid for copyMinValid. When the fetch fails but the cached token is
// still valid, that token is copied and the outcome is a warning, as it is
// when refresh is failing anyway. A token whose type is not Bearer is not
// copied in a Bearer form. The outcome goes to report, or, from the tray
// (report nil), to a notification, the tray's own last-action line and,
// for failures, the log. (ui)
func (c *controller) copyToken(name string, f copyFormat, report func(statusMsg)) {
	if report == nil {
		report = c.trayReport
	}
	c.userAction(name)
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
		defer cancel()
		tok, err := c.opts.Engine.Token(ctx, name, copyMinValid)
		var refreshErr error
		ps, known := c.opts.Engine.Snapshot().Find(name)
		if err != nil {
			if known && ps.Token.ValidFor(c.now(), time.Second) {
				tok, refreshErr, err = ps.Token, err, nil
			}
		} else if known && ps.LastError != nil && ps.Token == tok {
			refreshErr = ps.LastError // a cached token while refresh fails
		}
		if err == nil && f != copyRaw {
			_, err = tok.BearerValue() // RFC 6749 §7.1: no Bearer form of another type
		}
		c.ui(func() {
			c.userActionDone(name)
			if err != nil {
				report(statusMsg{title: "Could not copy the token for " + name,
					short: "Could not copy the token for " + name + ": " + shortReason(err),
					body:  explain.WithPeriod(explain.Sentence(explain.Error(err))), kind: msgError})
				return
			}
			now := c.now()
			cleared, atExpiry := c.clip.putUntil(clipText(tok.AccessToken, f), tok.ExpiresAt)
			gen, _ := c.clip.current()
			var clears time.Time
			if cleared > 0 {
				clears = now.Add(cleared)
			}
			m := copiedMsg(name, f, tok.ExpiresAt, clears, atExpiry, refreshErr)
			m.clipGen = gen
			m.until = tok.ExpiresAt
			if known {
				p := ps.Profile
				m.profile = &p
			}
			report(m)
		})
	})
}

// copiedMsg words the copy confirmation: title "Copied token for dev-api,
// valid 1 min 57 s", body about clipboard clearing and a failed refresh
// (then it is a warning).
func copiedMsg(name string, f copyFormat, expires, clears time.Time, atExpiry bool, refreshErr error) statusMsg {
	what := "token"
	switch f {
	case copyBearer:
		what = "“Bearer …” token"
	case copyHeader:
		what = "Authorization header"
	}
	m := statusMsg{title: "Copied " + what + " for " + name, kind: msgSuccess, expires: expires,
		short: "Copied " + what + " for " + name}
	if refreshErr != nil {
		m.kind = msgWarning
		m.title = "Copied the last good " + what + " for " + name
		m.short = "Copied the last good " + what + " for " + name + " (refresh failing)"
		m.body = "Refresh is failing: " + explain.WithPeriod(explain.Error(refreshErr))
	}
	m.clears, m.atExpiry, m.clearsNot = clears, atExpiry, clears.IsZero()
	return m
}

// trayReport tells the outcome of a tray action: a desktop notification,
// which may reach no one (no notification server answers), so also a line
// at the top of the tray menu for a while; failures also go to the log. (ui)
func (c *controller) trayReport(m statusMsg) {
	now := c.now()
	c.notify(m.titleAt(now), m.bodyAt(now))
	if c.tray != nil {
		c.tray.setLastActionUntil(trayActionLine(m), m.until)
	}
	if m.kind != msgSuccess {
		log.Printf("tokentray: %s", tokens.Printable(m.text(now), maxLogRunes))
	}
}

// trayActionLine is the tray's short line for an outcome, at most 90
// characters. It carries no mark: the sentence says how it went, and the
// profile lines below keep the marks, so the two do not read alike
// (issue 29).
func trayActionLine(m statusMsg) string {
	title := m.short
	if title == "" {
		title = m.title
	}
	return tokens.Printable(title, 89) // 89: "…" follows a cut
}

// shortReason is the gist of err for a line of the tray menu: its first
// clause, without the advice that follows a dash or a full stop
// ("the server said invalid_client (HTTP 401)").
func shortReason(err error) string {
	s := explain.Error(err)
	if i := strings.Index(s, " — "); i > 0 {
		s = s[:i]
	}
	if i := strings.Index(s, ". "); i > 0 {
		s = s[:i]
	}
	return strings.TrimSuffix(s, ".")
}

// maxLogRunes caps an outcome's line in the log.
const maxLogRunes = 4000

// refresh asks the engine for a new token now. From the tray the outcome
// is reported as trayReport does (the window shows it in the details pane
// instead). (ui)
func (c *controller) refresh(name string, fromTray bool) {
	c.userAction(name)
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
		defer cancel()
		tok, err := c.opts.Engine.Refresh(ctx, name)
		c.ui(func() {
			c.userActionDone(name)
			if c.win != nil {
				c.win.refreshDone(name, tok, err)
			}
			switch {
			case !fromTray:
			case err == nil:
				c.trayReport(statusMsg{title: "Refreshed token for " + name,
					body: "Valid " + explain.LeftPrecise(tok.ExpiresAt.Sub(c.now())) + ".", kind: msgSuccess, until: tok.ExpiresAt, token: tok})
			default:
				c.trayReport(statusMsg{title: "Refresh failed for " + name,
					short: "Refresh failed for " + name + ": " + shortReason(err),
					body:  explain.WithPeriod(explain.Sentence(explain.Error(err))), kind: msgError})
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
// done runs on the UI goroutine with the outcome: a *tokens.RenameError when
// p was saved but the old name could not be removed. (ui)
func (c *controller) saveProfile(oldName string, p tokens.Profile, done func(error)) {
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		err := c.opts.Engine.SaveProfile(ctx, oldName, p)
		c.ui(func() { done(err) })
	})
}

// deleteProfile removes the profile from the store, then from the engine.
// A profile already missing from the store is removed from the engine all
// the same. done runs on the UI goroutine. (ui)
func (c *controller) deleteProfile(name string, done func(error)) {
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		err := c.opts.Engine.DeleteProfile(ctx, name)
		if errors.Is(err, tokens.ErrNotFound) {
			err = nil
		}
		c.ui(func() { done(err) })
	})
}

// testProfile fetches a token with unsaved settings; saving the same
// request then keeps it. Its exchanges go to the request log
// (recordTest) and to done, which runs on the UI goroutine. (ui)
func (c *controller) testProfile(ctx context.Context, p tokens.Profile, done func(*tokens.Token, error, []tokens.LogEntry)) {
	c.bg(func() {
		ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
		defer cancel()
		var xs testLogEntries
		tok, err := c.opts.Engine.TryProfile(xs.recorder(ctx), p)
		c.ui(func() {
			log := xs.newestFirst()
			c.recordTest(p.Name, log)
			done(tok, err, log)
		})
	})
}
