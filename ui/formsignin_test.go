package ui

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// A signed-in profile saved from the window keeps its grant, endpoints
// and redirect port (the form does not show them yet) and its public
// client's auth method: before, the window's save turned it into a client
// credentials profile.
func TestTheFormCarriesTheSignInFields(t *testing.T) {
	p := tokens.Profile{Name: "me", TokenURL: "https://auth.example.com/token", ClientID: "cli", Auth: tokens.AuthNone,
		Grant: tokens.GrantAuthorizationCode, AuthorizationURL: "https://auth.example.com/authorize", RedirectPort: 8400,
		Scopes: []string{"openid"}, Body: tokens.BodyForm}
	got, problems := valuesFromProfile(p).profile()
	if len(problems) != 0 || !reflect.DeepEqual(got, p) {
		t.Fatalf("round trip: %v\n got %+v\nwant %+v", problems, got, p)
	}
	_, f := openForm(t, Options{}, "")
	f.setValues(valuesFromProfile(p))
	if f.auth.Selected != explain.AuthMethod(tokens.AuthNone) {
		t.Errorf("the auth select shows %q", f.auth.Selected)
	}
	if got, _ := f.values().profile(); !reflect.DeepEqual(got, p) {
		t.Errorf("through the form:\n got %+v\nwant %+v", got, p)
	}
}

// The grant chooses the rows: the browser sign-in shows the authorization
// endpoint, the redirect port and PKCE as a fact; the device sign-in its
// endpoint; client credentials neither. What is typed reaches the profile.
func TestTheFormShowsTheSignInRowsPerGrant(t *testing.T) {
	_, f := openForm(t, Options{}, "")
	shown := func() (browser, device bool) {
		return f.groups["browser"][1].Visible(), f.groups["device"][1].Visible()
	}
	if b, d := shown(); b || d || f.grant.Selected != grantClientLabel {
		t.Fatalf("a new profile: grant %q, browser rows %v, device rows %v", f.grant.Selected, b, d)
	}
	f.grant.SetSelected(grantBrowserLabel)
	if b, d := shown(); !b || d || len(f.groups["browser"]) != 6 || !strings.Contains(f.pkce.Text, "always on") {
		t.Errorf("browser sign-in: browser rows %v, device rows %v, PKCE %q", b, d, f.pkce.Text)
	}
	f.authorizationURL.SetText("https://auth.example.com/authorize")
	f.redirectPort.SetText("8400")
	v := f.values().SignIn
	if v.Grant != tokens.GrantAuthorizationCode || v.AuthorizationURL != "https://auth.example.com/authorize" || v.RedirectPort != 8400 {
		t.Errorf("values %+v", v)
	}
	f.redirectPort.SetText("eighty")
	if p, _ := f.values().profile(); p.Validate() == nil || !strings.Contains(p.Validate().Error(), "port") {
		t.Errorf("a redirect port that is not a number: %v", p.Validate())
	}
	f.grant.SetSelected(grantDeviceLabel)
	f.device.SetText("https://auth.example.com/device")
	if b, d := shown(); b || !d {
		t.Errorf("device sign-in: browser rows %v, device rows %v", b, d)
	}
	if v := f.values().SignIn; v != (signInValues{Grant: tokens.GrantDeviceCode, DeviceAuthorizationURL: "https://auth.example.com/device"}) {
		t.Errorf("device values %+v (only the device grant's fields)", v)
	}
}
