package ui

import (
	"errors"
	"testing"
	"time"
)

func TestClipboardClearedAfterDelayOnlyIfUnchanged(t *testing.T) {
	h := newHarness(t, Options{})
	cb := h.app.Clipboard()
	clip := h.c.clip

	if d := clip.put("token-1"); d != defaultClipboardClear {
		t.Fatalf("default delay %v", d)
	}
	h.advance(time.Minute)
	if cb.Content() != "token-1" {
		t.Fatal("cleared too early")
	}
	h.advance(time.Minute)
	if cb.Content() != "" {
		t.Fatalf("not cleared after 2 min: %q", cb.Content())
	}

	// The user copies something else meanwhile: left alone.
	clip.put("token-2")
	cb.SetContent("my own text")
	h.advance(3 * time.Minute)
	if cb.Content() != "my own text" {
		t.Fatalf("cleared the user's text: %q", cb.Content())
	}

	// A second copy restarts the delay; the first timer does not clear it.
	clip.put("token-3")
	h.advance(90 * time.Second)
	clip.put("token-4")
	h.advance(60 * time.Second)
	if cb.Content() != "token-4" {
		t.Fatalf("the first copy's timer cleared the second: %q", cb.Content())
	}
	h.advance(60 * time.Second)
	if cb.Content() != "" {
		t.Fatalf("second copy not cleared: %q", cb.Content())
	}
}

func TestClipboardClearingSetting(t *testing.T) {
	h := newHarness(t, Options{})
	setClearDelay(h.app.Preferences(), 0)
	if d := h.c.clip.put("tok"); d != 0 {
		t.Fatalf("never: delay %v", d)
	}
	h.advance(time.Hour)
	if h.app.Clipboard().Content() != "tok" {
		t.Fatal("cleared although clearing is off")
	}
	setClearDelay(h.app.Preferences(), 30*time.Second)
	if clearDelay(h.app.Preferences()) != 30*time.Second {
		t.Fatal("setting not stored")
	}
	h.c.clip.put("tok2")
	h.advance(31 * time.Second)
	if h.app.Clipboard().Content() != "" {
		t.Fatal("not cleared after 30 s")
	}
}

func TestQuitClearsOurToken(t *testing.T) {
	h := newHarness(t, Options{})
	h.c.clip.put("tok")
	h.c.quit()
	if h.app.Clipboard().Content() != "" {
		t.Fatal("quit left the token on the clipboard")
	}
	h.c.clip.put("tok")
	h.app.Clipboard().SetContent("mine")
	h.c.quit()
	if h.app.Clipboard().Content() != "mine" {
		t.Fatal("quit cleared the user's text")
	}
}

// fakeBoard is a secret clipboard for the clipper's unit tests; the real
// ones are tested in ui/platform/secretclip against Xvfb and Wine.
type fakeBoard struct {
	text   string
	full   bool
	refuse error
}

func (b *fakeBoard) Put(text string) error {
	if b.refuse != nil {
		return b.refuse
	}
	b.text, b.full = text, true
	return nil
}

func (b *fakeBoard) Clear(text string) bool {
	if !b.full || b.text != text {
		return false
	}
	b.text, b.full = "", false
	return true
}

// TestClipboardSecretBoard: a copy goes to the secret board when there is
// one and is cleared there; when the board refuses, Fyne's clipboard
// takes it and is cleared instead.
func TestClipboardSecretBoard(t *testing.T) {
	h := newHarness(t, Options{})
	cb := h.app.Clipboard()
	board := &fakeBoard{}
	h.c.clip.secret = board
	cb.SetContent("before")

	h.c.clip.put("tok-1")
	if !board.full || board.text != "tok-1" || cb.Content() != "before" {
		t.Fatalf("board %q %v, Fyne clipboard %q", board.text, board.full, cb.Content())
	}
	h.advance(defaultClipboardClear)
	if board.full {
		t.Error("the board was not cleared after the delay")
	}

	// The user copies something else: the board no longer holds ours.
	h.c.clip.put("tok-2")
	board.text = "the user's"
	h.advance(defaultClipboardClear)
	if !board.full || board.text != "the user's" {
		t.Errorf("the user's copy was cleared: %q %v", board.text, board.full)
	}

	board.refuse = errors.New("secretclip: text too large for the clipboard")
	h.c.clip.put("tok-3")
	if cb.Content() != "tok-3" {
		t.Fatalf("fallback: Fyne clipboard %q", cb.Content())
	}
	h.advance(defaultClipboardClear)
	if cb.Content() != "" {
		t.Errorf("fallback copy not cleared: %q", cb.Content())
	}
}
