package importers

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/testenv"
)

// Authorization code configurations (with or without PKCE) become
// profiles of the authorization_code grant; the password and implicit
// grants stay skipped.

func TestBrunoAuthorizationCodeWithPKCE(t *testing.T) {
	r := mustRead(t, Bruno, "testdata/bruno/collection_oauth2", "")
	c := find(t, r, "OAuth2 Demo - auth - oauth2 - authorization_code - token with authorize")
	usable(t, c)
	p := c.Profile
	if p.Grant != tokens.GrantAuthorizationCode || p.AuthorizationURL != "http://localhost:8080/api/auth/oauth2/authorization_code/authorize" ||
		p.TokenURL != "http://localhost:8080/api/auth/oauth2/authorization_code/token" || p.ClientID != "client_id_1" ||
		p.ClientSecret != "client_secret_1" || p.Auth == tokens.AuthNone {
		t.Fatalf("authorization code profile %+v", p)
	}
	// Its callback is a loopback URL with a port: the sign-in listens there,
	// and the note says which redirect URI to register (the path differs).
	if p.RedirectPort != 8080 || !slices.Contains(c.Notes, Note{Code: NoteCallbackRegister, Param: "http://127.0.0.1:8080/callback"}) {
		t.Fatalf("redirect port %d, notes %+v", p.RedirectPort, c.Notes)
	}
	if why := skippedReasons(r)["OAuth2 Demo / auth / oauth2 / password_credentials / token"]; !strings.Contains(why, `"password"`) {
		t.Fatalf("password grant not skipped: %q", why)
	}
}

func TestPostmanAuthorizationCode(t *testing.T) {
	r := mustRead(t, Postman, "testdata/postman/Oauth2.postman_collection.json", "")
	c := find(t, r, "Oauth2 - Auth Code")
	p := c.Profile
	if p.Grant != tokens.GrantAuthorizationCode || p.AuthorizationURL != "https://api.example.com/authorize" || p.TokenURL != "https://api.example.com/access?tokenKey1=tokenValue1" {
		t.Fatalf("auth code profile %+v", p)
	}
	// Its callback is not a loopback URL: no port, and a note says so.
	if p.RedirectPort != 0 || !slices.Contains(c.Notes, Note{Code: NoteCallbackNotLoopback, Param: "https://api.example.com/callback"}) {
		t.Fatalf("redirect port %d, notes %+v", p.RedirectPort, c.Notes)
	}
	// The authorization request's own parameters are not token request parameters.
	if _, ok := p.Params["authKey"]; ok {
		t.Fatalf("authRequestParams leaked into the token request: %+v", p.Params)
	}
	// The secret is a variable without a value: asked for, as for client credentials.
	if c.SecretMissing != "client_secret" {
		t.Fatalf("secret missing %q", c.SecretMissing)
	}
}

