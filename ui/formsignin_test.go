package ui

import (
	"reflect"
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
