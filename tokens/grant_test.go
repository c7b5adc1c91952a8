package tokens_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/storetest"
)

// userProfile is a valid public client signing in with the authorization
// code grant.
func userProfile() tokens.Profile {
	return tokens.Profile{Name: "me", TokenURL: "https://auth.example.com/token", ClientID: "cli",
		Auth: tokens.AuthNone, Grant: tokens.GrantAuthorizationCode,
		AuthorizationURL: "https://auth.example.com/authorize", Scopes: []string{"openid", "offline_access"}}
}

func TestAStoredProfileWithoutAGrantIsClientCredentials(t *testing.T) {
	raw := `{"v":1,"profile":{"name":"old","token_url":"https://auth.example.com/token","client_id":"c","client_secret":"s"}}`
	p, err := tokens.DecodeProfile(raw)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Normalized().Grant; got != tokens.GrantClientCredentials {
		t.Errorf("grant = %q, want client_credentials", got)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("an old profile no longer validates: %v", err)
	}
	// Its token stays its own: the fingerprint of a client credentials
	// profile does not change with the grant spelled out.
	spelled := p
	spelled.Grant = tokens.GrantClientCredentials
	if p.RequestFingerprint() != spelled.RequestFingerprint() {
		t.Error("spelling out the default grant changed the request fingerprint")
	}
	// The hash of this profile before grants existed (ebacde4).
	const before = "10JEkeFoAAYL64BTQCFYZOfftqFPtPSwpHUHzpPrIx8"
	if got := p.RequestFingerprint(); got != before {
		t.Errorf("request fingerprint = %s, was %s before grants: every cached token would be dropped", got, before)
	}
	out, err := tokens.EncodeProfile(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"grant", "authorization_url", "device_authorization_url", "redirect_port"} {
		if strings.Contains(out, `"`+f+`"`) {
			t.Errorf("a client credentials profile is stored with %s: %s", f, out)
		}
	}
}

func TestValidateIsSplitByGrant(t *testing.T) {
	cases := []struct {
		name   string
		change func(p *tokens.Profile)
		field  string // "" for valid
	}{
		{"public client with PKCE", func(p *tokens.Profile) {}, ""},
		{"confidential client signing in", func(p *tokens.Profile) { p.Auth, p.ClientSecret = tokens.AuthClientSecretBasic, "s" }, ""},
		{"device grant public client", func(p *tokens.Profile) {
			p.Grant, p.AuthorizationURL, p.DeviceAuthorizationURL = tokens.GrantDeviceCode, "", "https://auth.example.com/device"
		}, ""},
		{"issuer discovers the endpoints", func(p *tokens.Profile) {
			p.TokenURL, p.AuthorizationURL, p.IssuerURL = "", "", "https://auth.example.com"
		}, ""},
		{"redirect port", func(p *tokens.Profile) { p.RedirectPort = 8400 }, ""},
		{"no authorization endpoint", func(p *tokens.Profile) { p.AuthorizationURL = "" }, tokens.FieldAuthorizationURL},
		{"authorization endpoint in clear", func(p *tokens.Profile) { p.AuthorizationURL = "http://auth.example.com/a" }, tokens.FieldAuthorizationURL},
		{"no device endpoint", func(p *tokens.Profile) { p.Grant, p.AuthorizationURL = tokens.GrantDeviceCode, "" }, tokens.FieldDeviceAuthorizationURL},
		{"device endpoint on the code grant", func(p *tokens.Profile) { p.DeviceAuthorizationURL = "https://auth.example.com/device" }, tokens.FieldDeviceAuthorizationURL},
		{"authorization endpoint on the device grant", func(p *tokens.Profile) {
			p.Grant, p.DeviceAuthorizationURL = tokens.GrantDeviceCode, "https://auth.example.com/device"
		}, tokens.FieldAuthorizationURL},
		{"redirect port out of range", func(p *tokens.Profile) { p.RedirectPort = 70000 }, tokens.FieldRedirectPort},
		{"redirect port on the device grant", func(p *tokens.Profile) {
			p.Grant, p.AuthorizationURL, p.DeviceAuthorizationURL, p.RedirectPort = tokens.GrantDeviceCode, "", "https://auth.example.com/device", 8400
		}, tokens.FieldRedirectPort},
		{"unknown grant", func(p *tokens.Profile) { p.Grant = "password" }, tokens.FieldGrant},
		// A public client has nothing to prove who it is: only PKCE or the
		// device code binds a token to it.
		{"public client credentials", func(p *tokens.Profile) { p.Grant, p.AuthorizationURL = tokens.GrantClientCredentials, "" }, tokens.FieldAuth},
		{"sign-in endpoint on client credentials", func(p *tokens.Profile) {
			p.Grant, p.Auth, p.ClientSecret = tokens.GrantClientCredentials, tokens.AuthClientSecretBasic, "s"
		}, tokens.FieldAuthorizationURL},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := userProfile()
			c.change(&p)
			err := p.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var ve *tokens.ValidationError
			if !errors.As(err, &ve) || ve.Field(c.field) == nil {
				t.Fatalf("Validate = %v, want a problem with %s", err, c.field)
			}
		})
	}
}

