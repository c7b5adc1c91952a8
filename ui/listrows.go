package ui

import (
	"iter"
	"math"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// listRows tracks which row the profile list last bound to each item, so
// the once-a-second update touches exactly the rows on screen: not the
// rows the list keeps in its pool after they scroll off (they keep their
// old item), nor the ones it drops on a full refresh, nor the one it makes
// only to measure. Touch it only on the UI goroutine.
type listRows struct {
	byID map[widget.ListItemID]*profileRow
}

// bind records that the list now shows item id in r.
func (b *listRows) bind(id widget.ListItemID, r *profileRow) {
	if b.byID == nil {
		b.byID = map[widget.ListItemID]*profileRow{}
	}
	if r.id >= 0 && b.byID[r.id] == r {
		delete(b.byID, r.id)
	}
	r.id = id
	b.byID[id] = r
}

// shown yields the rows of the items in l's viewport, in item order. It
// forgets the rows of items the list no longer holds (it binds a row again
// when one scrolls back in). Before the list is laid out, every bound row
// counts as shown.
func (b *listRows) shown(l *widget.List) iter.Seq2[widget.ListItemID, *profileRow] {
	return func(yield func(widget.ListItemID, *profileRow) bool) {
		first, last, held := b.inView(l)
		for id := range b.byID {
			if id < held[0] || id > held[1] {
				delete(b.byID, id)
			}
		}
		for id := first; id <= last; id++ {
			if r, ok := b.byID[id]; ok && !yield(id, r) {
				return
			}
		}
	}
}

// inView returns the first and last item in l's viewport, and the range
// of items the list holds rows for (a row more, partly or wholly below
// the viewport, as widget.List rounds up). All rows have one height (the
// list's template, a profileRow), with the theme's padding between them,
// as widget.List lays them out.
func (b *listRows) inView(l *widget.List) (first, last widget.ListItemID, held [2]widget.ListItemID) {
	n := 0
	if l.Length != nil {
		n = l.Length()
	}
	view := l.Size().Height
	if view <= 0 || len(b.byID) == 0 {
		return 0, n - 1, [2]widget.ListItemID{0, n - 1}
	}
	var h float32 // the list sizes every row to its template's height
	for _, r := range b.byID {
		if h = r.Size().Height; h <= 0 {
			h = r.MinSize().Height
		}
		break
	}
	step := float64(h + l.Theme().Size(theme.SizeNamePadding))
	off := float64(l.GetScrollOffset())
	// Item id spans [id*step, id*step+h): in view when it ends below off
	// and starts above off+view.
	first = max(widget.ListItemID(math.Floor((off-float64(h))/step))+1, 0)
	last = min(widget.ListItemID(math.Ceil((off+float64(view))/step))-1, n-1)
	top := math.Floor(off / step)
	held = [2]widget.ListItemID{widget.ListItemID(top), min(widget.ListItemID(math.Ceil((top*step+float64(view))/step)), n-1)}
	return first, last, held
}

// all returns every bound row, shown or not, for tests.
func (b *listRows) all() []*profileRow {
	out := make([]*profileRow, 0, len(b.byID))
	for _, r := range b.byID {
		out = append(out, r)
	}
	return out
}
