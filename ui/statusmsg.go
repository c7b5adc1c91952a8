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
// or expires, a copy's message ends when the clipboard is cleared, and
// every message ends when the profile is edited. Pure data.
type statusMsg struct {
	title, body string
	short       string // the title without figures that go stale, for the tray; "": title
	kind        msgKind

	token   *tokens.Token   // the token it speaks of; nil: none
	profile *tokens.Profile // the profile as it was; nil: not tied to it
	until   time.Time       // zero: no time limit
	clipGen int             // > 0: true while this clipboard put is pending
}

// text is the message as one line of prose.
func (m statusMsg) text() string {
	if m.body == "" {
		return explain.WithPeriod(m.title)
	}
	return explain.WithPeriod(m.title) + " " + m.body
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
	return true
}
