package tokens

import (
	"strings"
	"testing"
)

func TestDisplayURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://auth.example.com/oauth2/token":                           "https://auth.example.com/oauth2/token",
		"https://auth.example.com/token?tenant=acme&x=&flag":              "https://auth.example.com/token?tenant=…&x=&…",
		"https://auth.example.com/token?client_secret=s3cr3t":             "https://auth.example.com/token?client_secret=…",
		"https://user:pa55word@auth.example.com/token":                    "https://[redacted]@auth.example.com/token",
		"https://a@b:pw@auth.example.com/t?x=1#frag":                      "https://[redacted]@auth.example.com/t?x=…#[redacted]",
		"http://127.0.0.1:8080/token":                                     "http://127.0.0.1:8080/token",
		"https://auth.example.com/t?\x1b[2J=%zz&api_key=%zzbroken-secret": "https://auth.example.com/t?\x1b[2J=…&api_key=…",
		"auth.example.com/t?k=v":                                          "auth.example.com/t?k=…",
	} {
		if got := DisplayURL(raw); got != want {
			t.Errorf("DisplayURL(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestTokenURLSecretsRefused(t *testing.T) {
	base := Profile{Name: "p", ClientID: "c", ClientSecret: strings.Repeat("s", 32)}
	for _, c := range []struct {
		url, want string
	}{
		{"https://auth.example.com/token?client_secret=v", `"client_secret"`},
		{"https://auth.example.com/token?Client_Id=v", `"Client_Id"`},
		{"https://auth.example.com/token?x=1&subscription-key=v", `"subscription-key"`},
		{"https://auth.example.com/token?access%5Ftoken=v", `"access_token"`},
		{"https://auth.example.com/token?PASSWORD", `"PASSWORD"`},
		{"https://u:p@auth.example.com/token", "credentials"},
		{"https://auth.example.com/%zz?client_secret=v", "not a valid URL"},
	} {
		p := base
		p.TokenURL = c.url
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error naming %s", c.url, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "=v") {
			t.Errorf("%s: the error repeats the value: %v", c.url, err)
		}
		p.TokenURL, p.IssuerURL = "", c.url
		if err := p.Validate(); err == nil {
			t.Errorf("issuer %s accepted", c.url)
		}
	}
	p := base
	p.TokenURL = "https://auth.example.com/token?tenant=acme&api-version=2"
	if err := p.Validate(); err != nil {
		t.Errorf("an ordinary query refused: %v", err)
	}
	p.Headers = map[string]string{"Client_Secret": "x"}
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "Client_Secret") {
		t.Errorf("a reserved header accepted: %v", err)
	}
	p.Headers, p.Params = nil, map[string]string{"CLIENT_ASSERTION": "x"}
	if err := p.Validate(); err == nil {
		t.Error("a reserved parameter accepted, in capitals")
	}
	p.Params = map[string]string{"api_key": "x"}
	if err := p.Validate(); err != nil {
		t.Errorf("a secret-looking body parameter refused: %v", err)
	}
}
