package kit

import (
	"image/color"
	"math"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// FocusAlpha is the least opacity of the theme's focus colour: 36 %
// (Fyne's default is 0x2a, 16 %).
const FocusAlpha = 0x5c

// Theme is the app's theme: its base theme (the user's or Fyne's) with
// two colours made to show: the focus colour is at least FocusAlpha
// opaque (the window's focus rings), and dim text (the disabled colour, which
// Fyne's labels of low importance use for hints and notes) keeps
// minDimContrast against the background.
type Theme struct{ fyne.Theme }

// minDimContrast is the least contrast of dim text against the background:
// WCAG 2 AA for normal text.
const minDimContrast = 4.5

// Color returns the base theme's colour, the focus and dim text colours
// made stronger.
func (t Theme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	c := t.Theme.Color(n, v)
	switch n {
	case theme.ColorNameFocus:
		nc := nrgba(c)
		nc.A = max(nc.A, FocusAlpha)
		return nc
	case theme.ColorNameDisabled:
		return readable(c, t.Theme.Color(theme.ColorNameForeground, v), t.Theme.Color(theme.ColorNameBackground, v))
	}
	return c
}

// readableCache holds readable's answers by their inputs (a theme has a
// few), so drawing dim text costs a map lookup. Safe for concurrent use.
var readableCache sync.Map // [3]color.NRGBA → color.Color

// readable returns dim, or the least blend of dim toward fg that has
// minDimContrast against bg (fg itself if even that falls short).
func readable(dim, fg, bg color.Color) color.Color {
	key := [3]color.NRGBA{nrgba(dim), nrgba(fg), nrgba(bg)}
	if c, ok := readableCache.Load(key); ok {
		return c.(color.Color)
	}
	c := blendToContrast(key[0], key[1], bg)
	readableCache.Store(key, c)
	return c
}

func nrgba(c color.Color) color.NRGBA { return color.NRGBAModel.Convert(c).(color.NRGBA) }

// blendToContrast does readable's work.
func blendToContrast(d, f color.NRGBA, bg color.Color) color.Color {
	if contrast(d, bg) >= minDimContrast {
		return d
	}
	mix := func(a, b uint8, w float64) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*w)) }
	for step := 1; step <= 20; step++ {
		w := float64(step) / 20
		c := color.NRGBA{R: mix(d.R, f.R, w), G: mix(d.G, f.G, w), B: mix(d.B, f.B, w), A: 0xff}
		if contrast(c, bg) >= minDimContrast {
			return c
		}
	}
	return f
}

// UseTheme sets app's theme to Theme over its current theme. (ui)
func UseTheme(app fyne.App) {
	s := app.Settings()
	if _, done := s.Theme().(Theme); !done {
		s.SetTheme(Theme{s.Theme()})
	}
}

// contrast is the WCAG 2 contrast ratio of two opaque colours, 1 to 21.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// luminance is a colour's WCAG 2 relative luminance.
func luminance(c color.Color) float64 {
	n := nrgba(c)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(n.R) + 0.7152*lin(n.G) + 0.0722*lin(n.B)
}
