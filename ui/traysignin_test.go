package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/tokentray/tokentray/tokens"
)

// A profile waiting for a sign-in is signed in to from the tray: a click on
// its entry (which copies for the others) starts Sign in…, its submenu
// leads with Sign in…, and Copy and Refresh now are off, save Copy while
// an ended session's access token still works. A signed-in profile's
// submenu ends with a quiet "Sign in again…". (Failed first: the click
// copied, Sign in… came last, Copy and Refresh now were on.)
func TestTrayStartsTheSignInOfAProfileWaitingForOne(t *testing.T) {
	ended := tokens.ProfileState{Profile: deviceProfile("ended"), Token: token("still-valid", t0.Add(-10*time.Minute), time.Hour), Stopped: true,
		LastError: &tokens.SignInNeededError{Profile: "ended", Reason: tokens.ReasonSessionEnded}}
	snap := &tokens.Snapshot{Profiles: []tokens.ProfileState{
		ended,
		{Profile: deviceProfile("phone"), LastError: &tokens.SignInNeededError{Profile: "phone"}, Stopped: true},
		{Profile: deviceProfile("signed"), Token: token("B", t0, time.Hour)},
		freshState("svc", token("A", t0.Add(-18*time.Minute), time.Hour)),
	}}
	var calls []string
	acts := trayActions{
		copy:    func(n string, f copyFormat) { calls = append(calls, "copy "+n) },
		refresh: func(n string) { calls = append(calls, "refresh "+n) },
		details: func(n string) { calls = append(calls, "details "+n) },
		curl:    func(n string) { calls = append(calls, "curl "+n) },
		signIn:  func(n string) { calls = append(calls, "sign in "+n) },
	}
	menu := buildTrayMenu(buildTrayModel(snap, t0), nil, acts)
	subs := map[string]*fyne.Menu{}
	for _, it := range menu.Items {
		for _, name := range []string{"ended", "phone", "signed", "svc"} {
			if strings.Contains(it.Label, " "+name+" — ") {
				it.Action()
			}
		}
		if it.Label == trayActionsLabel {
			for _, sub := range it.ChildMenu.Items {
				subs[sub.Label] = sub.ChildMenu
			}
		}
	}
	if got := strings.Join(calls, ", "); got != "sign in ended, sign in phone, copy signed, copy svc" {
		t.Errorf("clicks on the entries: %s", got)
	}
	shape := func(m *fyne.Menu) string {
		var b []string
		for _, it := range m.Items {
			switch {
			case it.IsSeparator:
				b = append(b, "---")
			case it.Disabled:
				b = append(b, "("+it.Label+")")
			default:
				b = append(b, it.Label)
			}
		}
		return strings.Join(b, " | ")
	}
	for name, want := range map[string]string{
		"phone":  "Sign in… | --- | (Copy token) | (Copy as “Bearer …”) | (Copy as “Authorization: Bearer …” header) | (Copy as curl) | --- | (Refresh now) | Details…",
		"ended":  "Sign in… | --- | Copy token | Copy as “Bearer …” | Copy as “Authorization: Bearer …” header | (Copy as curl) | --- | (Refresh now) | Details…",
		"signed": "Copy token | Copy as “Bearer …” | Copy as “Authorization: Bearer …” header | Copy as curl | --- | Refresh now | Details… | Sign in again…",
		"svc":    "Copy token | Copy as “Bearer …” | Copy as “Authorization: Bearer …” header | Copy as curl | --- | Refresh now | Details…",
	} {
		if m := subs[name]; m == nil || shape(m) != want {
			t.Errorf("%s's actions:\n got %v\nwant %s", name, func() string {
				if m == nil {
					return "none"
				}
				return shape(m)
			}(), want)
		}
	}
	calls = nil
	subs["phone"].Items[0].Action()
	if strings.Join(calls, ",") != "sign in phone" {
		t.Errorf("Sign in… did %q", calls)
	}
}

// The tray menu is rebuilt when an ended session's access token stops
// working (Copy turns off), though the line only counts down.
func TestTrayModelChangesWhenCopyStopsWorking(t *testing.T) {
	ended := tokens.ProfileState{Profile: deviceProfile("ended"), Token: token("still-valid", t0.Add(-10*time.Minute), time.Hour), Stopped: true,
		LastError: &tokens.SignInNeededError{Profile: "ended", Reason: tokens.ReasonSessionEnded}}
	broken := tokens.ProfileState{Profile: testProfile("broken"), LastError: &tokens.ServerError{Status: 401, Code: "invalid_client"}, FailureStreak: 1, Stopped: true}
	snap := &tokens.Snapshot{Profiles: []tokens.ProfileState{ended, broken}} // the icon says an error throughout
	before, after := buildTrayModel(snap, t0), buildTrayModel(snap, t0.Add(time.Hour))
	if before.onlyTimeDiffers(after) {
		t.Errorf("only the time differs between %+v and %+v", before.Entries, after.Entries)
	}
}

// The line above the profiles says what a click does: copy, or also sign
// in while a listed profile waits for a sign-in (the demo's two sign-in
// profiles start so; it said "Click to copy a token:" over them).
func TestTrayHeaderSaysAClickSignsIn(t *testing.T) {
	header := func(states ...tokens.ProfileState) string {
		return buildTrayMenu(buildTrayModel(&tokens.Snapshot{Profiles: states}, t0), nil, trayActions{}).Items[0].Label
	}
	svc := freshState("svc", token("A", t0.Add(-18*time.Minute), time.Hour))
	if got := header(svc); got != trayCopyHeader {
		t.Errorf("client credentials only: %q", got)
	}
	phone := tokens.ProfileState{Profile: deviceProfile("phone"), LastError: &tokens.SignInNeededError{Profile: "phone"}, Stopped: true}
	if got := header(svc, phone); got != trayCopyOrSignInHeader {
		t.Errorf("with a profile waiting for a sign-in: %q", got)
	}
}
