package importers

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// The sources' sign-in configurations: the authorization code grant, with
// or without PKCE, becomes a profile of tokens.GrantAuthorizationCode (which
// always sends a PKCE challenge). The password and implicit grants stay
// skipped: RFC 9700 §2.4 and §2.1.2 forbid them. None of Postman, Bruno
// and Insomnia has the device grant.

// importedGrant maps a source's grant type to the profile's grant, and
// says whether the spelling itself asks for PKCE (Postman's
// authorization_code_with_pkce). ok is false for a grant not imported.
func importedGrant(grant string) (g tokens.Grant, pkce, ok bool) {
	switch strings.ToLower(strings.NewReplacer(" ", "_", "-", "_").Replace(strings.TrimSpace(grant))) {
	case "client_credentials":
		return tokens.GrantClientCredentials, false, true
	case "authorization_code":
		return tokens.GrantAuthorizationCode, false, true
	case "authorization_code_with_pkce":
		return tokens.GrantAuthorizationCode, true, true
	}
	return "", false, false
}

// publicClient reports whether a configuration without a client secret is
// a public client (tokens.AuthNone): only an authorization code grant with
// PKCE, which stands in for the secret (RFC 7636). Without PKCE an empty
// secret is one still to be given.
func (c oauthConfig) publicClient(g tokens.Grant) bool {
	return g == tokens.GrantAuthorizationCode && c.pkce
}

// redirectPort is the loopback port of the source's callback URL, which
// the provider has registered: the sign-in listens on it. A callback URL
// that is not http on a loopback host with a port gives no port (any free
// one), and a NoteCallbackNotLoopback; one whose redirect URI differs from
// Tokentray's (http://127.0.0.1:PORT/callback) a NoteCallbackRegister
// naming the one to register. Unresolved variables count as no URL.
func (c oauthConfig) redirectPort(vars resolver, notes []Note) (int, []Note) {
	if strings.TrimSpace(c.callbackURL) == "" {
		return 0, notes
	}
	e := vars.resolve(c.callbackURL, tokens.MaxURLLen)
	raw := strings.TrimSpace(e.value)
	if e.problem != nil || len(e.missing) > 0 || raw == "" {
		return 0, notes
	}
	u, err := url.Parse(raw)
	port := 0
	if err == nil && u.Scheme == "http" && tokens.IsLoopbackHost(u.Hostname()) {
		port, _ = strconv.Atoi(u.Port())
	}
	if port < 1 || port > 65535 {
		return 0, append(notes, Note{Code: NoteCallbackNotLoopback, Param: tokens.Printable(raw, 200)})
	}
	ours := "http://127.0.0.1:" + strconv.Itoa(port) + "/callback"
	if raw != ours {
		notes = append(notes, Note{Code: NoteCallbackRegister, Param: ours})
	}
	return port, notes
}
