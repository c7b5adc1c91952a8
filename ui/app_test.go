package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

func TestLoadErrorShowsBanner(t *testing.T) {
	h := newHarness(t, Options{})
	h.store.loadErr = errNoKeyring
	h.c.loadProfiles(true)
	if got := *h.c.tray.notice.Load(); got != "Loading profiles…" {
		t.Errorf("tray notice while loading %q", got)
	}
	h.settle()
	m := h.c.win
	if m == nil || !m.visible {
		t.Fatal("the window is not shown after a load failure")
	}
	// Plain words and what to do first; the D-Bus error only as detail.
	if !m.banner.Visible() || !strings.HasPrefix(m.bannerText.Text, "No keyring is answering") ||
		!strings.Contains(m.bannerText.Text, "Install or start a Secret Service such as gnome-keyring or KeePassXC") ||
		!m.retryBtn.Visible() {
		t.Errorf("banner %v %q", m.banner.Visible(), m.bannerText.Text)
	}
	if got := *h.c.tray.notice.Load(); got != "Profiles could not be loaded — see Manage profiles" {
		t.Errorf("tray notice %q", got)
	}
	h.store.loadErr = nil
	h.store.profiles["dev-api"] = testProfile("dev-api")
	test.Tap(m.retryBtn)
	h.settle()
	if m.banner.Visible() {
		t.Error("banner still shown after a good retry")
	}
	if len(h.eng.profiles) != 1 || h.eng.profiles[0].Name != "dev-api" {
		t.Errorf("engine got %+v", h.eng.profiles)
	}
}

// A damaged list of profiles is explained, with Repair: the profiles come
// back and a dialog names them.
func TestDamagedIndexOffersRepair(t *testing.T) {
	h := newHarness(t, Options{})
	h.store.profiles["dev-api"] = testProfile("dev-api")
	h.store.profiles["billing"] = testProfile("billing")
	h.store.loadErr = fmt.Errorf("profile index: %w: %w", tokens.ErrDamagedIndex, tokens.ErrCorruptItem)
	h.c.loadProfiles(true)
	h.settle()
	m := h.c.win
	if m == nil || !m.visible || !m.repairBtn.Visible() || !m.retryBtn.Visible() ||
		!strings.HasPrefix(m.bannerText.Text, "The list of your profiles in the keyring is damaged") ||
		!strings.Contains(m.bannerText.Text, "Press Repair") {
		t.Fatalf("banner %q, repair shown %v", m.bannerText.Text, m.repairBtn.Visible())
	}
	test.Tap(m.repairBtn)
	h.settle()
	if h.store.repairs != 1 || m.banner.Visible() || m.repairBtn.Visible() {
		t.Fatalf("after Repair: %d repairs, banner %v %q", h.store.repairs, m.banner.Visible(), m.bannerText.Text)
	}
	if got := h.eng.names(); !slices.Equal(got, []string{"billing", "dev-api"}) {
		t.Errorf("engine holds %v after the repair", got)
	}
	if m.dlg == nil {
		t.Fatal("no dialog after the repair")
	}
	if got := dialogText(m.win.Canvas().Overlays().Top()); !strings.Contains(got, "Found 2 profiles: “billing” and “dev-api”.") || !strings.Contains(got, "Nothing was deleted.") {
		t.Errorf("repair dialog says %q", got)
	}
	// Another load problem offers no Repair.
	h.store.loadErr = errNoKeyring
	h.c.loadProfiles(false)
	h.settle()
	if m.repairBtn.Visible() || !m.retryBtn.Visible() {
		t.Errorf("keyring absent: repair shown %v, retry shown %v", m.repairBtn.Visible(), m.retryBtn.Visible())
	}
}

// A profile that cannot be read is named in the banner made printable: a
// name read back from a damaged keyring (repair lists any it finds) cannot
// put control or bidirectional characters on screen.
func TestBannerEscapesBrokenProfileNames(t *testing.T) {
	h := newHarness(t, Options{})
	h.store.profiles["dev-api"] = testProfile("dev-api")
	h.store.broken = []*tokens.ProfileError{{Name: "evil\x1b[2J\u202e", Err: tokens.ErrCorruptItem}}
	h.c.loadProfiles(true)
	h.settle()
	m := h.c.win
	if m == nil || !strings.Contains(m.bannerText.Text, "Profile “evil") || strings.ContainsAny(m.bannerText.Text, "\x1b\u202e") {
		t.Fatalf("banner %q", m.bannerText.Text)
	}
}

func TestRepairSummaryEscapesNames(t *testing.T) {
	got := repairSummary(tokens.RepairReport{
		Profiles: []string{"a", "evil\x1b[2J\u202e"},
		Added:    []string{"a"},
		Dropped:  []string{"ghost"},
		Broken:   []*tokens.ProfileError{{Name: "evil\x1b[2J\u202e", Err: tokens.ErrCorruptItem}},
	})
	if strings.ContainsAny(got, "\x1b\u202e") {
		t.Errorf("control characters in %q", got)
	}
	for _, want := range []string{"Found 2 profiles: “a” and “evil", "Found again (stored but not listed): “a”.",
		"No longer listed (nothing was stored under the name): “ghost”.", "Cannot be read, kept so you can delete it: “evil"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
}

func TestStartWithoutVisibleTray(t *testing.T) {
	h := newHarness(t, Options{})
	h.noTray = true
	h.store.profiles["dev-api"] = testProfile("dev-api")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.c.start(ctx)
	h.settle()
	m := h.c.win
	if m == nil || !m.visible {
		t.Fatal("window not shown although no tray is visible")
	}
	if !strings.Contains(m.bannerText.Text, "No system tray was found") || m.retryBtn.Visible() {
		t.Errorf("banner %q (retry shown: %v)", m.bannerText.Text, m.retryBtn.Visible())
	}
	h.c.clip.put("tok")
	m.closeRequested()
	if h.app.Clipboard().Content() != "" {
		t.Error("closing without a tray should quit (and clear our token)")
	}
}

func TestStartWithTrayLoadsAndStaysInTray(t *testing.T) {
	h := newHarness(t, Options{})
	h.store.profiles["dev-api"] = testProfile("dev-api")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.c.start(ctx)
	h.settle()
	if h.c.win != nil {
		t.Fatal("window opened although the tray works and profiles loaded")
	}
	if len(h.eng.profiles) != 1 {
		t.Fatalf("engine profiles %+v", h.eng.profiles)
	}
	// A snapshot from the engine reaches the UI through the subscriber.
	h.eng.publish(h.clock(), freshState("dev-api", token("T", t0, time.Hour)))
	deadline := time.Now().Add(5 * time.Second)
	for h.c.snap.Seq != 1 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
		h.settle()
	}
	if h.c.snap.Seq != 1 {
		t.Fatal("snapshot not delivered")
	}
}

