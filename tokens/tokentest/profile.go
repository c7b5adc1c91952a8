package tokentest

import "github.com/tokentray/tokentray/tokens"

// Profile is a valid client-secret profile named name: client "id-NAME",
// secret "secret-NAME", at a token URL no test dials.
func Profile(name string) tokens.Profile {
	return tokens.Profile{Name: name, TokenURL: "https://auth.example.com/oauth/token", ClientID: "id-" + name, ClientSecret: "secret-" + name}
}
