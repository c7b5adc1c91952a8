package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// picker is the quick picker (`tokentray pick`): a small window where the
// keyboard does everything. Typing filters the profiles, Up and Down move,
// Enter copies the chosen profile's token, Shift+Enter copies it as an
// "Authorization: Bearer …" header, Escape closes. Each row shows the
// profile's state and time left. The copy is reported as tray copies are
// (notification, tray line). Touch it only on the UI goroutine.
type picker struct {
	ctl    *controller
	win    fyne.Window
	filter *pickerEntry
	list   *widget.List
	hint   *widget.Label
	frame  *canvas.Rectangle // the border around it all

	names    []string // profiles shown, in order
	chosen   int      // index in names; -1 when none
	closed   bool
	stopTick func()
}

// pickerHint says what the keys do.
const pickerHint = "Enter: copy · Shift+Enter: copy as header · Esc: close"

// showPicker opens the quick picker, or brings the open one up. (ui)
func (c *controller) showPicker() {
	if c.picker != nil && !c.picker.closed {
		c.picker.win.Show()
		c.picker.win.RequestFocus()
		c.picker.win.Canvas().Focus(c.picker.filter)
		return
	}
	c.picker = newPicker(c)
}

func newPicker(c *controller) *picker {
	p := &picker{ctl: c, chosen: -1}
	p.win = c.app.NewWindow("Tokentray — Copy a token")
	p.filter = newPickerEntry(p)
	p.list = widget.NewList(
		func() int { return len(p.names) },
		func() fyne.CanvasObject { return newProfileRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) { p.updateRow(id, o.(*profileRow)) },
	)
	p.list.OnSelected = func(id widget.ListItemID) { p.chosen = id; p.updateHint() }
	p.hint = widget.NewLabel(pickerHint)
	p.hint.Truncation = fyne.TextTruncateEllipsis
	p.hint.Alignment = fyne.TextAlignCenter
	p.hint.SizeName = theme.SizeNameCaptionText // small, but in the text colour: the dimmed colour was hard to read
	// A frame in the primary colour, so the picker stands out from the
	// window behind it (issue 29: it melted into it).
	frame := canvas.NewRectangle(color.Transparent)
	frame.StrokeColor = theme.Color(theme.ColorNamePrimary)
	frame.StrokeWidth = 2
	p.frame = frame
	p.win.SetContent(container.NewStack(frame, container.NewBorder(container.NewPadded(p.filter), p.hint, nil, nil, p.list)))
	p.win.Resize(fyne.NewSize(480, 380))
	p.win.CenterOnScreen()
	p.win.SetCloseIntercept(p.close)
	p.refilter()
	// The time left counts down while the picker is open.
	ticks, stop := c.ticker(time.Second)
	done := make(chan struct{})
	p.stopTick = func() { stop(); close(done) }
	go func() {
		for {
			select {
			case <-done:
				return
			case <-ticks:
				c.ui(func() {
					if !p.closed {
						p.list.Refresh()
					}
				})
			}
		}
	}()
	p.win.Show()
	p.win.RequestFocus()
	p.win.Canvas().Focus(p.filter)
	return p
}

// refilter shows the profiles matching the typed text and chooses the
// first.
func (p *picker) refilter() {
	p.names = p.names[:0]
	if s := p.ctl.snap; s != nil {
		for i := range s.Profiles {
			if n := s.Profiles[i].Profile.Name; matchesFind(n, p.filter.Text) {
				p.names = append(p.names, n)
			}
		}
	}
	sortNames(p.names)
	p.list.Refresh()
	p.choose(0)
}

// choose selects row i (clamped); no rows: none.
func (p *picker) choose(i int) {
	if len(p.names) == 0 {
		p.chosen = -1
		p.list.UnselectAll()
		return
	}
	i = min(max(i, 0), len(p.names)-1)
	p.chosen = i
	p.updateHint()
	p.list.Select(i)
	p.list.ScrollTo(i)
}

func (p *picker) updateRow(id widget.ListItemID, r *profileRow) {
	r.setFocused(id >= 0 && id == focusedRow(p.list))
	if id < 0 || id >= len(p.names) || p.ctl.snap == nil {
		return
	}
	if ps, ok := p.ctl.snap.Find(p.names[id]); ok {
		r.set(ps.Profile.Name, explain.Describe(ps, p.ctl.now()))
	}
}

// copyChosen copies the chosen profile's token in format f and closes the
// picker; the outcome is reported as for the tray. A profile waiting for a
// sign-in is signed in to instead, as from the tray.
func (p *picker) copyChosen(f copyFormat) {
	if p.chosen < 0 || p.chosen >= len(p.names) {
		return
	}
	name := p.names[p.chosen]
	p.close()
	if p.signsIn(name) {
		p.ctl.signIn(name)
		return
	}
	p.ctl.copyToken(name, f, nil)
}

func (p *picker) close() {
	if p.closed {
		return
	}
	p.closed = true
	p.stopTick()
	p.win.Close()
	if p.ctl.picker == p {
		p.ctl.picker = nil
	}
}

// setSnapshot redraws the rows with new states (names may change). (ui)
func (p *picker) setSnapshot(*tokens.Snapshot) {
	chosen := ""
	if p.chosen >= 0 && p.chosen < len(p.names) {
		chosen = p.names[p.chosen]
	}
	p.refilter()
	for i, n := range p.names {
		if n == chosen {
			p.choose(i)
		}
	}
}

// pickerEntry is the picker's filter field; it takes the picker's keys
// and tracks Shift for Shift+Enter (Fyne's key events carry no modifiers).
type pickerEntry struct {
	widget.Entry
	pick  *picker
	shift bool
}

func newPickerEntry(p *picker) *pickerEntry {
	e := &pickerEntry{pick: p}
	e.PlaceHolder = "Type to find a profile"
	e.OnChanged = func(string) { p.refilter() }
	e.ExtendBaseWidget(e)
	return e
}

func (e *pickerEntry) KeyDown(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		e.shift = true
	}
	e.Entry.KeyDown(k)
}

func (e *pickerEntry) KeyUp(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		e.shift = false
	}
	e.Entry.KeyUp(k)
}

func (e *pickerEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		e.pick.close()
	case fyne.KeyReturn, fyne.KeyEnter:
		if e.shift {
			e.pick.copyChosen(copyHeader)
		} else {
			e.pick.copyChosen(copyRaw)
		}
	case fyne.KeyDown:
		e.pick.choose(e.pick.chosen + 1)
	case fyne.KeyUp:
		e.pick.choose(e.pick.chosen - 1)
	default:
		e.Entry.TypedKey(k)
	}
}
