package explain

// The words of the profile form's Test of a sign-in profile (the browser
// or device sign-in it runs) and of the Save that keeps what it got.

// FormSignInUnavailable is the Test's outcome where the window cannot
// sign in (no sign-in client wired): how to sign in to the named profile
// once saved.
func FormSignInUnavailable(name string) string {
	return "Test failed: signing in is not available here; save the profile and run " + LoginCommand(name) + " in a terminal."
}

// FormSignInCancelled is the Test's outcome when the person cancelled
// the sign-in.
const FormSignInCancelled = "Test cancelled: the sign-in was stopped."

// FormSignedIn is the Test's outcome after a sign-in that worked; result
// words the access token got (as a client credentials Test's outcome).
// It says that Save keeps the sign-in, and what would stop it.
func FormSignedIn(result string) string {
	return "Signed in. " + result + "\nSave keeps this sign-in, unless you change where or how it signs in " +
		"(server, client ID, grant, scopes)."
}

// SignInNotKept is the warning after a Save whose profile was saved but
// whose Test's sign-in could not be kept (err says why).
func SignInNotKept(err error) string {
	return "Saved, but the sign-in of the Test could not be kept: " + WithPeriod(Error(err)) +
		" Sign in again with Sign in… in the details."
}

// The form's sign-in rows (the grant's choices are GrantChoice's).
const (
	FormAuthorizationURLPlaceholder = "e.g. https://auth.example.com/oauth2/authorize"
	FormDeviceURLPlaceholder        = "e.g. https://auth.example.com/oauth2/device"
	// FormDiscoveredHint is the hint of an endpoint found in the issuer's
	// metadata when left empty.
	FormDiscoveredHint          = "Empty with an issuer: discovered from its metadata."
	FormRedirectPortPlaceholder = "random"
	FormRedirectPortHint        = "Empty: a random port on 127.0.0.1. Set it when the provider needs an exact redirect URI (http://127.0.0.1:PORT/callback)."
	// FormPKCELabel and FormPKCE show PKCE as the fact it is, not a choice.
	FormPKCELabel = "PKCE"
	FormPKCE      = "S256: always on (RFC 7636)"
)
