package ui

import (
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// clockText shows a short text that changes every second, a countdown,
// glyph by glyph: one canvas.Text per character. Fyne caches a text's
// texture and measured size by its content, so a countdown drawn this way
// reuses the textures of the digits it drew before, where a label would
// shape, measure and rasterise a new string every second (issue 20: that
// was most of what the open window cost). Glyphs are not kerned, which
// suits digits, a colon and short words. It is padded like a
// widget.Label. Set it on the UI goroutine.
type clockText struct {
	widget.BaseWidget
	Text      string
	Alignment fyne.TextAlign
	SizeName  fyne.ThemeSizeName // of the text; "" is theme.SizeNameText
}

// newClockText returns an empty clockText aligned as given.
func newClockText(align fyne.TextAlign) *clockText {
	c := &clockText{Alignment: align}
	c.ExtendBaseWidget(c)
	return c
}

// SetText shows s; it refreshes (and reports to onRefresh) only when s
// differs from the text shown.
func (c *clockText) SetText(s string) {
	if c.Text != s {
		c.Text = s
		c.Refresh()
		counted(c)
	}
}

// CreateRenderer draws the glyphs.
func (c *clockText) CreateRenderer() fyne.WidgetRenderer {
	r := &clockTextRenderer{c: c}
	r.Refresh()
	return r
}

type clockTextRenderer struct {
	c      *clockText
	glyphs []*canvas.Text      // one per character of the text shown
	objs   []fyne.CanvasObject // glyphs, as objects
	widths []float32           // of each glyph
	text   fyne.Size           // of the whole text
}

func (r *clockTextRenderer) Refresh() {
	th := r.c.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	sizeName := r.c.SizeName
	if sizeName == "" {
		sizeName = theme.SizeNameText
	}
	col, size := th.Color(theme.ColorNameForeground, v), th.Size(sizeName)
	n := 0
	r.text = fyne.Size{}
	for i := 0; i < len(r.c.Text); {
		_, w := utf8.DecodeRuneInString(r.c.Text[i:])
		s := r.c.Text[i : i+w] // no copy: a substring
		i += w
		if n == len(r.glyphs) {
			g := canvas.NewText("", col)
			r.glyphs, r.objs, r.widths = append(r.glyphs, g), append(r.objs, g), append(r.widths, 0)
		}
		g := r.glyphs[n]
		if g.Text != s || g.Color != col || g.TextSize != size {
			g.Text, g.Color, g.TextSize = s, col, size
			gs := fyne.MeasureText(s, size, g.TextStyle) // cached by Fyne per glyph
			r.widths[n] = gs.Width
			g.Resize(gs)
			g.Refresh()
		}
		r.text.Width += r.widths[n]
		r.text.Height = max(r.text.Height, g.Size().Height)
		n++
	}
	if r.text.Height == 0 {
		r.text.Height = fyne.MeasureText("0", size, fyne.TextStyle{}).Height // an empty text keeps its line
	}
	for i := n; i < len(r.glyphs); i++ {
		r.glyphs[i] = nil
		r.objs[i] = nil
	}
	r.glyphs, r.objs, r.widths = r.glyphs[:n], r.objs[:n], r.widths[:n]
	r.Layout(r.c.Size())
}

func (r *clockTextRenderer) Layout(size fyne.Size) {
	pad := r.c.Theme().Size(theme.SizeNameInnerPadding)
	x := pad
	switch r.c.Alignment {
	case fyne.TextAlignTrailing:
		x = size.Width - pad - r.text.Width
	case fyne.TextAlignCenter:
		x = (size.Width - r.text.Width) / 2
	}
	y := (size.Height - r.text.Height) / 2
	for i, g := range r.glyphs {
		g.Move(fyne.NewPos(x, y))
		x += r.widths[i]
	}
}

func (r *clockTextRenderer) MinSize() fyne.Size {
	pad := r.c.Theme().Size(theme.SizeNameInnerPadding)
	return r.text.AddWidthHeight(2*pad, 2*pad)
}

func (r *clockTextRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *clockTextRenderer) Destroy()                     {}
