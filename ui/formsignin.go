package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// The profile form's sign-in rows: the grant (client credentials, browser
// sign-in, device sign-in) and, per grant, the authorization endpoint
// (empty with an issuer: discovered), the redirect port and PKCE shown as
// the fact it is (always S256), or the device authorization endpoint.

// Grant choices, in tokens.Grants order.
var (
	grantClientLabel  = explain.GrantChoice(tokens.GrantClientCredentials)
	grantBrowserLabel = explain.GrantChoice(tokens.GrantAuthorizationCode)
	grantDeviceLabel  = explain.GrantChoice(tokens.GrantDeviceCode)
)

var grantLabels = map[tokens.Grant]string{
	tokens.GrantClientCredentials: grantClientLabel,
	tokens.GrantAuthorizationCode: grantBrowserLabel,
	tokens.GrantDeviceCode:        grantDeviceLabel,
}

// signInFields are the form's sign-in widgets. (ui goroutine only)
type signInFields struct {
	grant                    *escSelect
	authorizationURL, device *escEntry
	redirectPort             *escEntry
	pkce                     *widget.Label // "S256, always on": a fact, not a choice
}

// buildSignIn makes the sign-in widgets; entry makes an entry as the
// other fields' (Escape, Enter saves).
func (f *profileForm) buildSignIn(entry func(placeholder string) *escEntry) {
	var labels []string
	for _, g := range tokens.Grants {
		labels = append(labels, grantLabels[g])
	}
	f.grant = newEscSelect(labels, func(string) { f.showGroups() }, f.escape)
	f.authorizationURL = entry(explain.FormAuthorizationURLPlaceholder)
	f.device = entry(explain.FormDeviceURLPlaceholder)
	f.redirectPort = entry(explain.FormRedirectPortPlaceholder)
	f.pkce = widget.NewLabel(explain.FormPKCE)
	f.pkce.Importance = widget.LowImportance
	f.focusFor[tokens.FieldGrant] = f.grant
	f.focusFor[tokens.FieldAuthorizationURL] = f.authorizationURL
	f.focusFor[tokens.FieldDeviceAuthorizationURL] = f.device
	f.focusFor[tokens.FieldRedirectPort] = f.redirectPort
}

// signInRows lays the sign-in rows out with the form's row and field.
func (f *profileForm) signInRows(field func(group, name string, w fyne.CanvasObject, hint string),
	row func(group, field, label string, w fyne.CanvasObject, hint string)) {
	field("", tokens.FieldGrant, f.grant, "")
	field("browser", tokens.FieldAuthorizationURL, f.authorizationURL, explain.FormDiscoveredHint)
	field("browser", tokens.FieldRedirectPort, f.redirectPort, explain.FormRedirectPortHint)
	row("browser", "", explain.FormPKCELabel, f.pkce, "")
	field("device", tokens.FieldDeviceAuthorizationURL, f.device, explain.FormDiscoveredHint)
}

// signInVisible says which sign-in row groups the chosen grant shows.
func (f *profileForm) signInVisible(visible map[string]bool) {
	g := f.selectedGrant()
	visible["browser"] = g == tokens.GrantAuthorizationCode
	visible["device"] = g == tokens.GrantDeviceCode
}

func (f *profileForm) selectedGrant() tokens.Grant {
	for g, l := range grantLabels {
		if l == f.grant.Selected {
			return g
		}
	}
	return tokens.GrantClientCredentials
}

// signInValues reads the sign-in rows; a redirect port that is not a
// number reads as -1, which validation names.
func (f *profileForm) signInValues() signInValues {
	v := signInValues{Grant: f.selectedGrant()}
	switch v.Grant { // only the chosen grant's fields, as with the auth method's
	case tokens.GrantDeviceCode:
		v.DeviceAuthorizationURL = strings.TrimSpace(f.device.Text)
		return v
	case tokens.GrantAuthorizationCode:
		v.AuthorizationURL = strings.TrimSpace(f.authorizationURL.Text)
	default:
		if f.kept.SignIn.Grant == "" {
			v.Grant = "" // as loaded: the default, unwritten
		}
		return v
	}
	if t := strings.TrimSpace(f.redirectPort.Text); t != "" {
		if n, err := strconv.Atoi(t); err == nil {
			v.RedirectPort = n
		} else {
			v.RedirectPort = -1
		}
	}
	return v
}

// setSignIn fills the sign-in rows.
func (f *profileForm) setSignIn(v signInValues) {
	g := v.Grant
	if g == "" {
		g = tokens.GrantClientCredentials
	}
	f.grant.SetSelected(grantLabels[g])
	f.authorizationURL.SetText(v.AuthorizationURL)
	f.device.SetText(v.DeviceAuthorizationURL)
	port := ""
	if v.RedirectPort != 0 {
		port = strconv.Itoa(v.RedirectPort)
	}
	f.redirectPort.SetText(port)
}
