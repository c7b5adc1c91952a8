package explain

// The words of the window's sign-in dialog (Sign in… in the tray or the
// window, and the form's Test of a sign-in profile) and of what the
// window and the tray say when such a sign-in ends. What the dialog says
// while it waits is SignInWaiting's and DeviceSignInSteps's.

// SignInDialogTitle is the sign-in dialog's title.
func SignInDialogTitle(name string) string { return "Sign in to " + Printable(name) }

// SignInCopy is the dialog's copy button: the device grant's code, or the
// browser sign-in's address (for a browser elsewhere).
func SignInCopy(device bool) string {
	if device {
		return "Copy code"
	}
	return "Copy address"
}

// CannotSignInHere is the tray's message when the app cannot sign in to
// the named profile (no sign-in client wired, or not a sign-in profile),
// with what to do instead.
func CannotSignInHere(name string) (title, body string) {
	return "Cannot sign in to " + name + " here", "Run " + LoginCommand(name) + " in a terminal."
}

// SignInCancelled is the message after the person cancelled the named
// profile's sign-in.
func SignInCancelled(name string) string { return "Sign-in to " + name + " cancelled" }

// SignInFailed is the message after the named profile's sign-in failed,
// and why (err).
func SignInFailed(name string, err error) (title, body string) {
	return "Sign-in to " + name + " failed", WithPeriod(Sentence(Error(err)))
}
