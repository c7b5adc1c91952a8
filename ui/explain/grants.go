package explain

import "github.com/tokentray/tokentray/tokens"

// The words for a profile's grant: how it gets its tokens (as a service,
// or by a person signing in in a browser or on another device).

// Grant is the grant's short name, for a table column (`tokentray import
// --dry-run`) and the import checklist: "client credentials",
// "authorization code" or "device". The default grant ("") is client
// credentials; an unknown one is shown printable as it is.
func Grant(g tokens.Grant) string {
	switch g {
	case tokens.GrantClientCredentials, "":
		return "client credentials"
	case tokens.GrantAuthorizationCode:
		return "authorization code"
	case tokens.GrantDeviceCode:
		return "device"
	}
	return Printable(string(g))
}

// GrantSignIn is the import checklist's fact for a profile that signs a
// person in: "authorization code sign-in", "device sign-in".
func GrantSignIn(g tokens.Grant) string { return Grant(g) + " sign-in" }

// GrantChoice is the grant as the profile form's choice words it, in
// tokens.Grants order: what it is, then the protocol's name.
func GrantChoice(g tokens.Grant) string {
	switch g {
	case tokens.GrantAuthorizationCode:
		return "Browser sign-in (authorization code + PKCE)"
	case tokens.GrantDeviceCode:
		return "Device sign-in (a code entered on another device)"
	}
	return "Client credentials (as a service)"
}
