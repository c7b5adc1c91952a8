package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/platform/instance"
)

func pickerHarness(t *testing.T) *harness {
	t.Helper()
	remote := make(chan instance.Command, 1)
	h := newHarness(t, Options{Remote: remote})
	h.c.load.loading = false
	toks := map[string]*tokens.Token{
		"billing": token("tok-billing", t0.Add(-50*time.Minute), time.Hour),
		"dev-api": token("tok-dev", t0.Add(-18*time.Minute), time.Hour),
		"staging": token("tok-staging", t0, time.Hour),
	}
	h.publish(freshState("billing", toks["billing"]), freshState("dev-api", toks["dev-api"]), freshState("staging", toks["staging"]))
	h.eng.token = func(_ context.Context, name string, _ time.Duration) (*tokens.Token, error) { return toks[name], nil }
	// `tokentray pick` arrives over the instance socket.
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go h.c.serveRemote(ctx)
	remote <- instance.Pick
	for deadline := time.Now().Add(5 * time.Second); h.c.picker == nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the pick command did not open the picker")
		}
		h.settle()
	}
	return h
}

// TestPickerTypeToFilterEnterCopies: the picker opens with the filter
// focused and every profile listed with its state; typing filters, Enter
// copies the chosen token and closes.
func TestPickerTypeToFilterEnterCopies(t *testing.T) {
	h := pickerHarness(t)
	p := h.c.picker
	if p.win.Canvas().Focused() != fyne.Focusable(p.filter) {
		t.Error("the filter field has no focus: the picker is not keyboard-first")
	}
	if strings.Join(p.names, ",") != "billing,dev-api,staging" || p.chosen != 0 {
		t.Fatalf("names %q chosen %d", p.names, p.chosen)
	}
	p.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	saveScreenshot(t, p.win, "picker.png")
	p.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	r := newProfileRow()
	p.updateRow(1, r)
	if r.name.Text != "dev-api" || r.left.Text != "42:00" {
		t.Errorf("row shows %q %q, want its time left", r.name.Text, r.left.Text)
	}
	test.Type(p.filter, "dev")
	if strings.Join(p.names, ",") != "dev-api" {
		t.Fatalf("filter %q shows %q", p.filter.Text, p.names)
	}
	p.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.settle()
	if got := h.app.Clipboard().Content(); got != "tok-dev" {
		t.Fatalf("clipboard %q", got)
	}
	if !p.closed || h.c.picker != nil {
		t.Error("the picker stays open after copying")
	}
	if notes := h.takeNotes(); len(notes) != 1 || !strings.HasPrefix(notes[0].title, "Copied token for dev-api") {
		t.Errorf("notes %+v", notes)
	}
}

// TestPickerArrowsShiftEnterAndEscape: Down moves, Shift+Enter copies the
// header form, Escape closes without copying.
func TestPickerArrowsShiftEnterAndEscape(t *testing.T) {
	h := pickerHarness(t)
	p := h.c.picker
	p.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	p.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	p.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown}) // stays on the last
	if p.chosen != 2 {
		t.Fatalf("chosen %d after three Downs", p.chosen)
	}
	p.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	p.filter.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	p.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	p.filter.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	h.settle()
	if got := h.app.Clipboard().Content(); got != "Authorization: Bearer tok-dev" {
		t.Fatalf("Shift+Enter copied %q", got)
	}

	h.c.showPicker()
	p = h.c.picker
	h.app.Clipboard().SetContent("mine")
	p.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	h.settle()
	if !p.closed || h.app.Clipboard().Content() != "mine" {
		t.Errorf("Escape: closed %v, clipboard %q", p.closed, h.app.Clipboard().Content())
	}
	// Nothing matches: Enter does nothing.
	h.c.showPicker()
	p = h.c.picker
	test.Type(p.filter, "zzz")
	p.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.settle()
	if p.closed || h.app.Clipboard().Content() != "mine" {
		t.Error("Enter with no match copied or closed")
	}
	saveScreenshot(t, p.win, "picker-nomatch.png")
}
