package ui

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// placed is a visible control and where it is drawn in the window.
type placed struct {
	what string
	r    image.Rectangle
}

// visibleControls walks the widget tree from o (at offset) and lists every
// visible control a person reads or clicks: labels with text, buttons,
// entries, selects, checks, radio groups, lists.
func visibleControls(t *testing.T, o fyne.CanvasObject, offset fyne.Position, out *[]placed) {
	if o == nil || !o.Visible() {
		return
	}
	pos := offset.Add(o.Position())
	rect := func(name string) placed {
		s := o.Size()
		return placed{what: name, r: image.Rect(int(pos.X+0.5), int(pos.Y+0.5), int(pos.X+s.Width-0.5), int(pos.Y+s.Height-0.5))}
	}
	switch w := o.(type) {
	case *widget.Label:
		if w.Text != "" {
			*out = append(*out, rect(fmt.Sprintf("label %.30q", w.Text)))
		}
		return
	case *widget.Button:
		*out = append(*out, rect(fmt.Sprintf("button %q", w.Text)))
		return
	case *escButton:
		*out = append(*out, rect(fmt.Sprintf("button %q", w.Text)))
		return
	case *widget.Entry, *escEntry:
		*out = append(*out, rect("entry"))
		return
	case *widget.Select, *escSelect, *widget.Check, *widget.RadioGroup:
		*out = append(*out, rect(reflect.TypeOf(o).String()))
		return
	case *widget.List:
		*out = append(*out, rect("list"))
		return
	case *profileRow:
		return // inside the list
	case *container.Scroll:
		// Only what shows through the viewport, clipped to it.
		view := rect("").r
		var inner []placed
		visibleControls(t, w.Content, pos.Subtract(w.Offset), &inner)
		for _, c := range inner {
			if c.r.Overlaps(view) {
				*out = append(*out, placed{what: c.what, r: c.r.Intersect(view)})
			}
		}
		return
	case *fyne.Container:
		for _, c := range w.Objects {
			visibleControls(t, c, pos, out)
		}
		return
	case fyne.Widget:
		r := test.TempWidgetRenderer(t, w)
		for _, c := range r.Objects() {
			visibleControls(t, c, pos, out)
		}
	}
}

// checkNoOverlap fails when two visible controls overlap or one sticks
// out of the window.
func checkNoOverlap(t *testing.T, w fyne.Window) {
	t.Helper()
	var cs []placed
	visibleControls(t, w.Content(), fyne.Position{}, &cs)
	size := w.Canvas().Size()
	win := image.Rect(0, 0, int(size.Width+0.5), int(size.Height+0.5))
	if len(cs) < 5 {
		t.Fatalf("only %d controls found", len(cs))
	}
	for i, a := range cs {
		if !a.r.In(win) {
			t.Errorf("%s at %v sticks out of the %v window", a.what, a.r, win.Max)
		}
		for _, b := range cs[i+1:] {
			if a.r.Overlaps(b.r) {
				t.Errorf("%s at %v overlaps %s at %v", a.what, a.r, b.what, b.r)
			}
		}
	}
}

// saveScreenshot keeps the window's rendering for people to look at, in
// $TOKENTRAY_ARTIFACTS when set.
func saveScreenshot(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	dir := os.Getenv("TOKENTRAY_ARTIFACTS")
	if dir == "" {
		return
	}
	img := w.Canvas().Capture()
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// TestWindowLayoutWithoutOverlap lays the Manage window out at its default
// size and at 560 px wide (half a 1366 px screen, minus borders) and checks
// that no two controls overlap and none leaves the window (issue 11).
func TestWindowLayoutWithoutOverlap(t *testing.T) {
	tok := token("tok", t0.Add(-18*time.Minute), time.Hour)
	for _, size := range []fyne.Size{{Width: 980, Height: 660}, {Width: 560, Height: 640}} {
		t.Run(fmt.Sprint(size.Width), func(t *testing.T) {
			_, m := openWindow(t, freshState("dev-api", tok), freshState("billing-service-production", tok))
			m.selectProfile("billing-service-production")
			if min := m.win.Content().MinSize(); min.Width > size.Width {
				t.Errorf("minimum width %v > %v", min.Width, size.Width)
			}
			m.win.Resize(size)
			m.tick()
			m.win.Content().Refresh() // lay out what tick changed, as the driver does before a paint
			saveScreenshot(t, m.win, fmt.Sprintf("window-%v.png", size.Width))
			checkNoOverlap(t, m.win)
		})
	}
}
