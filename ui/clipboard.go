package ui

import (
	"log"
	"time"

	"fyne.io/fyne/v2"
)

// prefClipboardClear is the Preferences key of the clipboard clearing delay
// in seconds; 0 turns clearing off.
const prefClipboardClear = "clipboard.clearAfterSeconds"

// defaultClipboardClear is the clearing delay when none is set.
const defaultClipboardClear = 2 * time.Minute

// clearChoices are the delays offered in the settings, in order.
var clearChoices = []struct {
	label string
	delay time.Duration
}{
	{"Never", 0},
	{"After 30 seconds", 30 * time.Second},
	{"After 1 minute", time.Minute},
	{"After 2 minutes", 2 * time.Minute},
	{"After 5 minutes", 5 * time.Minute},
	{"After 15 minutes", 15 * time.Minute},
}

// clearDelay reads the clearing delay from the preferences.
func clearDelay(p fyne.Preferences) time.Duration {
	secs := p.IntWithFallback(prefClipboardClear, int(defaultClipboardClear/time.Second))
	if secs < 0 {
		secs = 0
	}
	return time.Duration(secs) * time.Second
}

// setClearDelay stores the clearing delay in the preferences.
func setClearDelay(p fyne.Preferences, d time.Duration) {
	p.SetInt(prefClipboardClear, int(d/time.Second))
}

// afterFunc runs f once after d unless the returned stop is called first;
// time.AfterFunc in production, a fake clock in tests.
type afterFunc func(d time.Duration, f func()) (stop func() bool)

func realAfter(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }

// clipper puts tokens on the clipboard and clears them after the configured
// delay or at the token's expiry, whichever comes first, but only if the
// clipboard still holds exactly what it put there: whatever the user copied
// since is left alone. All methods run on the Fyne UI goroutine; the timer
// hops back to it through ui.
//
// Where the platform has one (X11, Windows), the copy goes through a
// secretclip board, which marks it as a secret to clipboard managers and
// history ("x-kde-passwordManagerHint: secret" on X11, the history and
// cloud exclusion formats on Windows). Fyne's clipboard offers text only,
// so it is the fallback: without a board, or when the board refuses.
type clipper struct {
	clipboard func() fyne.Clipboard
	secret    secretBoard // nil: Fyne's clipboard only
	delay     func() time.Duration
	after     afterFunc
	ui        func(func())
	now       func() time.Time

	gen      int         // increases with every put
	pending  string      // what the pending clear would remove; "" if none
	onSecret bool        // the last put went through secret
	stop     func() bool // cancels the pending clear
}

// secretBoard is the part of secretclip.Board the clipper uses.
type secretBoard interface {
	Put(text string) error
	Clear(text string) bool
}

// put places text on the clipboard and schedules its clearing. It returns
// the delay after which it is cleared (0 for never).
func (c *clipper) put(text string) time.Duration {
	d, _ := c.putUntil(text, time.Time{})
	return d
}

// putUntil is put for a token that expires at expires (zero: unknown): the
// clipboard is cleared at the configured delay or at expiry, whichever
// comes first. It returns the delay (0 for never) and whether expiry
// comes first.
func (c *clipper) putUntil(text string, expires time.Time) (time.Duration, bool) {
	c.onSecret = c.secret != nil && c.putSecret(text)
	if !c.onSecret {
		c.clipboard().SetContent(text)
	}
	c.gen++
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
	c.pending = ""
	d := c.delay()
	atExpiry := false
	if !expires.IsZero() && c.now != nil {
		if left := expires.Sub(c.now()); d <= 0 || left < d {
			d, atExpiry = max(left, 0), true
		}
	}
	if d <= 0 && !atExpiry {
		return 0, false
	}
	gen := c.gen
	c.pending = text
	c.stop = c.after(d, func() {
		c.ui(func() {
			if gen == c.gen {
				c.clearNow()
			}
		})
	})
	return d, atExpiry
}

// current is the number of the latest put, and whether its text is still
// waiting to be cleared (false once cleared, or if clearing is off).
func (c *clipper) current() (gen int, pending bool) { return c.gen, c.pending != "" }

// clearNow clears the clipboard at once if it still holds what the last put
// placed there and a clear is pending (used on quit as well).
func (c *clipper) clearNow() {
	if c.pending == "" {
		return
	}
	if c.onSecret {
		c.secret.Clear(c.pending) // only if it still holds it
	} else if c.clipboard().Content() == c.pending {
		c.clipboard().SetContent("")
	}
	c.pending = ""
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
}

// putSecret puts text on the secret board and reports whether it took it;
// why not is logged (never the text).
func (c *clipper) putSecret(text string) bool {
	if err := c.secret.Put(text); err != nil {
		log.Printf("tokentray: clipboard without the secret mark: %v", err)
		return false
	}
	return true
}
