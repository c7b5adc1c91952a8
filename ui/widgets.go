package ui

import (
	"image/color"
	"math"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"

	"github.com/tokentray/tokentray/ui/kit"
)

// lifeBar is a thin bar showing the share of a token's lifetime left,
// coloured by state. It is a widget; set it only on the UI goroutine.
type lifeBar struct {
	widget.BaseWidget
	fraction float64 // 0..1
	colour   fyne.ThemeColorName
	height   float32
}

func newLifeBar(height float32) *lifeBar {
	b := &lifeBar{height: height, colour: theme.ColorNameDisabled}
	b.ExtendBaseWidget(b)
	return b
}

// set updates the bar; it refreshes only when its colour changes or its
// fill grows or shrinks by a whole pixel (a one-hour token's bar moves a
// pixel every few seconds, not every second).
func (b *lifeBar) set(fraction float64, colour fyne.ThemeColorName) {
	fraction = min(max(fraction, 0), 1)
	moved := b.fillWidth(fraction) != b.fillWidth(b.fraction)
	b.fraction = fraction // laid out with it next time in any case
	if !moved && colour == b.colour {
		return
	}
	b.colour = colour
	b.Refresh()
	counted(b)
}

// fillWidth is the width of the fill at fraction, in whole pixels of the
// bar's current size (0 before it is laid out).
func (b *lifeBar) fillWidth(fraction float64) int {
	return int(math.Round(float64(b.Size().Width) * fraction))
}

func (b *lifeBar) CreateRenderer() fyne.WidgetRenderer {
	r := &lifeBarRenderer{bar: b, track: canvas.NewRectangle(color.Transparent), fill: canvas.NewRectangle(color.Transparent)}
	r.track.CornerRadius = b.height / 2
	r.fill.CornerRadius = b.height / 2
	r.Refresh()
	return r
}

type lifeBarRenderer struct {
	bar         *lifeBar
	track, fill *canvas.Rectangle
}

func (r *lifeBarRenderer) Layout(size fyne.Size) {
	y := (size.Height - r.bar.height) / 2
	r.track.Move(fyne.NewPos(0, y))
	r.track.Resize(fyne.NewSize(size.Width, r.bar.height))
	r.fill.Move(fyne.NewPos(0, y))
	r.fill.Resize(fyne.NewSize(size.Width*float32(r.bar.fraction), r.bar.height))
}

func (r *lifeBarRenderer) MinSize() fyne.Size { return fyne.NewSize(40, r.bar.height) }

func (r *lifeBarRenderer) Refresh() {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	th := r.bar.Theme()
	r.track.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.fill.FillColor = th.Color(r.bar.colour, v)
	r.Layout(r.bar.Size())
	r.track.Refresh()
	r.fill.Refresh()
}

func (r *lifeBarRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.track, r.fill} }
func (r *lifeBarRenderer) Destroy()                     {}

// statusColour is the theme colour for a severity and status.
func statusColour(sev explain.Severity, hasToken bool) fyne.ThemeColorName {
	switch {
	case sev == explain.SeverityBad:
		return theme.ColorNameError
	case sev == explain.SeverityWarn:
		return theme.ColorNameWarning
	case !hasToken:
		return theme.ColorNameDisabled
	}
	return theme.ColorNameSuccess
}

// statusImportance is the label importance for a severity.
func statusImportance(sev explain.Severity) widget.Importance {
	switch sev {
	case explain.SeverityBad:
		return widget.DangerImportance
	case explain.SeverityWarn:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// kv is one row of a key/value grid.
type kv struct {
	Key, Value string
	Imp        widget.Importance // for the value; zero is medium
}

// kvGrid shows rows of key/value labels in a form layout and reuses its
// labels when the keys stay the same, so a once-a-second update neither
// flickers nor loses a text selection elsewhere.
// maxShownRunes caps one value in a kvGrid.
const maxShownRunes = 4096

type kvGrid struct {
	box    *fyne.Container
	keys   []*widget.Label
	values []*valueLabel // copyable (valueLabel)
	onEsc  func()        // Escape on a value
}

// newKVGrid returns an empty grid; Escape on one of its values calls
// onEsc.
func newKVGrid(onEsc func()) *kvGrid {
	return &kvGrid{box: container.New(&kit.KVLayout{}), onEsc: onEsc}
}

// set shows rows; an empty slice hides the grid. Keys and values are
// made printable first: many come from a server (JWT claims, error
// fields), and a control or bidi character must not reshape the window.
func (g *kvGrid) set(rows []kv) {
	rows = slices.Clone(rows)
	for i := range rows {
		rows[i].Key, rows[i].Value = tokens.Printable(rows[i].Key, maxShownRunes), tokens.Printable(rows[i].Value, maxShownRunes)
	}
	same := len(rows) == len(g.keys)
	for i := 0; same && i < len(rows); i++ {
		same = g.keys[i].Text == rows[i].Key
	}
	if !same {
		g.keys, g.values = g.keys[:0], g.values[:0]
		objs := make([]fyne.CanvasObject, 0, 2*len(rows))
		for _, r := range rows {
			k := widget.NewLabelWithStyle(r.Key, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
			v := newValueLabel(g.onEsc)
			g.keys, g.values = append(g.keys, k), append(g.values, v)
			objs = append(objs, container.New(minWidth(kvKeyWidth), k), v)
		}
		g.box.Objects = objs
	}
	for i, r := range rows {
		v := g.values[i]
		if v.Text != r.Value || v.Importance != r.Imp {
			v.Importance = r.Imp
			v.SetText(r.Value)
			counted(v)
		}
	}
	if !same {
		g.box.Refresh()
		counted(g.box)
	}
	if len(rows) == 0 {
		g.box.Hide()
	} else {
		g.box.Show()
	}
}

// value returns the value shown for key, for tests and copy actions.
func (g *kvGrid) value(key string) (string, bool) {
	for i, k := range g.keys {
		if k.Text == key {
			return g.values[i].Text, true
		}
	}
	return "", false
}

// section is a titled group in the details pane that hides itself when
// empty.
type section struct {
	title *widget.Label
	box   *fyne.Container
}

func newSection(title string, content ...fyne.CanvasObject) *section {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.Importance = widget.HighImportance
	t.Wrapping = fyne.TextWrapWord
	objs := append([]fyne.CanvasObject{t}, content...)
	return &section{title: t, box: container.NewVBox(objs...)}
}

func (s *section) setVisible(v bool) {
	if v {
		s.box.Show()
	} else {
		s.box.Hide()
	}
}

// kvKeyWidth is the least width of the key column, so the grids of the
// details pane line up with each other.
const kvKeyWidth = 150

// minWidth is a layout giving its single child at least w of width.
type minWidth float32

func (m minWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(0, 0)
	for _, o := range objs {
		if o.Visible() {
			s = s.Max(o.MinSize())
		}
	}
	return fyne.NewSize(max(s.Width, float32(m)), s.Height)
}

func (m minWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// newWrapped returns an empty label that wraps at word boundaries, in the
// colour of importance imp: the window's notes, warnings and messages.
func newWrapped(imp widget.Importance) *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = imp
	return l
}
