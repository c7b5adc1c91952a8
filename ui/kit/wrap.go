package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// WrapLayout places objects in a row and wraps onto further rows when the
// width runs out, so a narrow window stacks its buttons instead of
// overlapping them. Its minimum width is the widest object's; its minimum
// height is that of the rows it needed at the width it was last given.
// Unlike Fyne's RowWrapLayout, the minimum width does not stay at the
// widest layout ever made, so the window can shrink again. When the number
// of rows changes, Relayout (if set) must lay the enclosing container out
// again for the new height, after the layout pass under way (which placed
// the rest for the old height): queue it with fyne.Do. Use it on the UI
// goroutine only.
type WrapLayout struct {
	width    float32 // the width of the last layout; 0 before the first
	rows     int
	Relayout func()
}

func (l *WrapLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for _, o := range objects {
		if o.Visible() {
			s := o.MinSize()
			w, h = max(w, s.Width), max(h, s.Height)
		}
	}
	rows := 1
	if l.width > 0 {
		rows = l.place(objects, l.width, false)
	}
	if rows == 0 {
		return fyne.Size{}
	}
	return fyne.NewSize(w, float32(rows)*h+float32(rows-1)*theme.Padding())
}

func (l *WrapLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	rows := l.place(objects, size.Width, true)
	if rows != l.rows {
		l.rows = rows
		if l.Relayout != nil {
			l.Relayout()
		}
	}
}

// place packs the objects into rows of the given width, moving them when
// move is set, and returns the number of rows.
func (l *WrapLayout) place(objects []fyne.CanvasObject, width float32, move bool) int {
	pad := theme.Padding()
	var rowH float32
	for _, o := range objects {
		if o.Visible() {
			rowH = max(rowH, o.MinSize().Height)
		}
	}
	rows := 0
	var x float32
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		s := o.MinSize()
		if rows == 0 || x > 0 && x+s.Width > width {
			rows++
			x = 0
		}
		if move {
			o.Resize(fyne.NewSize(s.Width, rowH))
			o.Move(fyne.NewPos(x, float32(rows-1)*(rowH+pad)))
		}
		x += s.Width + pad
	}
	return rows
}
