package cli

import (
	"flag"

	"github.com/tokentray/tokentray/tokens"
)

// signInFlags are the profile flags of the grants a person signs in with.
type signInFlags struct {
	grant, authorizationURL, deviceURL string
	redirectPort                       int
}

func (f *signInFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&f.grant, "grant", "", "how tokens are had: client_credentials (default), authorization_code (sign in\nin a browser, PKCE) or device_code (sign in with a code on another device); see 'tokentray login'")
	fs.StringVar(&f.authorizationURL, "authorization-url", "", "authorization endpoint `URL` for authorization_code (or discovered with --issuer)")
	fs.StringVar(&f.deviceURL, "device-authorization-url", "", "device authorization endpoint `URL` for device_code (or discovered with --issuer)")
	fs.IntVar(&f.redirectPort, "redirect-port", 0, "authorization_code: listen for the browser on this `PORT` of 127.0.0.1\n(redirect URI http://127.0.0.1:PORT/callback; default any free port; 0 clears it)")
}

// apply sets p's sign-in fields for the flags given (set says which).
// Changing the grant clears the endpoints of the grant left.
func (f *signInFlags) apply(set func(string) bool, p *tokens.Profile) error {
	if set("grant") {
		p.Grant = tokens.Grant(f.grant)
		if p.Grant != tokens.GrantAuthorizationCode && !set("authorization-url") {
			p.AuthorizationURL, p.RedirectPort = "", 0
		}
		if p.Grant != tokens.GrantDeviceCode && !set("device-authorization-url") {
			p.DeviceAuthorizationURL = ""
		}
	}
	if set("authorization-url") {
		p.AuthorizationURL = f.authorizationURL
	}
	if set("device-authorization-url") {
		p.DeviceAuthorizationURL = f.deviceURL
	}
	if set("redirect-port") {
		p.RedirectPort = f.redirectPort
	}
	return nil
}
