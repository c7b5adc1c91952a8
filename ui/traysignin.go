package ui

import (
	"fyne.io/fyne/v2"

	"github.com/tokentray/tokentray/ui/explain"
)

// A profile's tray entry and its actions. For a profile waiting for a
// sign-in (no one signed in, or the session ended) the entry's click, which
// copies for the others, starts Sign in…; its actions lead with Sign in…,
// and what cannot work without a sign-in is off: Refresh now, Copy as curl
// (the refresh request has no refresh token), and Copy unless an ended
// session's access token still works. A signed-in profile's actions end
// with "Sign in again…" (to switch account).

// waitsForSignIn reports whether e's click and actions are for signing in.
func (a trayActions) waitsForSignIn(e trayEntry) bool {
	return e.SignIn && e.WaitsForSignIn && a.signIn != nil
}

// trayEntryItem is e's line in the menu: a click copies its token, or
// signs in to it.
func trayEntryItem(e trayEntry, a trayActions) *fyne.MenuItem {
	name := e.Name
	if a.waitsForSignIn(e) {
		return fyne.NewMenuItem(e.Label, func() { a.signIn(name) })
	}
	return fyne.NewMenuItem(e.Label, func() { a.copy(name, copyRaw) })
}

// trayProfileActions is e's submenu under "Profile actions".
func trayProfileActions(e trayEntry, a trayActions) *fyne.MenuItem {
	name := e.Name
	waits := a.waitsForSignIn(e)
	off := func(it *fyne.MenuItem, disabled bool) *fyne.MenuItem { it.Disabled = disabled; return it }
	noCopy := waits && !e.CanCopy
	var items []*fyne.MenuItem
	if waits {
		items = append(items, fyne.NewMenuItem("Sign in…", func() { a.signIn(name) }), fyne.NewMenuItemSeparator())
	}
	items = append(items,
		off(fyne.NewMenuItem("Copy token", func() { a.copy(name, copyRaw) }), noCopy),
		off(fyne.NewMenuItem("Copy as “Bearer …”", func() { a.copy(name, copyBearer) }), noCopy),
		off(fyne.NewMenuItem("Copy as “Authorization: Bearer …” header", func() { a.copy(name, copyHeader) }), noCopy),
		off(fyne.NewMenuItem("Copy as curl", func() { a.copyCurl(name) }), waits),
		fyne.NewMenuItemSeparator(),
		off(fyne.NewMenuItem("Refresh now", func() { a.refresh(name) }), waits),
		fyne.NewMenuItem("Details…", func() { a.details(name) }),
	)
	if e.SignIn && !waits && a.signIn != nil {
		items = append(items, fyne.NewMenuItem(explain.SignInAgain, func() { a.signIn(name) }))
	}
	sub := fyne.NewMenuItem(name, nil)
	sub.ChildMenu = fyne.NewMenu(name, items...)
	return sub
}
