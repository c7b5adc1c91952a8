package curlcmd

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// A signed-in profile's request is its refresh; the refresh token comes
// from $REFRESH_TOKEN and never appears in the command.
func TestCurlOfASignedInProfileIsItsRefresh(t *testing.T) {
	srv := tokentest.NewEndpoint(t)
	for _, auth := range []tokens.AuthMethod{tokens.AuthNone, tokens.AuthClientSecretBasic} {
		p := tokens.Profile{Name: "me", TokenURL: srv.URL + "/token", ClientID: "cli", Auth: auth, Grant: tokens.GrantAuthorizationCode,
			AuthorizationURL: "https://auth.example.com/authorize", Scopes: []string{"openid"}}
		if auth.UsesSecret() {
			p.ClientSecret = "client-secret-0123"
		}
		command, err := Command(p.Name, oauth.Shape(p, p.TokenURL))
		if err != nil {
			t.Fatal(err)
		}
		const refresh = "refresh-token-from-the-environment"
		out, _ := runCurl(t, command, map[string]string{EnvRefresh: refresh, EnvSecret: p.ClientSecret})
		if !strings.Contains(out, `"access_token"`) {
			t.Fatalf("%s: curl printed %q", auth, out)
		}
		got := srv.Last(t)
		if got.Form.Get("grant_type") != "refresh_token" || got.Form.Get("refresh_token") != refresh || got.Form.Has("scope") {
			t.Errorf("%s: curl sent %v", auth, got.Form)
		}
		id, _, ok := got.Client()
		if !ok || id != "cli" {
			t.Errorf("%s: the client was not named: %v %v", auth, got.Form, got.Header.Get(http.CanonicalHeaderKey("Authorization")) != "")
		}
		if strings.Contains(command, refresh) {
			t.Error("the command holds the refresh token")
		}
	}
}
