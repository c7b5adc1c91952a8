package ui

import (
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// The details pane's message line: the outcome of the last action, shown
// under the buttons while it stays true (statusMsg.stillTrue), its figures
// counting down, its height given back when it goes.

// say shows the outcome of an action under the buttons, in the colour of
// its kind, until it stops being true (see statusMsg.stillTrue).
func (d *detailsPane) say(m statusMsg) {
	if !m.tied && d.ps != nil && d.ps.Profile.Name == d.name {
		m.before, m.tied = d.ps.Token, true
	}
	d.msg = &m
	d.message.Importance = m.kind.importance()
	d.message.SetText(m.text(d.ctl.now()))
	if !d.message.Visible() {
		d.message.Show()
	}
	d.content.Refresh() // the header takes the message's height
}

// hideMessage removes the action message.
func (d *detailsPane) hideMessage() {
	d.msg = nil
	if d.message.Visible() {
		d.message.Hide()
		d.content.Refresh() // and gives its height back (no empty band)
	}
}

// expireMessage hides the message once what it says is no longer true.
func (d *detailsPane) expireMessage(ps *tokens.ProfileState, now time.Time) {
	if d.msg == nil {
		return
	}
	gen, pending := d.ctl.clip.current()
	if !d.msg.stillTrue(ps, now, gen, pending) {
		d.hideMessage()
		return
	}
	setText(d.message, d.msg.text(now)) // its figures count down
}
