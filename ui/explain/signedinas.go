package explain

import (
	"slices"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// The words for who signed in to a profile: the claims kept of the
// sign-in's checked OpenID Connect ID token (tokens.IDClaims). Every claim
// is the server's string, so each goes through Printable.

// SignedInAsTitle heads the window's section of who signed in.
const SignedInAsTitle = "Signed in as"

// The keys of that section's rows.
const (
	SignedInWho     = "User"
	SignedInSubject = "Subject (sub)"
	SignedInIssuer  = "Issuer (iss)"
	SignedInAt      = "Signed in"
)

// SignedInWhoText names who signed in for a person: the name, then the
// username and the email when they add something ("Ada Lovelace (ada ·
// ada@example.com)"); the subject alone when the server sent none of
// them. Printable, so a claim cannot reorder or hide the text around it.
func SignedInWhoText(id *tokens.IDClaims) string {
	if id == nil {
		return ""
	}
	var extra []string
	name := Printable(id.Name)
	for _, s := range []string{id.PreferredUsername, id.Email} {
		if s = Printable(s); s != "" && s != name && !slices.Contains(extra, s) {
			extra = append(extra, s)
		}
	}
	switch {
	case name == "" && len(extra) == 0:
		return Printable(id.Subject)
	case name == "":
		return strings.Join(extra, " · ")
	case len(extra) == 0:
		return name
	}
	return name + " (" + strings.Join(extra, " · ") + ")"
}

// SignedInAsShort is who signed in, compact enough for a table cell:
// the username, else the email, else the name, else the subject; cut to
// max runes. "" when id is nil.
func SignedInAsShort(id *tokens.IDClaims, max int) string {
	if id == nil {
		return ""
	}
	for _, s := range []string{id.PreferredUsername, id.Email, id.Name, id.Subject} {
		if s = tokens.Printable(s, max); s != "" {
			return s
		}
	}
	return ""
}

// SignInAgain is the details' quiet button, beside Sign out, that signs
// in to a profile someone is signed in to: to switch account, or to
// renew the session before it ends.
const SignInAgain = "Sign in again…"

// PickerSignInHint is the picker's key hint while a profile waiting for a
// sign-in is chosen: Enter signs in to it (there is nothing to copy).
const PickerSignInHint = "Enter: sign in · Esc: close"
