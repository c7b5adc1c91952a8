package ui

import (
	"image/color"
	"reflect"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// A visible focus on every Tab stop (issue 11). Fyne shows focus by
// tinting a button, select, check or radio with the theme's focus colour,
// which by default is the primary colour at 16 % opacity: too faint to
// find in the dark variant, and invisible on a button that is itself
// filled with the primary colour. A list shows its focused row in the
// hover colour (6 %), and not at all on the selected row. So:
//   - focusTheme raises the focus colour's opacity, for every widget Fyne
//     draws focus on;
//   - coloured buttons (escButton with a high, danger, warning or success
//     importance) get a ring in the primary colour just outside, since a
//     tint cannot show on them;
//   - a list row with the keyboard focus gets the same ring inside it,
//     over the selection fill, so focus and selection read apart;
//   - an Escape-aware widget scrolls itself into view when it gains the
//     focus (Fyne does not), and an empty profile list is no Tab stop.
//
// Fyne's own focusables that report to no one are kept out: the values
// shown are valueLabels, not selectable labels, and the one radio group
// below the form's fold became a dropdown.

// focusRingWidth is the stroke of a focus ring; focusRingGap is the space
// between a button and its ring.
const (
	focusRingWidth = 2
	focusRingGap   = 1
)

// newFocusRing returns a hidden ring in the primary colour.
func newFocusRing() *canvas.Rectangle {
	r := canvas.NewRectangle(color.Transparent)
	r.StrokeWidth = focusRingWidth
	r.Hide()
	return r
}

// showFocusRing colours ring from the theme of w, rounds it as the theme
// rounds radius (plus extra) and shows or hides it.
func showFocusRing(ring *canvas.Rectangle, w fyne.Widget, radius fyne.ThemeSizeName, extra float32, shown bool) {
	if shown {
		th := theme.CurrentForWidget(w)
		ring.StrokeColor = th.Color(theme.ColorNamePrimary, fyne.CurrentApp().Settings().ThemeVariant())
		ring.CornerRadius = th.Size(radius) + extra
		ring.Show()
	} else {
		ring.Hide()
	}
	ring.Refresh()
}

// ringRenderer draws a focus ring just outside a widget (or, inset, on
// its edge), around what the widget's own renderer draws, while shown
// reports true.
type ringRenderer struct {
	fyne.WidgetRenderer
	widget fyne.Widget
	ring   *canvas.Rectangle
	shown  func() bool
	inset  bool // on the widget's edge: for a label, whose padding leaves room
	objs   []fyne.CanvasObject
}

func newRingRenderer(w fyne.Widget, inner fyne.WidgetRenderer, shown func() bool) *ringRenderer {
	r := &ringRenderer{WidgetRenderer: inner, widget: w, ring: newFocusRing(), shown: shown}
	r.update()
	return r
}

func (r *ringRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	out := float32(focusRingGap + focusRingWidth)
	if r.inset {
		out = 0
	}
	r.ring.Move(fyne.NewPos(-out, -out))
	r.ring.Resize(size.AddWidthHeight(2*out, 2*out))
}

func (r *ringRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *ringRenderer) Refresh() {
	r.WidgetRenderer.Refresh()
	r.update()
}

// update takes the inner renderer's objects (they may change on refresh)
// and shows the ring as shown says.
func (r *ringRenderer) update() {
	r.objs = append(append(r.objs[:0], r.WidgetRenderer.Objects()...), r.ring)
	showFocusRing(r.ring, r.widget, theme.SizeNameInputRadius, focusRingGap+focusRingWidth, r.shown())
}

// colouredImportance reports whether a button of importance i is filled
// with a colour, on which Fyne's focus tint does not show.
func colouredImportance(i widget.Importance) bool {
	return i != widget.MediumImportance && i != widget.LowImportance
}

// focusedRow is the row of l the keyboard is on while l has the focus,
// else -1. widget.List keeps both in unexported fields (focused,
// currentFocus) and tells no one when they change, but refreshes every
// shown row when they do; they are read (never written) with reflect.
// TestListFocusRing fails if a Fyne upgrade renames them.
func focusedRow(l *widget.List) widget.ListItemID {
	v := reflect.ValueOf(l).Elem()
	focused, current := v.FieldByName("focused"), v.FieldByName("currentFocus")
	if focused.Kind() != reflect.Bool || !current.CanInt() || !focused.Bool() {
		return -1
	}
	return widget.ListItemID(current.Int())
}

// Disabled reports whether the list has no rows: Tab passes over an empty
// list, where a focus would show nowhere. It makes the list a
// fyne.Disableable for Fyne's focus manager, which skips disabled
// objects.
func (l *profileList) Disabled() bool { return l.Length == nil || l.Length() == 0 }

// Enable and Disable do nothing: the number of rows decides (Disabled).
func (l *profileList) Enable()  {}
func (l *profileList) Disable() {}

// CreateRenderer is the button's own, with a focus ring when the button is
// coloured (colouredImportance).
func (b *escButton) CreateRenderer() fyne.WidgetRenderer {
	return newRingRenderer(b, b.Button.CreateRenderer(), func() bool { return b.focused && colouredImportance(b.Importance) })
}

// FocusGained and FocusLost track the focus for the ring (Button keeps its
// own to itself); FocusGained brings the button into view
// (revealFocused).
func (b *escButton) FocusGained() {
	b.focused = true
	b.Button.FocusGained()
	revealFocused(b)
}

func (b *escButton) FocusLost() {
	b.focused = false
	b.Button.FocusLost()
}

// setFocused shows the row's focus ring, inside the row and over the
// selection fill, while the list's keyboard focus is on it.
func (r *profileRow) setFocused(focused bool) {
	if r.ring.Visible() != focused {
		showFocusRing(r.ring, r, theme.SizeNameSelectionRadius, 0, focused)
	}
}

// FocusGained of the other Escape-aware widgets brings them into view
// (revealFocused) besides what the widget does.
func (e *escEntry) FocusGained() {
	e.Entry.FocusGained()
	revealFocused(e)
}

func (s *escSelect) FocusGained() {
	s.Select.FocusGained()
	revealFocused(s)
}

func (c *escCheck) FocusGained() {
	c.Check.FocusGained()
	revealFocused(c)
}

// revealFocused scrolls the scroll containers around o so that o and its
// focus ring show: Fyne moves the focus with Tab but does not scroll to
// it, so Tab into a long form would otherwise land out of sight. It finds
// the scrolls through containers from the window's content down; o is
// left alone where the path leads through another widget. (ui)
func revealFocused(o fyne.CanvasObject) {
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if c == nil {
		return
	}
	scrolls, found := scrollsAround(c.Content(), o, nil)
	if !found {
		return
	}
	d := fyne.CurrentApp().Driver()
	margin := float32(focusRingGap+focusRingWidth) + theme.Padding()
	for i := len(scrolls) - 1; i >= 0; i-- { // innermost first
		s := scrolls[i]
		top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(s).Y
		bottom := top + o.Size().Height
		offset := s.Offset
		switch view := s.Size().Height; {
		case top < margin:
			offset.Y += top - margin
		case bottom > view-margin:
			offset.Y += min(bottom-(view-margin), top-margin)
		default:
			continue
		}
		s.ScrollToOffset(offset)
	}
}

// scrollsAround returns the scroll containers on the way from root down
// to o through containers, splits and scrolls, outermost first, and whether o was
// found.
func scrollsAround(root, o fyne.CanvasObject, outer []*container.Scroll) ([]*container.Scroll, bool) {
	if root == o {
		return outer, true
	}
	switch r := root.(type) {
	case *fyne.Container:
		for _, child := range r.Objects {
			if s, ok := scrollsAround(child, o, outer); ok {
				return s, true
			}
		}
	case *container.Scroll:
		return scrollsAround(r.Content, o, append(outer, r))
	case *container.Split:
		for _, side := range []fyne.CanvasObject{r.Leading, r.Trailing} {
			if s, ok := scrollsAround(side, o, outer); ok {
				return s, true
			}
		}
	}
	return nil, false
}
