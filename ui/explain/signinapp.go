package explain

// The words of the window's sign-in dialog and sign-out.

// SignInWaiting is the sign-in dialog's first line, before the device
// grant's codes arrive (device) or while the browser sign-in runs.
func SignInWaiting(name string, device bool) string {
	if device {
		return "Asking the server for a code to sign in to " + Printable(name) + "…"
	}
	return "Waiting for the browser… Finish signing in to " + Printable(name) +
		" there. If no browser opened, copy this address into one:"
}

// DeviceSignInSteps says what to do with the device grant's code; scan
// says the QR code already carries it.
func DeviceSignInSteps(scan bool) string {
	if scan {
		return "Scan the QR code with a phone, or open the address below on any device and enter this code. Waiting for you to sign in there…"
	}
	return "Open the address below on any device (or scan the QR code) and enter this code. Waiting for you to sign in there…"
}

// SignInNeededTitle is the notification of a profile whose sign-in ended.
func SignInNeededTitle(name string) string { return Printable(name) + ": sign-in needed" }

// SignInNeededBody says how to sign in again from the app.
const SignInNeededBody = "Its session has ended. Choose Sign in… in the tray menu (Profile actions) or in the window."

// SessionEnds says when a sign-in's refresh token stops working.
func SessionEnds(left string) string { return "session ends in " + left }

// NotSignedIn is the details' token section of a profile no one is
// signed in to (never, or signed out): how to get a token, without alarm.
// Short: the section breaks lines anywhere, as a token needs.
const NotSignedIn = "No one is signed in: Sign in… gets a token."

// SessionEnded says a sign-in's refresh token stopped working (by the
// time the server gave) while its access token still works.
const SessionEnded = "session ended"
