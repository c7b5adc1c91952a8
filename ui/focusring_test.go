package ui

import (
	"fmt"
	"image"
	"image/color"
	"reflect"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/ui/kit"
)

// The focus ring (issue 11): every stop Tab reaches must show that it has
// the focus. These tests render the window with the focus on a stop and
// with no focus, and compare the pixels in and around the stop.

// focusRingMargin is how far outside a widget's bounds a ring may be drawn.
const focusRingMargin = 4

// minFocusDistance is the least colour change (the largest of the R, G
// and B differences, 0-255) a pixel must show to count as changed: more
// than antialiasing or a faint tint.
const minFocusDistance = 40

// variantTheme is the default theme fixed to one variant, so the tests
// see what a user of the light or the dark variant sees.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// themeVariants are the variants every focus test runs in.
var themeVariants = map[string]fyne.ThemeVariant{"light": theme.VariantLight, "dark": theme.VariantDark}

// useVariant makes the app draw with the default theme in variant v.
// It adds the focus theme as Run does.
func useVariant(app fyne.App, v fyne.ThemeVariant) {
	app.Settings().SetTheme(variantTheme{theme.DefaultTheme(), v})
	kit.UseTheme(app)
}

// boundsOf is where o is drawn on canvas c, in pixels, grown by margin.
func boundsOf(c fyne.Canvas, o fyne.CanvasObject, margin int) image.Rectangle {
	// The test driver's position leaves out the canvas's inset.
	inset, _ := c.InteractiveArea()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Add(inset)
	s, scale := o.Size(), c.Scale()
	r := image.Rect(int(pos.X*scale), int(pos.Y*scale), int((pos.X+s.Width)*scale+0.5), int((pos.Y+s.Height)*scale+0.5))
	return r.Inset(-margin)
}

// changedPixels counts the pixels in r whose colour differs between a and
// b by at least minFocusDistance.
func changedPixels(a, b image.Image, r image.Rectangle) int {
	r = r.Intersect(a.Bounds()).Intersect(b.Bounds())
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if colourDistance(a.At(x, y), b.At(x, y)) >= minFocusDistance {
				n++
			}
		}
	}
	return n
}

