package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tokentray/tokentray/tokens"
)

// The form opens within a 1366×768 screen (less a panel and a title bar)
// with Test, Cancel and Save inside the window, folded or not (issue 29:
// at 760×780 the button bar was off screen).
func TestFormFitsA768PixelScreen(t *testing.T) {
	_, f := openForm(t, Options{TestProfiles: true}, "")
	for _, open := range []bool{false, true} {
		f.setAdvanced(open)
		f.win.Content().Refresh()
		size := f.win.Canvas().Size()
		if size.Width > 1366 || size.Height > 700 {
			t.Fatalf("form is %v, more than a 1366×768 screen leaves", size)
		}
		if min := f.win.Content().MinSize(); min.Height > 700 {
			t.Fatalf("form's minimum height %v", min.Height)
		}
		d := fyne.CurrentApp().Driver()
		for _, b := range []*escButton{f.testBtn, f.cancelBtn, f.saveBtn} {
			p := d.AbsolutePositionForObject(b)
			if p.X < 0 || p.Y < 0 || p.X+b.Size().Width > size.Width || p.Y+b.Size().Height > size.Height || !b.Visible() {
				t.Errorf("advanced open %v: %q at %v+%v is outside the %v window", open, b.Text, p, b.Size(), size)
			}
		}
		saveScreenshot(t, f.win, "form.png")
	}
}

// Editing a profile that uses an advanced field opens the fold, and a
// wrong advanced field opens it to show its message.
func TestFormAdvancedOpensWhenUsed(t *testing.T) {
	p := testProfile("dev-api")
	p.Audience = "https://api.example.com"
	_, f := openForm(t, Options{}, "dev-api", tokens.ProfileState{Profile: p})
	if !f.advancedOpen || !rowShown(f, f.audience) {
		t.Error("a profile with an audience opened with Advanced folded")
	}

	_, f = openForm(t, Options{}, "")
	if f.advancedOpen || rowShown(f, f.headers) {
		t.Fatal("a new profile opened with Advanced unfolded")
	}
	fillValid(f)
	test.Type(f.headers, "no colon here")
	f.setAdvanced(false)
	test.Tap(f.saveBtn)
	if !f.advancedOpen || !rowShown(f, f.headers) || errText(f, tokens.FieldHeaders) == "" {
		t.Errorf("a wrong header stayed folded away (open %v, message %q)", f.advancedOpen, errText(f, tokens.FieldHeaders))
	}
}

// rowShown reports whether the form row holding o is shown.
func rowShown(f *profileForm, o fyne.CanvasObject) bool {
	for _, objs := range f.groups {
		for i := 1; i < len(objs); i += 2 {
			if cell, ok := objs[i].(*fyne.Container); ok && cell.Objects[0] == o {
				return objs[i].Visible()
			}
		}
	}
	return true // not in a group: always shown
}
