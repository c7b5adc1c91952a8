package explain

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// The words of signing in as a person (authorization code, device grant):
// what the command line prints on stderr while a sign-in runs, and what
// every surface says when a profile needs one.

// LoginCommand is the command that signs in to the named profile, quoted
// for a POSIX shell when the name needs it.
func LoginCommand(name string) string {
	return "tokentray login " + shellWord(Printable(name))
}

// SignInNeeded words a tokens.ErrSignInNeeded error for the command line
// and the notifications: who needs to sign in, why, and the command that
// does it. ok is false for any other error.
func SignInNeeded(err error) (msg string, ok bool) {
	var sn *tokens.SignInNeededError
	if !errors.As(err, &sn) {
		return "", false
	}
	why := "no one is signed in"
	var se *tokens.ServerError
	var ie *tokens.IDTokenError
	switch {
	case sn.Ended() && sn.Cause == nil:
		why = "its session ended"
	case errors.As(sn.Cause, &ie) && ie.Refresh:
		why, _ = idTokenError(sn.Cause) // sign in again to say who you are
	case errors.As(sn.Cause, &se) && se.Description != "":
		why = "the server no longer accepts its sign-in (" + Printable(se.Code) + ": " + Printable(se.Description) + ")"
	case errors.As(sn.Cause, &se):
		why = "the server no longer accepts its sign-in (" + Printable(se.Code) + ")"
	case sn.Cause != nil:
		why = "the server no longer accepts its sign-in (" + Error(sn.Cause) + ")"
	}
	return fmt.Sprintf("sign-in needed for %s: %s. Run: %s", Printable(sn.Profile), why, LoginCommand(sn.Profile)), true
}

// OpenToSignIn introduces the sign-in URL printed on stderr.
func OpenToSignIn(name string) string {
	return "To sign in to " + Printable(name) + ", open this address in a browser (it opens by itself when it can):"
}

// NoBrowserHere says that no browser could be opened for the named
// profile's sign-in (over SSH, on a machine without a display), and what
// to do: open the address some other way, or switch the profile to the
// device grant, which signs in from any device. discovers says the
// profile has an issuer URL, so the device endpoint needs no URL.
func NoBrowserHere(name string, discovers bool) string {
	edit := "tokentray edit " + shellWord(Printable(name)) + " --grant device_code"
	if !discovers {
		edit += " --device-authorization-url URL"
	}
	return "No browser could be opened here (no graphical session?). Open the address above in a browser on this machine, " +
		"or on yours with this machine's port forwarded (ssh -L), and the sign-in goes on. " +
		"Or sign in with the device grant instead, from any device: " + edit + "; then " + LoginCommand(name)
}

// SignedIn confirms a sign-in.
func SignedIn(name string) string { return "Signed in to " + Printable(name) + "." }

// SignedOut confirms a sign-out; revoked says whether the server was told.
func SignedOut(name string, revoked bool) string {
	if revoked {
		return "Signed out of " + Printable(name) + ": the refresh token was revoked and both tokens were removed from the keyring."
	}
	return "Signed out of " + Printable(name) + ": both tokens were removed from the keyring."
}

// shellWord quotes s for a POSIX shell unless it is one plain word.
func shellWord(s string) string {
	plain := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-+@:,", r)) {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// DeviceCodeShown tells the person how to sign in on another device: the
// address, the user code, and the address that already carries it.
func DeviceCodeShown(name, uri, complete, code string) string {
	msg := "To sign in to " + Printable(name) + ", open\n\n  " + Printable(uri) + "\n\non any device and enter the code\n\n  " + Printable(code) + "\n"
	if complete != "" {
		msg += "\n(or open " + Printable(complete) + ", which carries the code)\n"
	}
	return msg + "\nWaiting for the sign-in…"
}

// idTokenError words a *tokens.IDTokenError (a sign-in whose OpenID
// Connect ID token failed a check), before the cause it may wrap is
// worded on its own; ok is false for any other error.
func idTokenError(err error) (msg string, ok bool) {
	var ie *tokens.IDTokenError
	if !errors.As(err, &ie) {
		return "", false
	}
	what := map[tokens.IDTokenCheck]string{
		tokens.IDTokenMissing:   "the server sent no ID token, though the scopes ask for one (openid)",
		tokens.IDTokenMalformed: "its ID token is not a well-formed JWT with a subject",
		tokens.IDTokenIssuer:    "its ID token was not issued by the profile's issuer",
		tokens.IDTokenSignature: "its ID token is not signed by a key of the issuer (its JWKS)",
		tokens.IDTokenAudience:  "its ID token was issued to another client (aud/azp is not the client ID)",
		tokens.IDTokenNonce:     "its ID token does not carry this sign-in's nonce (replayed or injected)",
		tokens.IDTokenExpired:   "its ID token has expired (check this computer's clock)",
		tokens.IDTokenSubject:   "its ID token names another person than the one signed in (sub)",
		tokens.IDTokenAuthTime:  "its ID token tells of another sign-in than this one (auth_time)",
	}[ie.Check]
	if what == "" {
		what = "its ID token failed the " + Printable(string(ie.Check)) + " check"
	}
	if ie.Unchecked {
		what = "its ID token could not be checked: the issuer's metadata or keys did not answer"
	}
	msg, kept := "the sign-in was refused: "+what, "; nothing was kept"
	if ie.Refresh {
		msg, kept = "the refresh was refused: "+what, "; nothing of it was kept, the last token stays until it expires"
	}
	if ie.Err != nil {
		msg += " (" + Error(ie.Err) + ")"
	}
	return msg + kept, true
}

// deviceEnded words the ends of a device sign-in that are no one's
// fault (declined, or the code expired): signing in again is the cure,
// not fixing the profile, as a server's refusal would otherwise be
// worded; ok is false for any other error.
func deviceEnded(err error) (msg string, ok bool) {
	switch {
	case errors.Is(err, tokens.ErrDeviceDenied):
		return "the sign-in was declined on the other device; nothing was kept (sign in again to use this profile)", true
	case errors.Is(err, tokens.ErrDeviceExpired):
		return "the code expired before anyone signed in with it; nothing was kept (sign in again for a new code)", true
	}
	return "", false
}

// signInTimeout words a *tokens.SignInTimeoutError: the wait for the
// browser ended, which is no server's fault (not "did not answer in
// time", which is said of endpoints); ok is false for any other error.
func signInTimeout(err error) (msg string, ok bool) {
	var te *tokens.SignInTimeoutError
	if !errors.As(err, &te) {
		return "", false
	}
	after := Duration(te.After)
	if te.After < time.Second {
		after = te.After.String() // a test's --timeout 300ms
	}
	msg = "nobody completed the sign-in in a browser within " + after + "; nothing was kept"
	if te.Refused > 0 {
		what := fmt.Sprintf("%d answers that did not belong to this sign-in (another attempt's, or forged) were", te.Refused)
		if te.Refused == 1 {
			what = "1 answer that did not belong to this sign-in (another attempt's, or forged) was"
		}
		msg += "; " + what + " refused"
	}
	return msg, true
}
