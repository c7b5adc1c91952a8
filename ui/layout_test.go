package ui

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/ui/kit"
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

// checkValuesWhole fails when a value of the details pane breaks a word
// that would fit whole (issue 29: "13:54:/25", "expire/s_in" at 510 px).
func checkValuesWhole(t *testing.T, d *detailsPane) {
	t.Helper()
	n := 0
	for _, g := range []*kvGrid{d.tokenInfo, d.timing, d.errInfo, d.header, d.claims, d.profile} {
		if !g.box.Visible() {
			continue
		}
		for _, v := range g.values {
			room := v.Size().Width - 2*theme.InnerPadding()
			for _, word := range strings.Fields(v.Text) {
				w := fyne.MeasureText(word, theme.TextSize(), v.TextStyle).Width
				n++
				if w < kit.KVLongestWord && w > room+0.5 {
					t.Errorf("value %q breaks %q: %v px in a %v px cell", v.Text, word, w, room)
				}
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d words checked", n)
	}
}

// The window narrows to 400 px (issue 29: its minimum was 510) with no
// value broken mid-word, no overlap, and widens back to the layout it
// had: the list beside the details at its offset, the buttons in one row.
func TestWindowNarrowsTo400AndBack(t *testing.T) {
	tok := token(makeJWT(map[string]any{"alg": "RS256", "typ": "JWT"}, map[string]any{"sub": "svc", "exp": t0.Add(42 * time.Minute).Unix(), "iat": t0.Add(-18 * time.Minute).Unix()}),
		t0.Add(-18*time.Minute), time.Hour)
	h, m := openWindow(t, freshState("dev-api", tok), freshState("billing-service-production", tok))
	m.selectProfile("billing-service-production")
	if min := m.win.Content().MinSize(); min.Width > 400 {
		t.Fatalf("minimum width %v > 400", min.Width)
	}
	oneRow := func() bool {
		return m.details.copyBtn.Position().Y == m.details.deleteBtn.Position().Y
	}
	for _, w := range []float32{980, 560, 400, 980} {
		m.win.Resize(fyne.NewSize(w, 660))
		m.tick()
		m.win.Content().Refresh()
		m.win.Content().Refresh() // the second pass a wrapped row asks for (kit.WrapLayout.Relayout)
		h.settle()                // the settings fold or unfold after the pass that turned the split
		m.win.Content().Refresh()
		checkNoOverlap(t, m.win)
		checkValuesWhole(t, m.details)
		if w == 400 {
			saveScreenshot(t, m.win, "window-400.png")
			// The settings fold so that the list shows profiles: at
			// least two rows (it showed not quite one before).
			if m.settings.Visible() {
				t.Error("at 400 px the settings stay open under the list")
			}
			if h, row := m.list.Size().Height, newProfileRow().MinSize().Height; h < 2*row {
				t.Errorf("at 400 px the list is %v px high, less than two %v px rows", h, row)
			}
		}
	}
	if !m.settings.Visible() {
		t.Error("widened back to 980 px, the settings stay folded")
	}
	if !m.split.Horizontal || m.split.Offset != 0.34 {
		t.Errorf("widened back: side by side %v, offset %v; want true, 0.34", m.split.Horizontal, m.split.Offset)
	}
	if !oneRow() {
		t.Error("widened back to 980 px, the buttons stay wrapped")
	}
}

// The list/details divider drags, and the window keeps where it was put.
func TestWindowDividerDrags(t *testing.T) {
	tok := token("tok", t0.Add(-18*time.Minute), time.Hour)
	_, m := openWindow(t, freshState("dev-api", tok))
	m.win.Resize(fyne.NewSize(980, 660))
	m.win.Content().Refresh()
	var div fyne.CanvasObject
	for _, o := range test.WidgetRenderer(m.split).Objects() {
		if o != m.split.Leading && o != m.split.Trailing {
			div = o
		}
	}
	before := m.split.Leading.Size().Width
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(div).Add(fyne.NewPos(div.Size().Width/2, 200))
	test.Drag(m.win.Canvas(), at, 150, 0)
	m.win.Content().Refresh()
	if got := m.split.Leading.Size().Width; got < before+140 {
		t.Errorf("dragged 150 px right, the list went from %v to %v px", before, got)
	}
}

// A message under the buttons gives its height back when it goes (issue
// 29: a band about 100 px high stayed), and another profile opens at the
// top of its details.
func TestDetailsNoBandAndScrollToTop(t *testing.T) {
	tok := token("tok", t0.Add(-18*time.Minute), time.Hour)
	_, m := openWindow(t, freshState("dev-api", tok), freshState("other", tok))
	m.win.Resize(fyne.NewSize(700, 600))
	m.selectProfile("dev-api")
	m.win.Content().Refresh()
	d := m.details
	top := d.scroll.Position().Y
	d.say(statusMsg{title: strings.Repeat("A long message that wraps over several lines. ", 8), kind: msgError})
	m.win.Content().Refresh()
	if d.scroll.Position().Y <= top {
		t.Fatalf("the message took no room (%v ≤ %v)", d.scroll.Position().Y, top)
	}
	d.hideMessage()
	if got := d.scroll.Position().Y; got != top {
		t.Errorf("after the message went, the details start at %v, want %v", got, top)
	}

	d.scroll.ScrollToOffset(fyne.NewPos(0, 200))
	m.selectProfile("other")
	if d.scroll.Offset.Y != 0 {
		t.Errorf("the next profile opened scrolled to %v", d.scroll.Offset.Y)
	}
}
