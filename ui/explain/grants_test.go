package explain

import (
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/importers"
)

func TestGrantWords(t *testing.T) {
	for _, c := range []struct {
		g             tokens.Grant
		short, choice string
	}{
		{"", "client credentials", "Client credentials (as a service)"},
		{tokens.GrantClientCredentials, "client credentials", "Client credentials (as a service)"},
		{tokens.GrantAuthorizationCode, "authorization code", "Browser sign-in (authorization code + PKCE)"},
		{tokens.GrantDeviceCode, "device", "Device sign-in (a code entered on another device)"},
		{"urn:x\x1b[2K", "urn:x", "Client credentials (as a service)"},
	} {
		if got := Grant(c.g); got != c.short {
			t.Errorf("Grant(%q) = %q, want %q", c.g, got, c.short)
		}
		if got := GrantChoice(c.g); got != c.choice {
			t.Errorf("GrantChoice(%q) = %q, want %q", c.g, got, c.choice)
		}
	}
}

// A row's facts name the grant of a profile that signs in, first, and
// never a secret; a client credentials row's do not name its grant.
func TestImportRowFacts(t *testing.T) {
	user := importers.Row{Action: importers.New, Candidate: importers.Candidate{Profile: tokens.Profile{Name: "me",
		Grant: tokens.GrantDeviceCode, IssuerURL: "https://id.example.com", ClientID: "cli", Scopes: []string{"openid"}}}}
	if got, want := ImportRowFacts(user), "device sign-in · https://id.example.com (issuer) · client cli · scopes openid"; got != want {
		t.Errorf("sign-in row: %q, want %q", got, want)
	}
	svc := importers.Row{Action: importers.New, Candidate: importers.Candidate{SecretMissing: "client_secret",
		Profile: tokens.Profile{Name: "svc", TokenURL: "https://id.example.com/token?key=hunter2", ClientID: "c", ClientSecret: "s3cret-value"}}}
	if got := ImportRowFacts(svc); got != "https://id.example.com/token?key=… · client c · secret to be given (client_secret)" {
		t.Errorf("client credentials row: %q", got)
	}
}
