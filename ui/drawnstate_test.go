package ui

import (
	"fmt"
	"hash/fnv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// drawnState describes what canvas c draws: every visible object's kind,
// place and size, each text with its style, and each shape's colours, in
// drawing order. Two equal descriptions mean two equal captures, found
// without painting: painting the canvas (test.Canvas.Capture) is what makes
// the focus tests slow under -race.
func drawnState(c fyne.Canvas) string {
	var b strings.Builder
	describeObject(&b, c.Content(), fyne.Position{})
	for _, o := range c.Overlays().List() {
		b.WriteString("overlay\n")
		describeObject(&b, o, fyne.Position{})
	}
	return b.String()
}

// describeObject writes o and, for a container or a widget, the objects it
// draws, each at its position on the canvas (pos is o's parent's).
func describeObject(b *strings.Builder, o fyne.CanvasObject, pos fyne.Position) {
	if o == nil || !o.Visible() {
		return
	}
	pos = pos.Add(o.Position())
	fmt.Fprintf(b, "%T %v %v", o, pos, o.Size())
	switch o := o.(type) {
	case *canvas.Text:
		fmt.Fprintf(b, " %q %v %v %v", o.Text, o.Color, o.TextSize, o.TextStyle)
	case *canvas.Rectangle:
		fmt.Fprintf(b, " %v %v %v %v", o.FillColor, o.StrokeColor, o.StrokeWidth, o.CornerRadius)
	case *canvas.Line:
		fmt.Fprintf(b, " %v %v %v %v", o.StrokeColor, o.StrokeWidth, o.Position1, o.Position2)
	case *canvas.Circle:
		fmt.Fprintf(b, " %v %v %v", o.FillColor, o.StrokeColor, o.StrokeWidth)
	case *canvas.Image:
		fmt.Fprintf(b, " %q %p %v", o.File, o.Image, o.Translucency)
		if o.Resource != nil {
			// Icons are wrapped anew on each refresh: known by name and content.
			h := fnv.New64a()
			h.Write(o.Resource.Content())
			fmt.Fprintf(b, " %q %x", o.Resource.Name(), h.Sum64())
		}
	case *canvas.LinearGradient:
		fmt.Fprintf(b, " %v %v %v", o.StartColor, o.EndColor, o.Angle)
	case *canvas.RadialGradient:
		fmt.Fprintf(b, " %v %v", o.StartColor, o.EndColor)
	default:
		fmt.Fprintf(b, " %p", o) // a raster or another object: known by identity only
	}
	b.WriteByte('\n')
	switch o := o.(type) {
	case *fyne.Container:
		for _, child := range o.Objects {
			describeObject(b, child, pos)
		}
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(o).Objects() {
			describeObject(b, child, pos)
		}
	}
}
