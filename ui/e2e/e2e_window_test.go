//go:build unix

package e2e

import (
	"image"
	"image/color"
	"image/draw"
	"strings"
	"testing"
	"time"
)

// TestE2EWindowRendered runs `tokentray --demo --show`, waits for the
// Manage profiles window on the X display and checks from a screenshot that
// it has rendered content. The screenshot is kept as an artifact.
func TestE2EWindowRendered(t *testing.T) {
	e2eRequireSession(t)
	e2ePanel(t) // a panel is present, as on a desktop
	app := e2eStart(t, tokentrayBin, "--demo", "--show")
	id := e2eWaitWindow(t, app, "Tokentray", 90*time.Second)
	e2eWaitRendered(t, app, id, "tokentray-window.png")
	if out := app.output(); strings.Contains(out, "panic:") {
		t.Errorf("the app panicked:\n%s", e2eTail([]byte(out), 30))
	}
}

// TestE2EHarnessBareWindow checks the window half of the harness on the
// bare Fyne app: a shown window with one label must pass the rendered check.
func TestE2EHarnessBareWindow(t *testing.T) {
	e2eRequireSession(t)
	e2ePanel(t)
	app := e2eStart(t, baretrayBin, "-show")
	id := e2eWaitWindow(t, app, "^Baretray$", 90*time.Second)
	e2eWaitRendered(t, app, id, "baretray-window.png")
}

// TestE2ERenderedCheck pins the screenshot analysis on synthetic images: a
// flat (never drawn) window fails, a window with anti-aliased text passes.
func TestE2ERenderedCheck(t *testing.T) {
	bg := color.RGBA{0x17, 0x17, 0x18, 0xff}
	win := image.Rect(100, 50, 500, 350)
	screen := image.NewRGBA(image.Rect(0, 0, 800, 600))

	draw.Draw(screen, win, image.NewUniform(bg), image.Point{}, draw.Src)
	if p := e2eMeasure(screen, win).renderedProblem(); p == "" {
		t.Error("a flat window passed as rendered")
	}
	black := image.NewRGBA(screen.Bounds())
	if p := e2eMeasure(black, win).renderedProblem(); p == "" {
		t.Error("a black screen passed as rendered")
	}
	if p := e2eMeasure(screen, image.Rect(0, 0, 20, 20)).renderedProblem(); !strings.Contains(p, "area") {
		t.Errorf("a tiny region: problem %q, want one about its area", p)
	}

	// "Text": a few lines of glyph-like strokes with anti-aliased grey edges.
	for line := 0; line < 6; line++ {
		y0 := win.Min.Y + 20 + line*30
		for x := win.Min.X + 20; x < win.Min.X+300; x += 7 {
			for y := y0; y < y0+12; y++ {
				screen.Set(x, y, color.RGBA{0xf0, 0xf0, 0xf0, 0xff})
				shade := uint8(0x30 + (x*7+y*13)%0xb0)
				screen.Set(x+1, y, color.RGBA{shade, shade, shade, 0xff})
			}
		}
	}
	s := e2eMeasure(screen, win)
	if p := s.renderedProblem(); p != "" {
		t.Errorf("a window with text failed: %s (%+v)", p, s)
	}
	if s.Dominant != bg || s.Pixels != win.Dx()*win.Dy() {
		t.Errorf("dominant %v over %d pixels, want %v over %d", s.Dominant, s.Pixels, bg, win.Dx()*win.Dy())
	}
}
