package ui

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/tokentray/tokentray/ui/platform/instance"
)

// settleUntil settles queued work until ok holds; other processes' requests
// arrive on a goroutine, so their UI work is queued a moment later.
func (h *harness) settleUntil(what string, ok func() bool) {
	h.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		h.settle()
		if ok() {
			return
		}
	}
	h.t.Fatalf("still waiting for %s", what)
}

func TestRemoteReloadAndShow(t *testing.T) {
	remote := make(chan instance.Command)
	h := newHarness(t, Options{Remote: remote})
	h.store.profiles["a"] = testProfile("a")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.c.start(ctx)
	h.settle()
	if got := h.eng.names(); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("engine profiles at start %q", got)
	}
	if h.c.win != nil && h.c.win.visible {
		t.Fatal("window shown at start although a tray and a profile exist")
	}

	// The command line adds b, then tells the app.
	h.store.profiles["b"] = testProfile("b")
	remote <- instance.Reload
	h.settleUntil("b to reach the engine", func() bool { return slices.Equal(h.eng.names(), []string{"a", "b"}) })

	// It removes everything: unlike at start, a reload does not pop up the window.
	clear(h.store.profiles)
	remote <- instance.Reload
	h.settleUntil("the engine to be emptied", func() bool { return len(h.eng.names()) == 0 })
	if h.c.win != nil && h.c.win.visible {
		t.Fatal("a reload opened the window")
	}

	// A second launch asks for the window.
	remote <- instance.Show
	h.settleUntil("the window", func() bool { return h.c.win != nil && h.c.win.visible })
}

func TestOverlappingLoadsApplyTheLatest(t *testing.T) {
	h := newHarness(t, Options{})
	h.store.profiles["a"] = testProfile("a")
	h.c.loadProfiles(true)
	h.store.profiles["b"] = testProfile("b")
	h.c.loadProfiles(false) // queued before the first ran
	h.settle()
	if h.eng.sets != 1 || !slices.Equal(h.eng.names(), []string{"a", "b"}) {
		t.Fatalf("engine got %d SetProfiles, last %q; want one, with a and b", h.eng.sets, h.eng.names())
	}
	if h.c.load.loading {
		t.Fatal("still loading after both loads ended")
	}
}
