package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// requestsSection is the details pane's "Requests" section: the profile's
// last token exchanges (tokens.ProfileState.LogEntries, already redacted),
// newest first, one row each with its time, status and duration; a click
// opens the exchange in full. It also offers "Copy as curl". It rebuilds
// its rows only when the log changes (another profile, or a newer
// exchange), so the window's per-second countdown costs it one comparison.
// Touch it only on the UI goroutine.
type requestsSection struct {
	d       *detailsPane
	esc     func()
	sec     *section
	curlBtn *escButton
	none    *widget.Label
	list    *fyne.Container
	rows    []*escButton // for tests, newest first

	name    string          // profile whose log is shown
	shown   []loggedEntry   // the log shown
	renders int             // times the rows were rebuilt (tests)
	dialog  *exchangeDialog // the exchange open, if any
}

func newRequestsSection(d *detailsPane, esc func()) *requestsSection {
	r := &requestsSection{d: d, esc: esc}
	r.curlBtn = newEscButton("Copy as curl", theme.ContentCopyIcon(), r.copyCurl, esc)
	r.none = widget.NewLabel("No token request made since Tokentray started.")
	r.none.Importance = widget.LowImportance
	r.none.Wrapping = fyne.TextWrapWord
	r.list = container.NewVBox()
	note := widget.NewLabel("The last 20, newest first, kept in memory only; secrets are hidden.")
	note.Importance = widget.LowImportance
	note.Wrapping = fyne.TextWrapWord
	r.sec = newSection("Requests", container.NewBorder(nil, nil, nil, r.curlBtn, note), r.none, r.list)
	return r
}

// update shows the log of ps (with its Tests) when it differs from the
// one shown.
func (r *requestsSection) update(ps *tokens.ProfileState) {
	log := r.d.ctl.requestLog(ps)
	if ps.Profile.Name == r.name && sameLog(log, r.shown) {
		return
	}
	r.name, r.shown = ps.Profile.Name, log
	r.renders++
	r.rows = r.rows[:0]
	objs := make([]fyne.CanvasObject, 0, len(log))
	for _, x := range log {
		label := explain.LogEntrySummary(x.LogEntry)
		if x.test {
			label = "Test · " + label
		}
		b := newEscButton(label, nil, func() { r.open(x.LogEntry) }, r.esc)
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		if x.Status == 0 || x.Status >= 400 {
			b.Importance = widget.WarningImportance
		}
		r.rows = append(r.rows, b)
		objs = append(objs, b)
	}
	r.list.Objects = objs
	r.list.Refresh()
	if len(log) == 0 {
		r.none.Show()
	} else {
		r.none.Hide()
	}
}

// sameLog reports whether two logs (newest first) hold the same exchanges:
// a log only grows at its front, so the length and the newest one say it.
func sameLog(a, b []loggedEntry) bool {
	if len(a) != len(b) {
		return false
	}
	return len(a) == 0 || a[0].Seq == b[0].Seq && a[0].test == b[0].test && a[0].Started.Equal(b[0].Started)
}

func (r *requestsSection) copyCurl() {
	name := r.d.name
	r.d.ctl.copyCurl(name, func(m statusMsg) {
		if r.d.name == name {
			r.d.say(m)
		}
	})
}

// exchangeDialog shows one exchange in full, in monospace, with Copy.
type exchangeDialog struct {
	dlg     dialog.Dialog
	text    *widget.Label
	copyBtn *widget.Button
}

// open shows exchange x in a dialog over the window.
func (r *requestsSection) open(x tokens.LogEntry) {
	win := r.d.ctl.win
	e := newLogEntryDialog(r.d.ctl, x, "Token request of "+r.name+", "+explain.LogEntrySummary(x), win.win)
	r.dialog = e
	e.dlg.SetOnClosed(func() {
		if r.dialog == e {
			r.dialog = nil
		}
	})
	win.showDialog(e.dlg)
}

// newLogEntryDialog builds (without showing) the dialog of exchange x over
// parent: the exchange in monospace, with Copy.
func newLogEntryDialog(c *controller, x tokens.LogEntry, title string, parent fyne.Window) *exchangeDialog {
	text := explain.LogEntry(x)
	e := &exchangeDialog{text: widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})}
	e.copyBtn = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		c.copyPlain(text)
		e.copyBtn.SetText("Copied")
	})
	scroll := container.NewScroll(e.text)
	scroll.SetMinSize(fyne.NewSize(640, 380))
	body := container.NewBorder(nil, container.NewHBox(e.copyBtn,
		widget.NewLabel("The text has no secrets: paste it into a bug report.")), nil, nil, scroll)
	e.dlg = dialog.NewCustom(title, "Close", body, parent)
	return e
}
