package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// glyphs returns the texts clockText draws, in order.
func glyphs(c *clockText) []*canvas.Text {
	var out []*canvas.Text
	for _, o := range test.WidgetRenderer(c).Objects() {
		out = append(out, o.(*canvas.Text))
	}
	return out
}

// TestClockTextDrawsGlyphByGlyph: the countdown is one canvas.Text per
// character, so that Fyne's text caches (by content) serve each second's
// digits; a new second rewrites only the glyphs that changed, and the
// text sits where a label's would.
func TestClockTextDrawsGlyphByGlyph(t *testing.T) {
	test.NewTempApp(t)
	c := newClockText(fyne.TextAlignTrailing)
	c.SetText("41:07")
	c.Resize(fyne.NewSize(200, c.MinSize().Height))
	g := glyphs(c)
	var got string
	for _, x := range g {
		got += x.Text
	}
	if len(g) != 5 || got != "41:07" {
		t.Fatalf("glyphs %q (%d), want 41:07 in 5", got, len(g))
	}
	label := fyne.MeasureText("41:07", theme.TextSize(), fyne.TextStyle{})
	pad := theme.InnerPadding()
	if min := c.MinSize(); min.Width < label.Width+2*pad-1 || min.Width > label.Width+2*pad+1 {
		t.Errorf("min width %v, want the text's %v and a label's padding", min.Width, label.Width)
	}
	last := g[4]
	if end := last.Position().X + last.Size().Width; end < 200-pad-0.5 || end > 200-pad+0.5 {
		t.Errorf("trailing text ends at %v, want %v", end, 200-pad)
	}

	before := make([]string, len(g))
	for i, x := range g {
		before[i] = x.Text
	}
	c.SetText("41:06")
	g2 := glyphs(c)
	for i := range 4 {
		if g2[i] != g[i] || g2[i].Text != before[i] {
			t.Errorf("glyph %d changed for a new second", i)
		}
	}
	if g2[4].Text != "6" {
		t.Errorf("last glyph %q", g2[4].Text)
	}

	c.SetText("—")
	if g := glyphs(c); len(g) != 1 || g[0].Text != "—" {
		t.Errorf("after a dash: %d glyphs", len(g))
	}
}
