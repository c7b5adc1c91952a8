package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// profileRow is one list row: a state dot, the name and the countdown,
// the state in words, and the lifetime bar.
type profileRow struct {
	widget.BaseWidget
	id     widget.ListItemID // the item shown, as the list last bound it
	dot    *canvas.Circle
	name   *widget.Label
	left   *clockText // the countdown
	detail *canvas.Text
	bar    *lifeBar
	box    *fyne.Container
	ring   *canvas.Rectangle // shown while the keyboard focus is on the row (setFocused)

	shownPS  *tokens.ProfileState // the state show last showed, and
	shownSec int64                // at which second
}

func newProfileRow() *profileRow {
	r := &profileRow{
		id:     -1,
		dot:    canvas.NewCircle(theme.Color(theme.ColorNameDisabled)),
		name:   widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		left:   newClockText(fyne.TextAlignTrailing),
		detail: canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder)),
		bar:    newLifeBar(4),
		ring:   newFocusRing(),
	}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.detail.TextSize = theme.CaptionTextSize()
	dot := container.NewCenter(container.New(layout.NewGridWrapLayout(fyne.NewSize(10, 10)), r.dot))
	indent := 10 + theme.Padding() + theme.InnerPadding()
	r.box = container.New(layout.NewCustomPaddedVBoxLayout(0),
		container.NewBorder(nil, nil, dot, r.left, r.name),
		container.New(layout.NewCustomPaddedLayout(-theme.InnerPadding(), 0, indent, 0), r.detail),
		container.New(layout.NewCustomPaddedLayout(theme.Padding(), theme.Padding(), 0, 0), r.bar),
	)
	r.ExtendBaseWidget(r)
	return r
}

func (r *profileRow) CreateRenderer() fyne.WidgetRenderer {
	// The ring's stroke is centred on its outline: inset by half of it.
	// Under the row's content, the state dot and the bar stay whole.
	half := float32(focusRingWidth) / 2
	return widget.NewSimpleRenderer(container.NewStack(container.New(layout.NewCustomPaddedLayout(half, half, half, half), r.ring), r.box))
}

// show shows ps at now. It computes the row's texts at most once a second
// for one state, however often the list and the tick ask.
func (r *profileRow) show(ps *tokens.ProfileState, now time.Time) {
	if sec := now.Unix(); ps != r.shownPS || sec != r.shownSec {
		r.shownPS, r.shownSec = ps, sec
		r.set(ps.Profile.Name, explain.Describe(ps, now))
	}
}

// set shows profile name in state s, touching only what changed.
func (r *profileRow) set(name string, s explain.State) {
	setText(r.name, name)
	r.left.SetText(s.Countdown)
	col := theme.Color(theme.ColorNamePlaceHolder)
	switch s.Severity {
	case explain.SeverityBad:
		col = theme.Color(theme.ColorNameError)
	case explain.SeverityWarn:
		col = theme.Color(theme.ColorNameWarning)
	}
	if r.detail.Text != s.Detail || r.detail.Color != col {
		r.detail.Text, r.detail.Color = s.Detail, col
		r.detail.Refresh()
		counted(r.detail)
	}
	r.bar.set(s.Fraction, statusColour(s.Severity, s.HasToken))
	dotCol := theme.Color(statusColour(s.Severity, s.HasToken))
	if r.dot.FillColor != dotCol {
		r.dot.FillColor = dotCol
		r.dot.Refresh()
		counted(r.dot)
	}
}

// withAlpha returns c, opaque colour channels kept, with alpha a.
func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}
