//go:build ignore

// gen_icons draws Tokentray's icons: the application icon and the three tray
// icons whose colour tells the overall state. Run with `go generate ./assets`.
// With -hicolor DIR it draws the application icon instead in the sizes of
// the freedesktop hicolor theme, DIR/NxN/apps/io.github.tokentray.png, for
// the Linux packages (.ci/package), each drawn at its size, not scaled.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
	"path/filepath"

	"golang.org/x/image/vector"
)

const k = 0.5522847498 // cubic Bézier circle constant

type pen struct {
	r *vector.Rasterizer
	s float32
}

func (p pen) circle(cx, cy, rad float32, clockwise bool) {
	cx, cy, rad = cx*p.s, cy*p.s, rad*p.s
	c := rad * k
	r := p.r
	if clockwise {
		r.MoveTo(cx+rad, cy)
		r.CubeTo(cx+rad, cy+c, cx+c, cy+rad, cx, cy+rad)
		r.CubeTo(cx-c, cy+rad, cx-rad, cy+c, cx-rad, cy)
		r.CubeTo(cx-rad, cy-c, cx-c, cy-rad, cx, cy-rad)
		r.CubeTo(cx+c, cy-rad, cx+rad, cy-c, cx+rad, cy)
	} else {
		r.MoveTo(cx+rad, cy)
		r.CubeTo(cx+rad, cy-c, cx+c, cy-rad, cx, cy-rad)
		r.CubeTo(cx-c, cy-rad, cx-rad, cy-c, cx-rad, cy)
		r.CubeTo(cx-rad, cy+c, cx-c, cy+rad, cx, cy+rad)
		r.CubeTo(cx+c, cy+rad, cx+rad, cy+c, cx+rad, cy)
	}
	r.ClosePath()
}

func (p pen) rect(x0, y0, x1, y1 float32) {
	s := p.s
	p.r.MoveTo(x0*s, y0*s)
	p.r.LineTo(x1*s, y0*s)
	p.r.LineTo(x1*s, y1*s)
	p.r.LineTo(x0*s, y1*s)
	p.r.ClosePath()
}

func (p pen) roundRect(x0, y0, x1, y1, rad float32) {
	s := p.s
	x0, y0, x1, y1, rad = x0*s, y0*s, x1*s, y1*s, rad*s
	c := rad * (1 - k)
	r := p.r
	r.MoveTo(x0+rad, y0)
	r.LineTo(x1-rad, y0)
	r.CubeTo(x1-c, y0, x1, y0+c, x1, y0+rad)
	r.LineTo(x1, y1-rad)
	r.CubeTo(x1, y1-c, x1-c, y1, x1-rad, y1)
	r.LineTo(x0+rad, y1)
	r.CubeTo(x0+c, y1, x0, y1-c, x0, y1-rad)
	r.LineTo(x0, y0+rad)
	r.CubeTo(x0, y0+c, x0+c, y0, x0+rad, y0)
	r.ClosePath()
}

func fill(dst *image.RGBA, col color.Color, shape func(p pen)) {
	b := dst.Bounds()
	r := vector.NewRasterizer(b.Dx(), b.Dy())
	shape(pen{r: r, s: float32(b.Dx())})
	r.Draw(dst, b, image.NewUniform(col), image.Point{})
}

// key draws a horizontal key: a ring (bow), a shaft and two teeth.
func key(p pen) {
	p.circle(0.33, 0.5, 0.19, true)
	p.circle(0.33, 0.5, 0.085, false)
	p.rect(0.50, 0.455, 0.83, 0.545)
	p.rect(0.66, 0.545, 0.72, 0.66)
	p.rect(0.755, 0.545, 0.83, 0.635)
}

func icon(size int, bg color.Color, bgInset, bgRadius float32) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	fill(img, bg, func(p pen) { p.roundRect(bgInset, bgInset, 1-bgInset, 1-bgInset, bgRadius) })
	fill(img, color.White, key)
	return img
}

func save(name string, img image.Image) {
	f, err := os.Create(name)
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// hicolorSizes are the icon theme sizes the packages install.
var hicolorSizes = []int{16, 24, 32, 48, 64, 128, 256, 512}

func main() {
	hicolor := flag.String("hicolor", "", "draw the application icon into this hicolor theme directory")
	flag.Parse()
	if *hicolor != "" {
		for _, n := range hicolorSizes {
			dir := filepath.Join(*hicolor, fmt.Sprintf("%dx%d", n, n), "apps")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				log.Fatal(err)
			}
			save(filepath.Join(dir, "io.github.tokentray.png"), icon(n, color.RGBA{0x25, 0x63, 0xeb, 0xff}, 0.04, 0.2))
		}
		return
	}
	save("icon.png", icon(512, color.RGBA{0x25, 0x63, 0xeb, 0xff}, 0.04, 0.2))
	save("icon-128.png", icon(128, color.RGBA{0x25, 0x63, 0xeb, 0xff}, 0.04, 0.2))
	save("tray-ok.png", icon(64, color.RGBA{0x15, 0x80, 0x3d, 0xff}, 0.0, 0.18))
	save("tray-warn.png", icon(64, color.RGBA{0xd9, 0x77, 0x06, 0xff}, 0.0, 0.18))
	save("tray-error.png", icon(64, color.RGBA{0xdc, 0x26, 0x26, 0xff}, 0.0, 0.18))
}
