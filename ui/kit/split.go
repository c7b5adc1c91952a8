package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// SplitLayout holds the window's list/details split and turns it with
// the window's width (issue 29): the list beside the details from
// splitBreak up, the list above the details below it, so a window 400 px
// wide (or less) reads whole instead of breaking its values mid-word. The
// divider drags in either direction, and each direction keeps its own
// offset, so shrinking and widening again gives back the layout it had.
// Its minimum size is the stacked one's (the narrowest), whatever the
// direction shown, so a resize never fights a minimum that flips. Use it
// on the UI goroutine only.
type SplitLayout struct {
	// OnTurn, when set, is called on the UI goroutine, inside the layout
	// pass, each time the split turns: sideBySide true when the list moves
	// beside the details. Changes to the tree belong after the pass: queue
	// them with fyne.Do.
	OnTurn func(sideBySide bool)

	split  *container.Split
	offset [2]float64 // per direction (0 stacked, 1 side by side): the offset to restore
}

// splitBreak is the least width that shows the list beside the details.
const splitBreak = 620

// NewSplitLayout wraps split, which starts side by side at the offset it
// has.
func NewSplitLayout(split *container.Split) *SplitLayout {
	split.Horizontal = true
	return &SplitLayout{split: split, offset: [2]float64{0.5, split.Offset}}
}

func (l *SplitLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	a, b := l.split.Leading.MinSize(), l.split.Trailing.MinSize()
	return fyne.NewSize(max(a.Width, b.Width), a.Height+b.Height+splitDivider)
}

func (l *SplitLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	side := size.Width >= splitBreak
	if side != l.split.Horizontal {
		l.offset[dir(l.split.Horizontal)] = l.split.Offset
		l.split.Horizontal = side
		l.split.Offset = l.offset[dir(side)]
		l.split.Refresh()
		if l.OnTurn != nil {
			l.OnTurn(side)
		}
	}
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// dir indexes SplitLayout.offset.
func dir(side bool) int {
	if side {
		return 1
	}
	return 0
}

// splitDivider is room for the split's divider in the stacked minimum.
const splitDivider = 8
