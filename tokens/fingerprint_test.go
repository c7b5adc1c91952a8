package tokens_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/storetest"
)

func TestRequestFingerprintCoversTheRequestOnly(t *testing.T) {
	base := storetest.FullProfile("p")
	same := map[string]func(p *tokens.Profile){
		"Name":            func(p *tokens.Profile) { p.Name = "renamed" },
		"RefreshLead":     func(p *tokens.Profile) { p.RefreshLead = time.Hour },
		"AssumedLifetime": func(p *tokens.Profile) { p.AssumedLifetime = time.Hour },
		"ManualRefresh":   func(p *tokens.Profile) { p.ManualRefresh = false },
		"TrimmedURL":      func(p *tokens.Profile) { p.TokenURL = " " + p.TokenURL + " " },
		"MapOrder":        func(p *tokens.Profile) { p.Params = map[string]string{"x": "y z", "tenant": "t1"} },
		// Who may be handed the token, not what the request is.
		"GitHosts": func(p *tokens.Profile) { p.GitHosts = []string{"other.example.com"} },
		// Where a token is introspected or revoked does not change what is issued.
		"IntrospectionURL": func(p *tokens.Profile) { p.IntrospectionURL += "2" },
		"RevocationURL":    func(p *tokens.Profile) { p.RevocationURL += "2" },
		// Where the sign-in listens is not part of any token request.
		"RedirectPort": func(p *tokens.Profile) { p.RedirectPort = 8401 },
	}
	differ := map[string]func(p *tokens.Profile){
		"TokenURL":      func(p *tokens.Profile) { p.TokenURL += "2" },
		"IssuerURL":     func(p *tokens.Profile) { p.IssuerURL += "2" },
		"ClientID":      func(p *tokens.Profile) { p.ClientID += "2" },
		"Auth":          func(p *tokens.Profile) { p.Auth = tokens.AuthClientSecretPost },
		"ClientSecret":  func(p *tokens.Profile) { p.ClientSecret += "2" },
		"PrivateKeyPEM": func(p *tokens.Profile) { p.PrivateKeyPEM += "2" },
		"KeyID":         func(p *tokens.Profile) { p.KeyID += "2" },
		"Alg":           func(p *tokens.Profile) { p.Alg = tokens.AlgES256 },
		"ClientCertPEM": func(p *tokens.Profile) { p.ClientCertPEM += "2" },
		"ClientKeyPEM":  func(p *tokens.Profile) { p.ClientKeyPEM += "2" },
		"Scopes":        func(p *tokens.Profile) { p.Scopes = []string{"write:all", "read"} },
		"Audience":      func(p *tokens.Profile) { p.Audience += "2" },
		"Resource":      func(p *tokens.Profile) { p.Resource += "2" },
		"Params":        func(p *tokens.Profile) { p.Params = map[string]string{"tenant": "t2", "x": "y z"} },
		"Headers":       func(p *tokens.Profile) { p.Headers = map[string]string{"X-Api-Key": "k2", "X-Trace": "1"} },
		"Body":          func(p *tokens.Profile) { p.Body = tokens.BodyForm },
		"CABundlePEM":   func(p *tokens.Profile) { p.CABundlePEM += "2" },
		// Which server may answer: dropping a trusted origin drops its token.
		"EndpointOrigins": func(p *tokens.Profile) { p.EndpointOrigins = []string{"https://other.example.com"} },
		// Another grant, or another place to sign in, issues other tokens.
		"Grant":                  func(p *tokens.Profile) { p.Grant = tokens.GrantDeviceCode },
		"AuthorizationURL":       func(p *tokens.Profile) { p.AuthorizationURL += "2" },
		"DeviceAuthorizationURL": func(p *tokens.Profile) { p.DeviceAuthorizationURL += "2" },
	}
	// Every tokens.Profile field is named in one of the two lists, so a new field
	// must be placed on purpose, and the lists agree with requestFields, the
	// one definition both RequestFingerprint and the Manager's sameRequest
	// use.
	request := map[string]bool{}
	for f := range reflect.TypeFor[tokens.RequestFields]().Fields() {
		request[f.Name] = true
		if _, ok := reflect.TypeFor[tokens.Profile]().FieldByName(f.Name); !ok {
			t.Errorf("requestFields.%s is no tokens.Profile field", f.Name)
		}
	}
	for f := range reflect.TypeFor[tokens.Profile]().Fields() {
		_, isSame := same[f.Name]
		isDiffer := differ[f.Name] != nil
		switch {
		case !isSame && !isDiffer:
			t.Errorf("tokens.Profile.%s: say whether it shapes the token request (here, and in requestFields if it does)", f.Name)
		case isDiffer != request[f.Name]:
			t.Errorf("tokens.Profile.%s: this test says it shapes the token request: %v; requestFields says %v", f.Name, isDiffer, request[f.Name])
		}
	}
	fp := base.RequestFingerprint()
	for name, change := range same {
		p := storetest.FullProfile("p")
		change(&p)
		if p.RequestFingerprint() != fp {
			t.Errorf("changing %s changed the fingerprint", name)
		}
		if !tokens.SameRequest(base, p) {
			t.Errorf("changing %s makes the Manager drop the token", name)
		}
	}
	for name, change := range differ {
		p := storetest.FullProfile("p")
		change(&p)
		if p.RequestFingerprint() == fp {
			t.Errorf("changing %s kept the fingerprint: a token for other credentials would be served", name)
		}
		if tokens.SameRequest(base, p) {
			t.Errorf("changing %s keeps the Manager's token: a token for other credentials would be served", name)
		}
	}
}