// colourDistance is the largest difference of the R, G and B channels of
// two colours, 0-255.
func colourDistance(a, b color.Color) int {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(x, y uint32) int { return abs(int(x>>8) - int(y>>8)) }
	return max(d(ar, br), d(ag, bg), d(ab, bb))
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// minChangedPixels is how many pixels must change for a widget in r to
// show focus visibly: as many as a 1 px ring around a square as high as
// the widget (at most 48 px high: in a list, a row takes the focus).
func minChangedPixels(r image.Rectangle) int {
	side := min(r.Dx(), r.Dy(), 48+2*focusRingMargin) - 2*focusRingMargin
	return 4 * side
}

// stopName is a readable name for a Tab stop: its kind and its text.
func stopName(f fyne.Focusable) string {
	switch w := f.(type) {
	case *widget.Button:
		return fmt.Sprintf("button %q", w.Text)
	case *escButton:
		if w.Text == "" {
			return "icon button"
		}
		return fmt.Sprintf("button %q", w.Text)
	case *widget.Entry:
		return fmt.Sprintf("entry %q", w.PlaceHolder)
	case *escEntry:
		return fmt.Sprintf("entry %q", w.PlaceHolder)
	case *findEntry:
		return fmt.Sprintf("entry %q", w.PlaceHolder)
	case *pickerEntry:
		return fmt.Sprintf("entry %q", w.PlaceHolder)
	case *widget.Check:
		return fmt.Sprintf("check %q", w.Text)
	case *escCheck:
		return fmt.Sprintf("check %q", w.Text)
	case *widget.Select:
		return fmt.Sprintf("select %q", w.Selected)
	case *escSelect:
		return fmt.Sprintf("select %q", w.Selected)
	case *widget.List, *profileList:
		return "list"
	case *valueLabel:
		return fmt.Sprintf("value %q", w.Text)
	}
	// Fyne's own parts, such as a radio group's items.
	if v := reflect.Indirect(reflect.ValueOf(f)); v.Kind() == reflect.Struct {
		if l := v.FieldByName("Label"); l.IsValid() && l.Kind() == reflect.String {
			return fmt.Sprintf("%s %q", v.Type().Name(), l.String())
		}
	}
	return reflect.TypeOf(f).String()
}

// checkFocusVisible presses Tab around canvas c from start and, for every
// stop, compares the canvas focused on the stop with the canvas without
// focus. A stop whose look does not change enough is reported by name.
// It returns the names of the stops it checked.
func checkFocusVisible(t *testing.T, c fyne.Canvas, start fyne.Focusable) []string {
	t.Helper()
	order := tabCycle(c, start, 80)
	c.Unfocus()
	plain, plainState := c.Capture(), drawnState(c)
	var names []string
	for _, stop := range order {
		name := stopName(stop)
		names = append(names, name)
		o, ok := stop.(fyne.CanvasObject)
		if !ok || !o.Visible() {
			t.Errorf("%s: a Tab stop that is not a visible object", name)
			continue
		}
		c.Focus(stop)
		focused := c.Capture()
		c.Unfocus()
		// Paint the unfocused canvas again only if unfocusing changed it
		// (an entry may check its text when it loses the focus).
		if s := drawnState(c); s != plainState {
			plain, plainState = c.Capture(), s
		}
		r := boundsOf(c, o, focusRingMargin)
		n, want := changedPixels(focused, plain, r), minChangedPixels(r)
		switch {
		case n >= want:
		case !r.Overlaps(focused.Bounds()):
			t.Errorf("%s: focused, it is out of sight at %v", name, r)
		default:
			t.Errorf("%s: focus changes %d pixels of its %v area, want at least %d", name, n, r.Size(), want)
		}
	}
	t.Logf("stops: %q", names)
	return names
}

// TestFocusVisibleOnEveryStop: every stop Tab reaches in the Manage window
// (with profiles and at first run), the profile form (new and edit), the
// picker and the import preview looks different when it has the focus,
// in the light and the dark variant.
func TestFocusVisibleOnEveryStop(t *testing.T) {
	tok := token("tok", t0.Add(-18*time.Minute), time.Hour)
	for vname, v := range themeVariants {
		t.Run(vname+"/window", func(t *testing.T) {
			h, m := openWindow(t, freshState("dev-api", tok), freshState("billing", tok))
			useVariant(h.app, v)
			m.selectProfile("dev-api")
			checkFocusVisible(t, m.win.Canvas(), m.addBtn)
		})
		t.Run(vname+"/first-run", func(t *testing.T) {
			h, m := openWindow(t)
			useVariant(h.app, v)
			checkFocusVisible(t, m.win.Canvas(), m.welcomeButtons[0]) // the list's own Add is hidden on the first run
		})
		t.Run(vname+"/new-profile", func(t *testing.T) {
			h, f := openForm(t, Options{TestProfiles: true}, "")
			useVariant(h.app, v)
			checkFocusVisible(t, f.win.Canvas(), f.name)
		})
		t.Run(vname+"/edit-profile", func(t *testing.T) {
			h, f := openForm(t, Options{TestProfiles: true}, "dev-api", freshState("dev-api", tok))
			useVariant(h.app, v)
			checkFocusVisible(t, f.win.Canvas(), f.name)
		})
		t.Run(vname+"/picker", func(t *testing.T) {
			h := pickerHarness(t)
			useVariant(h.app, v)
			p := h.c.picker
			checkFocusVisible(t, p.win.Canvas(), p.filter)
		})
		t.Run(vname+"/import-preview", func(t *testing.T) {
			h, m := openWindow(t)
			useVariant(h.app, v)
			var p *importPreview
			m.previewImport(importFixtures+"postman/Oauth2Folder.postman_collection.json", "", nil, func(got *importPreview) { p = got })
			h.settle()
			if p == nil {
				t.Fatal("no preview shown")
			}
			checkFocusVisible(t, m.win.Canvas(), p.envEntry)
		})
		t.Run(vname+"/delete-confirm", func(t *testing.T) {
			h, m := openWindow(t, freshState("dev-api", tok))
			useVariant(h.app, v)
			m.confirmDelete("dev-api")
			checkFocusVisible(t, m.win.Canvas(), findButton(m.win.Canvas().Overlays().Top(), "Cancel"))
		})
		t.Run(vname+"/discard-confirm", func(t *testing.T) {
			h, f := openForm(t, Options{TestProfiles: true}, "")
			useVariant(h.app, v)
			test.Type(f.name, "x")
			f.escapeWindow()
			checkFocusVisible(t, f.win.Canvas(), findButton(f.win.Canvas().Overlays().Top(), "Keep editing"))
		})
		t.Run(vname+"/error", func(t *testing.T) {
			h, m := openWindow(t, freshState("dev-api", tok))
			useVariant(h.app, v)
			m.showDialog(dialog.NewError(wordedError{"Could not delete."}, m.win))
			checkFocusVisible(t, m.win.Canvas(), findButton(m.win.Canvas().Overlays().Top(), "OK"))
		})
	}
}

// TestFocusThemeStrongerFocusOnly: the focus colour gets at least
// kit.FocusAlpha of opacity, keeping its hue; a theme's opaque focus colour
// and every other colour are left as they are.
func TestFocusThemeStrongerFocusOnly(t *testing.T) {
	test.NewTempApp(t)
	base := variantTheme{theme.DefaultTheme(), theme.VariantLight}
	ft := kit.Theme{Theme: base}
	got := color.NRGBAModel.Convert(ft.Color(theme.ColorNameFocus, theme.VariantLight)).(color.NRGBA)
	was := color.NRGBAModel.Convert(base.Color(theme.ColorNameFocus, theme.VariantLight)).(color.NRGBA)
	if was.A >= kit.FocusAlpha {
		t.Fatalf("Fyne's focus colour %v is already strong: the test shows nothing", was)
	}
	if got.A != kit.FocusAlpha || got.R != was.R || got.G != was.G || got.B != was.B {
		t.Errorf("focus colour %v from %v, want the same hue at alpha %#x", got, was, kit.FocusAlpha)
	}
	for _, n := range []fyne.ThemeColorName{theme.ColorNamePrimary, theme.ColorNameHover, theme.ColorNameSelection, theme.ColorNameButton} {
		if a, b := ft.Color(n, theme.VariantLight), base.Color(n, theme.VariantLight); a != b {
			t.Errorf("%s changed: %v, was %v", n, a, b)
		}
	}
	opaque := kit.Theme{Theme: opaqueFocus{base}}
	if c := opaque.Color(theme.ColorNameFocus, theme.VariantLight); c != (color.NRGBA{R: 0xff, A: 0xff}) {
		t.Errorf("an opaque focus colour became %v", c)
	}
}

// opaqueFocus is a theme with an opaque red focus colour.
type opaqueFocus struct{ fyne.Theme }

func (t opaqueFocus) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameFocus {
		return color.NRGBA{R: 0xff, A: 0xff}
	}
	return t.Theme.Color(n, v)
}

// TestMultiLineFieldsLetTabThrough: the form's multi-line fields do not
// take Tab (Fyne's driver then moves the focus on instead of typing a
// tab), so Tab gets past them to the rest of the form.
func TestMultiLineFieldsLetTabThrough(t *testing.T) {
	_, f := openForm(t, Options{TestProfiles: true}, "")
	for name, e := range map[string]*escEntry{"extra parameters": f.params, "extra headers": f.headers} {
		if !e.MultiLine {
			t.Fatalf("%s is not multi-line: the test shows nothing", name)
		}
		if fyne.Tabbable(e).AcceptsTab() {
			t.Errorf("%s takes Tab: a keyboard user cannot leave it", name)
		}
	}
}