func TestSessionFingerprintIgnoresTheClientsCredentials(t *testing.T) {
	base := storetest.FullProfile("p")
	base.Grant = tokens.GrantAuthorizationCode
	fp := base.SessionFingerprint()
	// Rotating a secret or a key must not force a new sign-in.
	for name, change := range map[string]func(p *tokens.Profile){
		"ClientSecret": func(p *tokens.Profile) { p.ClientSecret += "2" },
		"Auth":         func(p *tokens.Profile) { p.Auth = tokens.AuthPrivateKeyJWT },
		"PrivateKey":   func(p *tokens.Profile) { p.PrivateKeyPEM += "2" },
		"ClientCert":   func(p *tokens.Profile) { p.ClientCertPEM += "2" },
		"Headers":      func(p *tokens.Profile) { p.Headers = nil },
		"Name":         func(p *tokens.Profile) { p.Name = "q" },
		"RedirectPort": func(p *tokens.Profile) { p.RedirectPort = 9 },
	} {
		p := base
		change(&p)
		if p.SessionFingerprint() != fp {
			t.Errorf("changing %s asks for a new sign-in", name)
		}
	}
	for name, change := range map[string]func(p *tokens.Profile){
		"ClientID": func(p *tokens.Profile) { p.ClientID += "2" },
		"TokenURL": func(p *tokens.Profile) { p.TokenURL += "2" },
		"Scopes":   func(p *tokens.Profile) { p.Scopes = []string{"admin"} },
		"Grant":    func(p *tokens.Profile) { p.Grant = tokens.GrantDeviceCode },
	} {
		p := base
		change(&p)
		if p.SessionFingerprint() == fp {
			t.Errorf("changing %s keeps the sign-in: a refresh token would be used for another client or request", name)
		}
	}
	// Every session field is a request field: a sign-in change is a
	// request change.
	req := reflect.TypeFor[tokens.RequestFields]()
	for f := range reflect.TypeFor[tokens.SessionFields]().Fields() {
		if _, ok := req.FieldByName(f.Name); !ok {
			t.Errorf("sessionFields.%s is not in requestFields", f.Name)
		}
	}
}

func TestTokenRequestFitsItsGrant(t *testing.T) {
	user := userProfile()
	cc := storetest.FullProfile("c")
	cc.Grant = tokens.GrantClientCredentials
	for _, c := range []struct {
		name string
		r    tokens.TokenRequest
		ok   bool
		want string
	}{
		{"client credentials", tokens.TokenRequest{Profile: cc}, true, tokens.GrantTypeClientCredentials},
		{"refresh", tokens.TokenRequest{Profile: user, RefreshToken: "r"}, true, tokens.GrantTypeRefreshToken},
		{"code", tokens.TokenRequest{Profile: user, Code: "c", CodeVerifier: "v", RedirectURI: "http://127.0.0.1:1/callback"}, true, tokens.GrantTypeAuthorizationCode},
		{"code without verifier", tokens.TokenRequest{Profile: user, Code: "c", RedirectURI: "x"}, false, tokens.GrantTypeAuthorizationCode},
		{"user profile without a grant input", tokens.TokenRequest{Profile: user}, false, tokens.GrantTypeClientCredentials},
		{"refresh on client credentials", tokens.TokenRequest{Profile: cc, RefreshToken: "r"}, false, tokens.GrantTypeRefreshToken},
		{"device code on the code grant", tokens.TokenRequest{Profile: user, DeviceCode: "d"}, false, tokens.GrantTypeDeviceCode},
	} {
		err := c.r.Check()
		if (err == nil) != c.ok {
			t.Errorf("%s: Check = %v", c.name, err)
		}
		if c.r.GrantType() != c.want {
			t.Errorf("%s: grant_type %s, want %s", c.name, c.r.GrantType(), c.want)
		}
	}
	err := tokens.TokenRequest{Profile: user}.Check()
	if !errors.Is(err, tokens.ErrSignInNeeded) {
		t.Errorf("a user profile with nothing to redeem: %v, want ErrSignInNeeded", err)
	}
}
