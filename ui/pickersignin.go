package ui

import "github.com/tokentray/tokentray/ui/explain"

// The picker and a profile waiting for a sign-in (no one signed in, or
// the session ended): Enter signs in to it, as a click in the tray does,
// and the hint says so while it is chosen.

// signsIn reports whether choosing name starts its sign-in rather than
// copying its token.
func (p *picker) signsIn(name string) bool {
	if p.ctl.snap == nil || p.ctl.opts.SignIn == nil {
		return false
	}
	ps, ok := p.ctl.snap.Find(name)
	return ok && waitsForSignIn(ps)
}

// updateHint words the keys for the chosen profile.
func (p *picker) updateHint() {
	hint := pickerHint
	if p.chosen >= 0 && p.chosen < len(p.names) && p.signsIn(p.names[p.chosen]) {
		hint = explain.PickerSignInHint
	}
	setText(p.hint, hint)
}
