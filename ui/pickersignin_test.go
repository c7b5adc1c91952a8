package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tokentray/tokentray/tokens"
)

// Choosing a profile that waits for a sign-in in the picker (Enter, or
// Shift+Enter) starts its sign-in, as a click in the tray does: the picker
// closes and the sign-in's dialog opens over the window at the profile;
// nothing is copied, no failed copy is reported. (Failed first: Enter
// tried to copy and reported that sign-in was needed.)
func TestPickerStartsTheSignInOfAProfileWaitingForOne(t *testing.T) {
	for _, shift := range []bool{false, true} {
		eng := &signingEngine{fakeEngine: newFakeEngine()}
		h := newHarness(t, Options{Engine: eng, SignIn: &fakeSigner{}})
		h.c.load.loading = false
		h.c.deliver(eng.publish(t0,
			tokens.ProfileState{Profile: deviceProfile("phone"), LastError: &tokens.SignInNeededError{Profile: "phone"}, Stopped: true},
			freshState("svc", token("tok-svc", t0, time.Hour))))
		h.settle()
		h.app.Clipboard().SetContent("before")
		h.c.showPicker()
		p := h.c.picker
		test.Type(p.filter, "pho")
		if strings.Join(p.names, ",") != "phone" {
			t.Fatalf("filter shows %q", p.names)
		}
		if p.hint.Text != "Enter: sign in · Esc: close" {
			t.Errorf("hint %q", p.hint.Text)
		}
		if shift {
			p.filter.shift = true
		}
		p.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if !p.closed || h.c.picker != nil {
			t.Error("the picker stays open")
		}
		if h.c.signing["phone"] == nil || h.c.win == nil || h.c.win.dlg == nil || h.c.win.details.name != "phone" {
			t.Fatalf("shift %v: no sign-in started for phone", shift)
		}
		if got := h.app.Clipboard().Content(); got != "before" {
			t.Errorf("the clipboard holds %q", got)
		}
		for _, n := range h.takeNotes() {
			if strings.Contains(n.title, "Copy") || strings.Contains(n.title, "failed") {
				t.Errorf("a note %+v", n)
			}
		}
		h.c.win.closeDialog()
	}
}
