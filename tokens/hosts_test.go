package tokens_test

import (
	"errors"
	"testing"

	"github.com/tokentray/tokentray/tokens"
)

func TestPlainHTTPOnlyOnLiteralLoopback(t *testing.T) {
	for _, u := range []string{
		"http://127.0.0.1:8080/token", "http://127.9.9.9/token", "http://localhost/token", "http://LOCALHOST:9/token",
		"http://[::1]:9/token", "http://[::ffff:127.0.0.1]/token", "https://auth.localhost/token", "https://auth.example.com/token",
	} {
		if err := tokens.CheckEndpointURL(u); err != nil {
			t.Errorf("CheckEndpointURL(%s) = %v, want accepted", u, err)
		}
	}
	for _, u := range []string{
		// Names: resolved by DNS and proxied like any remote host.
		"http://auth.localhost:9/token", "http://localhost./token", "http://127.0.0.1.nip.io/token",
		"http://0x7f.0.0.1/token", "http://2130706433/token",
		"http://[fe80::1%25eth0]/token", "http://[::1%25lo]/token", "http://192.0.2.1/token", "http://[fe80::1]/token",
	} {
		if err := tokens.CheckEndpointURL(u); !errors.Is(err, tokens.ErrInsecureURL) {
			t.Errorf("CheckEndpointURL(%s) = %v, want ErrInsecureURL", u, err)
		}
	}
}

func TestSplitHost(t *testing.T) {
	for in, want := range map[string][2]string{
		"git.example.com": {"git.example.com", ""}, "git.example.com:8443": {"git.example.com", "8443"},
		"127.0.0.1": {"127.0.0.1", ""}, "[::1]:3000": {"::1", "3000"}, "[2001:db8::1]": {"2001:db8::1", ""},
		"bücher.example": {"bücher.example", ""}, "under_score.example:1": {"under_score.example", "1"},
	} {
		h, p, err := tokens.SplitHost(in)
		if err != nil || h != want[0] || p != want[1] {
			t.Errorf("SplitHost(%q) = %q, %q, %v; want %q", in, h, p, err, want)
		}
	}
	for _, in := range []string{
		"", "[fe80::1%eth0]", "[fe80::1%25eth0]", "[fe80::1%eth0]:8080", "a@b.example", "evil.example:abc",
		"evil example", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:080", "127.0.0.1:65536", "127.0.0.1/x", "h?x", "h#f",
		"[127.0.0.1]", "[::1", "::1", "a:1:2", "\x1b[2Jx", "x\ty", "a\\b", "a;b", "a!b", "a*b", ":80",
	} {
		if h, p, err := tokens.SplitHost(in); !errors.Is(err, tokens.ErrNotAHost) {
			t.Errorf("SplitHost(%q) = %q, %q, %v; want ErrNotAHost", in, h, p, err)
		}
	}
}

func TestCheckOrigin(t *testing.T) {
	for _, o := range []string{"https://login.example.com", "https://login.example.com:8443/", "http://127.0.0.1:9"} {
		if err := tokens.CheckOrigin(o); err != nil {
			t.Errorf("CheckOrigin(%s) = %v", o, err)
		}
	}
	for _, o := range []string{"https://login.example.com/path", "https://a@login.example.com", "http://login.example.com", "login.example.com", "https://x.example?q", "https://x.example#f", "ftp://x.example"} {
		if err := tokens.CheckOrigin(o); err == nil {
			t.Errorf("CheckOrigin(%s) accepted", o)
		}
	}
}

func TestValidateEndpointOriginsAndGitHosts(t *testing.T) {
	base := tokens.Profile{Name: "p", IssuerURL: "https://issuer.example.com", ClientID: "c", ClientSecret: "s"}
	ok := base
	ok.EndpointOrigins = []string{"https://login.example.com"}
	ok.GitHosts = []string{"git.example.com", "[::1]:8080"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string]func(p *tokens.Profile){
		tokens.FieldEndpointOrigins: func(p *tokens.Profile) { p.EndpointOrigins = []string{"https://x.example/path"} },
		tokens.FieldGitHosts:        func(p *tokens.Profile) { p.GitHosts = []string{"a@b.example"} },
	} {
		p := base
		change(&p)
		var ve *tokens.ValidationError
		if err := p.Validate(); !errors.As(err, &ve) || ve.Field(name) == nil {
			t.Errorf("%s: %v, want it refused", name, err)
		}
	}
	p := base
	p.IssuerURL, p.TokenURL, p.EndpointOrigins = "", "https://auth.example.com/token", []string{"https://login.example.com"}
	var ve *tokens.ValidationError
	if err := p.Validate(); !errors.As(err, &ve) || ve.Field(tokens.FieldEndpointOrigins) == nil {
		t.Errorf("endpoint origins with a token URL: %v, want refused", err)
	}
}
