package ui

import (
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// The details' "Signed in as" section: who signed in to a profile, from
// the claims kept of the sign-in's checked OpenID Connect ID token
// (Token.ID; a refresh carries them on). Shown only while someone is
// signed in and the server sent an ID token (the scopes held openid).

// newWhoSection builds the section; updateClock fills it.
func (d *detailsPane) newWhoSection(esc func()) *section {
	d.who = newKVGrid(esc)
	d.whoSec = newSection(explain.SignedInAsTitle, d.who.box)
	return d.whoSec
}

// updateWho shows who signed in to ps at now, or hides the section.
func (d *detailsPane) updateWho(ps *tokens.ProfileState, now time.Time) {
	rows := signedInRows(ps, now)
	d.who.set(rows)
	d.whoSec.setVisible(len(rows) > 0)
}

// signedInRows are the section's rows: who, the subject, the issuer and
// when they signed in (auth_time, when the server said). None without an
// ID token's claims or while sign-in is needed. Every claim is the
// server's string: shown through explain.Printable. Pure.
func signedInRows(ps *tokens.ProfileState, now time.Time) []kv {
	if ps.Token == nil || ps.Token.ID == nil || signInNeeded(ps) {
		return nil
	}
	id := ps.Token.ID
	var rows []kv
	if who := explain.SignedInWhoText(id); who != "" {
		rows = append(rows, kv{Key: explain.SignedInWho, Value: who})
	}
	rows = append(rows, kv{Key: explain.SignedInSubject, Value: orDash(explain.Printable(id.Subject))},
		kv{Key: explain.SignedInIssuer, Value: orDash(explain.Printable(id.Issuer))})
	if !id.AuthTime.IsZero() {
		rows = append(rows, kv{Key: explain.SignedInAt, Value: localTimeRel(id.AuthTime, now)})
	}
	return rows
}
