package ui

import (
	"reflect"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// msgKind is how a status message should read: good news, a caveat, or a
// failure.
type msgKind int

const (
	msgSuccess msgKind = iota
	msgWarning
	msgError
)

// importance is the label importance that shows the kind.
func (k msgKind) importance() widget.Importance {
	switch k {
	case msgWarning:
		return widget.WarningImportance
	case msgError:
		return widget.DangerImportance
	}
	return widget.SuccessImportance
}

// statusMsg is the outcome of a user action, with what must stay true for
// it to be shown: a message about a token ends when that token is replaced
// or expires, a copy's message ends when the clipboard is cleared, every
// message ends when the profile is edited, and a failure or a warning
// ends when a new token arrives without an error (issue 29: "Could not
// copy… invalid_client" stayed under "Fresh, 1:57 left"). Its figures
// count down: the title's "valid …" and the body's clipboard clearing are
// worded at the moment shown. Pure data.
type statusMsg struct {
	title, body string
	short       string // the title without figures that go stale, for the tray; "": title
	kind        msgKind

	expires   time.Time // zero: none; else the title goes on ", valid <time left>"
	clears    time.Time // zero: none; else the body goes on "The clipboard is cleared in <time left>."
	atExpiry  bool      // clears is the token's expiry
	clearsNot bool      // the body goes on "It stays on the clipboard until you copy something else."

	token   *tokens.Token   // the token it speaks of; nil: none
	profile *tokens.Profile // the profile as it was; nil: not tied to it
	until   time.Time       // zero: no time limit
	clipGen int             // > 0: true while this clipboard put is pending
	before  *tokens.Token   // for a failure or warning: the token the profile had; a newer one without an error ends it
	tied    bool            // before was recorded (it may be nil: no token yet)
}

// titleAt is the title as worded at now.
func (m statusMsg) titleAt(now time.Time) string {
	if m.expires.IsZero() {
		return m.title
	}
	return m.title + ", valid " + explain.LeftPrecise(m.expires.Sub(now))
}

// bodyAt is the body as worded at now.
func (m statusMsg) bodyAt(now time.Time) string {
	b := m.body
	add := func(s string) {
		if b != "" && b[len(b)-1] != ' ' {
			b += " "
		}
		b += s
	}
	switch {
	case !m.clears.IsZero() && m.atExpiry:
		add("The clipboard is cleared when the token expires, in " + explain.LeftPrecise(m.clears.Sub(now)) + ".")
	case !m.clears.IsZero():
		add("The clipboard is cleared in " + explain.LeftPrecise(m.clears.Sub(now)) + ".")
	case m.clearsNot:
		add("It stays on the clipboard until you copy something else.")
	}
	return b
}

// text is the message as one line of prose, worded at now.
func (m statusMsg) text(now time.Time) string {
	body := m.bodyAt(now)
	if body == "" {
		return explain.WithPeriod(m.titleAt(now))
	}
	return explain.WithPeriod(m.titleAt(now)) + " " + body
}

// stillTrue reports whether the message may still be shown at now, given
// the profile's current state and the clipboard's latest put (gen) and
// whether it is still pending clearing.
func (m statusMsg) stillTrue(ps *tokens.ProfileState, now time.Time, gen int, pending bool) bool {
	if !m.until.IsZero() && !now.Before(m.until) {
		return false
	}
	if ps == nil {
		return false
	}
	if m.token != nil && (ps.Token != m.token || !m.token.ValidFor(now, time.Nanosecond)) {
		return false
	}
	if m.profile != nil && !reflect.DeepEqual(*m.profile, ps.Profile) {
		return false
	}
	if m.clipGen > 0 && (gen != m.clipGen || !pending) {
		return false
	}
	if m.tied && m.kind != msgSuccess && ps.Token != m.before && ps.Token != nil && ps.LastError == nil {
		return false // a new token came without an error: the failure is past
	}
	return true
}
