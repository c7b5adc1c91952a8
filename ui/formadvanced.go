package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/tokentray/tokentray/tokens"
)

// The profile form's size and its folded "Advanced" rows (issue 29): the
// form opens small enough for a 1366×768 screen with its Test / Cancel /
// Save bar on screen (the fields scroll above it), and the fields few
// profiles need are folded under one button, open when a profile uses
// them or one of them is wrong.

// formSize is the size the profile form opens at: 768 px of screen less a
// panel and the title bar leave about 700.
var formSize = fyne.NewSize(720, 640)

// groupAdvanced is the row group of the folded fields.
const groupAdvanced = "advanced"

// advancedFields are the fields under "Advanced", in screen order.
var advancedFields = []string{
	tokens.FieldCABundle, tokens.FieldAudience, tokens.FieldResource, tokens.FieldParams,
	tokens.FieldHeaders, tokens.FieldBody, tokens.FieldIntrospectionURL, tokens.FieldRevocationURL,
}

// usesAdvanced reports whether v sets any field under "Advanced", so that
// editing such a profile shows them.
func usesAdvanced(v formValues) bool {
	return v.CABundle != "" || v.Audience != "" || v.Resource != "" || v.Params != "" ||
		v.Headers != "" || v.Body == tokens.BodyJSON || v.Introspect != "" || v.Revoke != ""
}

// setAdvanced shows or hides the advanced rows.
func (f *profileForm) setAdvanced(open bool) {
	f.advancedOpen = open
	f.showGroups()
}

// setAdvancedLabel words the button for the state it toggles from.
func (f *profileForm) setAdvancedLabel() {
	text, icon := "Advanced: CA bundle, audience, resource, parameters, headers…", theme.MenuExpandIcon()
	if f.advancedOpen {
		text, icon = "Advanced", theme.MenuDropDownIcon()
	}
	if f.advancedBtn.Text != text {
		f.advancedBtn.SetText(text)
		f.advancedBtn.SetIcon(icon)
	}
}

// openAdvancedFor opens the advanced rows when field is one of them.
func (f *profileForm) openAdvancedFor(field string) {
	if !f.advancedOpen && slices.Contains(advancedFields, field) {
		f.setAdvanced(true)
	}
}