// postmanSignIn writes a one-request Postman collection with the oauth2
// settings given as JSON [{key, value}] entries.
func postmanSignIn(t *testing.T, settings string) *Result {
	path := filepath.Join(testenv.TempDir(t), "c.postman_collection.json")
	doc := `{"info":{"name":"C","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
	  "item":[{"name":"r","request":{"url":"https://x","auth":{"type":"oauth2","oauth2":[` + settings + `]}}}]}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return mustRead(t, Postman, path, "")
}

func TestPostmanPublicClientWithPKCE(t *testing.T) {
	r := postmanSignIn(t, `{"key":"grant_type","value":"authorization_code_with_pkce"},{"key":"challengeAlgorithm","value":"S256"},
	  {"key":"authUrl","value":"https://auth.example.com/authorize"},{"key":"accessTokenUrl","value":"https://auth.example.com/token"},
	  {"key":"clientId","value":"spa"},{"key":"scope","value":"openid profile"},{"key":"redirect_uri","value":"http://127.0.0.1:53682/callback"}`)
	c := find(t, r, "C - r")
	usable(t, c)
	p := c.Profile
	if p.Grant != tokens.GrantAuthorizationCode || p.Auth != tokens.AuthNone || p.ClientSecret != "" || p.RedirectPort != 53682 ||
		!slices.Equal(p.Scopes, []string{"openid", "profile"}) || len(c.Notes) != 0 {
		t.Fatalf("public PKCE client %+v, notes %+v", p, c.Notes)
	}
	// Without PKCE a client without a secret is not a public client: the
	// secret is asked for.
	r = postmanSignIn(t, `{"key":"grant_type","value":"authorization_code"},
	  {"key":"authUrl","value":"https://auth.example.com/authorize"},{"key":"accessTokenUrl","value":"https://auth.example.com/token"},
	  {"key":"clientId","value":"web"}`)
	if c := r.Candidates[0]; c.Profile.Auth == tokens.AuthNone || c.SecretMissing == "" {
		t.Fatalf("no PKCE, no secret: auth %q, secret missing %q", c.Profile.Auth, c.SecretMissing)
	}
}

func TestInsomniaAuthorizationCode(t *testing.T) {
	r := mustRead(t, Insomnia, "testdata/insomnia/own-v5.yaml", "")
	c := find(t, r, "Inventory v5 - Login")
	if p := c.Profile; p.Grant != tokens.GrantAuthorizationCode || p.AuthorizationURL != "https://auth.example.com/authorize" ||
		p.TokenURL != "https://auth.example.com/token" || p.ClientID != "web" {
		t.Fatalf("v5 authorization code %+v", p)
	}
	// A real export (Kong/insomnia's fixture): its URLs are placeholders,
	// which validation refuses; the callback is not a URL at all.
	r = mustRead(t, Insomnia, "testdata/insomnia/postman-export-oauth2-v2_1-output.json", "")
	c = find(t, r, "Example collection - Example request with OAuth2")
	if c.Profile.Grant != tokens.GrantAuthorizationCode || c.Profile.AuthorizationURL != "exampleAuthorizeUrl" || c.Profile.ClientSecret != "exampleClientSecret" ||
		!slices.Contains(c.Notes, Note{Code: NoteCallbackNotLoopback, Param: "exampleCallbackUrl"}) {
		t.Fatalf("real export %+v, notes %+v", c.Profile, c.Notes)
	}
	plan, err := NewPlan(r, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Rows[0].Action.Importable() {
		t.Fatalf("placeholder URLs are importable: %+v", plan.Rows[0])
	}
}

func TestInsomniaPublicClientWithPKCE(t *testing.T) {
	path := filepath.Join(testenv.TempDir(t), "i.yaml")
	doc := "type: collection.insomnia.rest/5.0\nname: I\ncollection:\n  - url: https://x\n    name: r\n    method: GET\n    authentication:\n" +
		"      type: oauth2\n      grantType: authorization_code\n      usePkce: true\n      pkceMethod: S256\n" +
		"      authorizationUrl: https://auth.example.com/authorize\n      accessTokenUrl: https://auth.example.com/token\n" +
		"      clientId: cli\n      redirectUrl: http://localhost:8765/callback\n"
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	c := find(t, mustRead(t, Insomnia, path, ""), "I - r")
	usable(t, c)
	if p := c.Profile; p.Auth != tokens.AuthNone || p.RedirectPort != 8765 ||
		!slices.Contains(c.Notes, Note{Code: NoteCallbackRegister, Param: "http://127.0.0.1:8765/callback"}) {
		t.Fatalf("insomnia PKCE %+v, notes %+v", p, c.Notes)
	}
}

// TestHostileSignInConfigurations: an authorization URL over plain http
// (off loopback) or holding terminal controls plans as not importable; a
// callback URL that is not loopback gives no port.
func TestHostileSignInConfigurations(t *testing.T) {
	for what, authURL := range map[string]string{
		"http":       "http://auth.example.com/authorize",
		"controls":   "https://auth.example.com/a\x1b]52;c;ZWNobyBwd25lZA==\x07b",
		"javascript": "javascript:alert(1)",
	} {
		r := postmanSignIn(t, `{"key":"grant_type","value":"authorization_code_with_pkce"},{"key":"authUrl","value":`+jsonText(authURL)+`},
		  {"key":"accessTokenUrl","value":"https://auth.example.com/token"},{"key":"clientId","value":"spa"}`)
		plan, err := NewPlan(r, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Rows) != 1 || plan.Rows[0].Action.Importable() {
			t.Errorf("%s authorization URL: importable %+v", what, plan.Rows)
		}
	}
	for what, cb := range map[string]string{
		"another host":       "http://evil.example.com:8080/callback",
		"https off loopback": "https://127.0.0.1.evil.example.com:8080/callback",
		"no port":            "http://127.0.0.1/callback",
		"port zero":          "http://127.0.0.1:0/callback",
		"controls":           "http://127.0.0.1:80\x1b[2J/callback",
	} {
		r := postmanSignIn(t, `{"key":"grant_type","value":"authorization_code_with_pkce"},{"key":"authUrl","value":"https://auth.example.com/authorize"},
		  {"key":"accessTokenUrl","value":"https://auth.example.com/token"},{"key":"clientId","value":"spa"},{"key":"redirect_uri","value":`+jsonText(cb)+`}`)
		c := r.Candidates[0]
		if c.Profile.RedirectPort != 0 || len(c.Notes) != 1 || c.Notes[0].Code != NoteCallbackNotLoopback || strings.ContainsAny(c.Notes[0].Param, "\x1b\x07") {
			t.Errorf("callback %s: port %d, notes %q", what, c.Profile.RedirectPort, c.Notes)
		}
	}
}

// TestImplicitAndPasswordStaySkipped: the grants RFC 9700 forbids are
// not imported, from any tool.
func TestImplicitAndPasswordStaySkipped(t *testing.T) {
	for _, g := range []string{"implicit", "password", "password_credentials", "refresh_token", ""} {
		r := postmanSignIn(t, `{"key":"grant_type","value":`+jsonText(g)+`},{"key":"authUrl","value":"https://auth.example.com/authorize"},
		  {"key":"accessTokenUrl","value":"https://auth.example.com/token"},{"key":"clientId","value":"spa"}`)
		if g == "" { // Postman's default is authorization_code
			if len(r.Candidates) != 1 {
				t.Errorf("no grant given: %+v", r)
			}
			continue
		}
		if len(r.Candidates) != 0 || len(r.Skipped) != 1 || r.Skipped[0].Code != SkipGrant {
			t.Errorf("grant %q: %+v", g, r)
		}
	}
}
