package ui

import (
	"image"
	"image/color"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The profile list's keyboard focus (issue 11): the focused row reads
// apart from the selected one.

// TestListFocusRing: in the profile list the row with the keyboard focus
// reads apart from the selected row and from a plain row: a selected row
// looks different focused and unfocused, a focused row different from
// the same row without focus, and while the focus is on one row and the
// selection on another, only the focused row has the ring.
func TestListFocusRing(t *testing.T) {
	tok := token("tok", t0.Add(-18*time.Minute), time.Hour)
	for vname, v := range themeVariants {
		t.Run(vname, func(t *testing.T) {
			h, m := openWindow(t, freshState("billing", tok), freshState("dev-api", tok), freshState("staging", tok))
			useVariant(h.app, v)
			c := m.win.Canvas()
			m.selectProfile("billing") // row 0, where the list's focus starts
			first, second := shownRow(m.list, 0), shownRow(m.list, 1)
			if first == nil || second == nil || first.name.Text != "billing" || second.name.Text != "dev-api" {
				t.Fatal("rows not shown")
			}
			r0, r1 := boundsOf(c, first, 0), boundsOf(c, second, 0)

			c.Focus(m.list)
			if got := focusedRow(&m.list.List); got != 0 {
				t.Fatalf("focusedRow = %d with the focus on the first row", got)
			}
			selectedFocused := c.Capture()
			c.Unfocus()
			if got := focusedRow(&m.list.List); got != -1 {
				t.Fatalf("focusedRow = %d without focus", got)
			}
			selectedPlain := c.Capture()
			if n, want := changedPixels(selectedFocused, selectedPlain, r0), minChangedPixels(r0); n < want {
				t.Errorf("the selected row looks the same with and without focus: %d pixels change, want %d", n, want)
			}

			c.Focus(m.list)
			m.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
			if got := focusedRow(&m.list.List); got != 1 {
				t.Fatalf("focusedRow = %d after Down", got)
			}
			if m.selected != "billing" {
				t.Fatalf("Down changed the selection to %q", m.selected)
			}
			focusedPlain := c.Capture()
			c.Unfocus()
			plain := c.Capture()
			if n, want := changedPixels(focusedPlain, plain, r1), minChangedPixels(r1); n < want {
				t.Errorf("the focused row looks like a plain row: %d pixels change, want %d", n, want)
			}
			// Focus on row 1, selection on row 0: the ring is on row 1 only.
			ring := fyne.CurrentApp().Settings().Theme().Color(theme.ColorNamePrimary, v)
			if n, want := ringPixels(focusedPlain, r1, ring), r1.Dx()+r1.Dy(); n < want {
				t.Errorf("the focused row has %d pixels of ring colour on its edge, want %d", n, want)
			}
			if n := ringPixels(focusedPlain, r0, ring); n > 0 {
				t.Errorf("the selected row, without the focus, has %d pixels of ring colour on its edge", n)
			}
		})
	}
}

// ringPixels counts the pixels of colour ring (within antialiasing) on
// the edge of r, from focusRingMargin outside to focusRingMargin inside.
func ringPixels(img image.Image, r image.Rectangle, ring color.Color) int {
	outer, inner := r.Inset(-focusRingMargin).Intersect(img.Bounds()), r.Inset(focusRingMargin)
	n := 0
	for y := outer.Min.Y; y < outer.Max.Y; y++ {
		for x := outer.Min.X; x < outer.Max.X; x++ {
			if !(image.Point{x, y}).In(inner) && colourDistance(img.At(x, y), ring) < 32 {
				n++
			}
		}
	}
	return n
}

// shownRow is the row the list shows for item id (not a pooled one).
func shownRow(list fyne.CanvasObject, id widget.ListItemID) *profileRow {
	var row *profileRow
	walk(list, func(o fyne.CanvasObject) {
		if r, ok := o.(*profileRow); ok && r.id == id && r.Visible() {
			row = r
		}
	})
	return row
}

// TestListKeysKeepRowCount: moving the focus through the list keeps the
// number of rows the window updates every second (the list creates a
// row to measure on each refresh, and every key refreshes it).
func TestListKeysKeepRowCount(t *testing.T) {
	tok := token("tok", t0.Add(-18*time.Minute), time.Hour)
	_, m := openWindow(t, freshState("a", tok), freshState("b", tok), freshState("c", tok))
	m.win.Canvas().Focus(m.list)
	before := len(m.rows.all())
	for range 50 {
		m.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
		m.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	}
	if before != 3 || len(m.rows.all()) != before {
		t.Errorf("%d rows before, %d after 100 keys; the list shows 3", before, len(m.rows.all()))
	}
}
