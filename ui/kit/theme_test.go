package kit

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// TestDimTextIsReadable: hints, notes and "not checked" rows are labels of
// low importance, which Fyne draws in the theme's disabled colour: 1.6:1
// against the dark background, unreadable. The app's theme keeps that
// text dimmer than the rest but at WCAG AA's 4.5:1, in both variants.
func TestDimTextIsReadable(t *testing.T) {
	test.NewTempApp(t)
	th := Theme{Theme: theme.DefaultTheme()}
	for _, v := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		bg := th.Color(theme.ColorNameBackground, v)
		dim := contrast(th.Color(theme.ColorNameDisabled, v), bg)
		fg := contrast(th.Color(theme.ColorNameForeground, v), bg)
		if dim < minDimContrast || dim >= fg {
			t.Errorf("variant %d: dim text contrast %.2f:1 (foreground %.2f:1), want at least %.1f:1 and below the foreground's", v, dim, fg, minDimContrast)
		}
	}
}