func TestEmptyStoreOffersFirstProfile(t *testing.T) {
	h := newHarness(t, Options{})
	h.c.loadProfiles(true)
	h.settle()
	m := h.c.win
	if m == nil || !m.visible {
		t.Fatal("an empty store should open the window")
	}
	if !m.welcome.Visible() || m.details.root.Visible() {
		t.Fatal("no first-run panel")
	}
	if m.listTools.Visible() {
		t.Error("the first run shows the list's Add, Import and an empty find field beside its own")
	}
	var texts []string
	walk(m.welcome, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	})
	if !slices.Contains(texts, welcomeLine1) || !slices.Contains(texts, welcomeLine2) {
		t.Errorf("the first-run panel does not say what Tokentray does: %q", texts)
	}
	var labels []string
	for _, b := range m.welcomeButtons {
		if b.Visible() {
			labels = append(labels, b.Text)
		}
	}
	if !slices.Equal(labels, []string{"Add profile", "Import…", "Try the demo"}) {
		t.Errorf("first-run buttons %q", labels)
	}
	demos := 0
	h.c.startDemo = func() error { demos++; return nil }
	test.Tap(m.welcomeButtons[2])
	if demos != 1 {
		t.Error("Try the demo did not start the demo")
	}
	test.Tap(m.welcomeButtons[0])
	if m.form == nil || m.form.original != "" {
		t.Fatal("the button does not open a new-profile form")
	}
}

// errNoKeyring is what the keyring store returns without a Secret Service.
var errNoKeyring = fmt.Errorf("%w: %w, is a Secret Service running?", tokens.ErrKeyringUnavailable,
	errors.New("The name org.freedesktop.secrets was not provided by any .service files"))

// TestLockedKeyringAdvice: a locked keyring (the unlock prompt waited
// out, or dismissed) is told as such, with what to do.
func TestLockedKeyringAdvice(t *testing.T) {
	for _, err := range []error{
		tokens.ErrKeyringTimeout,
		fmt.Errorf("%w: %w", tokens.ErrKeyringLocked, errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")),
	} {
		got := explain.LoadAdvice(err)
		if !strings.HasPrefix(got, "Your login keyring is locked") || !strings.Contains(got, "Unlock your login keyring") {
			t.Errorf("%v: %q", err, got)
		}
	}
}

// A load hands the profiles to the engine and then has it start their
// automatic refresh (the engine's bound on concurrent fetches is measured in
// tokens.TestStartAutoRefreshBoundsConcurrentFetches); a failed load
// starts nothing.
func TestLoadStartsAutoRefresh(t *testing.T) {
	h := newHarness(t, Options{})
	h.store.profiles["dev-api"] = testProfile("dev-api")
	h.c.loadProfiles(true)
	h.settle()
	h.eng.mu.Lock()
	autos := slices.Clone(h.eng.autos)
	h.eng.mu.Unlock()
	if !slices.Equal(autos, []int{1}) {
		t.Fatalf("StartAutoRefresh after SetProfiles calls %v; want once, after the first", autos)
	}
	h.store.loadErr = errors.New("keyring locked")
	h.c.loadProfiles(false)
	h.settle()
	h.eng.mu.Lock()
	defer h.eng.mu.Unlock()
	if len(h.eng.autos) != 1 {
		t.Fatalf("a failed load started auto-refresh: %v", h.eng.autos)
	}
}

func TestTrayAppearingLaterIsNoticed(t *testing.T) {
	h := newHarness(t, Options{})
	h.noTray = true // the panel is not up yet, as at login
	h.store.profiles["dev-api"] = testProfile("dev-api")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.c.start(ctx)
	h.settle()
	m := h.c.win
	h.advance(trayRecheck)
	if !h.c.noTray || !strings.Contains(m.bannerText.Text, "No system tray") {
		t.Fatal("tray assumed present while the check still fails")
	}
	h.noTray = false // the panel has started
	h.advance(trayRecheck)
	if h.c.noTray || m.banner.Visible() {
		t.Fatalf("tray not noticed: noTray %v, banner %q", h.c.noTray, m.bannerText.Text)
	}
	h.c.clip.put("tok")
	m.closeRequested()
	if h.app.Clipboard().Content() != "tok" || m.visible {
		t.Error("with a tray, closing the window should hide it and keep running")
	}
}

// dialogText is the text of every label in o, one per line.
func dialogText(o fyne.CanvasObject) string {
	var lines []string
	walk(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			lines = append(lines, l.Text)
		}
	})
	return strings.Join(lines, "\n")
}
