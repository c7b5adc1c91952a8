//go:build linux || freebsd || openbsd || netbsd

package secretclip

import (
	"bytes"
	"errors"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb/xproto"

	"github.com/tokentray/tokentray/tokens/testenv"
)

// openX11 opens a board on the session's X server (Xvfb under make test).
func openX11(t *testing.T) *x11Board {
	t.Helper()
	testenv.RequireSession(t, "the X server of the private session")
	if _, err := exec.LookPath("xclip"); err != nil {
		t.Fatalf("xclip is missing (apt: xclip; make test installs it): %v", err)
	}
	b, err := Open()
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	return b.(*x11Board)
}

// xclipOut reads the clipboard as target through xclip, a separate X
// client, as a paste into another program would.
func xclipOut(t *testing.T, target string) (string, error) {
	t.Helper()
	cmd := exec.Command("xclip", "-o", "-selection", "clipboard", "-t", target)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", errors.New(strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// TestX11PutMarksSecret: another X client pastes the text, sees the
// password-manager hint among the targets, and reads "secret" from it.
func TestX11PutMarksSecret(t *testing.T) {
	b := openX11(t)
	const tok = "eyJhbGciOi.tok-123_-~+/="
	if err := b.Put(tok); err != nil {
		t.Fatal(err)
	}
	if !b.Holds(tok) || b.Holds("other") {
		t.Error("Holds is wrong after Put")
	}
	for _, target := range []string{"UTF8_STRING", "STRING", "TEXT", "text/plain", "text/plain;charset=utf-8"} {
		if got, err := xclipOut(t, target); err != nil || got != tok {
			t.Errorf("paste as %s: %q, %v", target, got, err)
		}
	}
	targets, err := xclipOut(t, "TARGETS")
	if err != nil {
		t.Fatal(err)
	}
	list := strings.Fields(targets)
	for _, want := range []string{"TARGETS", "UTF8_STRING", hintTarget} {
		if !slices.Contains(list, want) {
			t.Errorf("TARGETS %q lack %s", list, want)
		}
	}
	if got, err := xclipOut(t, hintTarget); err != nil || got != hintValue {
		t.Errorf("%s: %q, %v", hintTarget, got, err)
	}
	if got, err := xclipOut(t, "image/png"); err == nil {
		t.Errorf("a target not offered was served: %q", got)
	}
}

// TestX11NonLatin1: text outside Latin-1 is offered as UTF-8 only, never
// as a mangled STRING.
func TestX11NonLatin1(t *testing.T) {
	b := openX11(t)
	if err := b.Put("ключ"); err != nil {
		t.Fatal(err)
	}
	if got, err := xclipOut(t, "UTF8_STRING"); err != nil || got != "ключ" {
		t.Errorf("UTF8_STRING: %q, %v", got, err)
	}
	if got, err := xclipOut(t, "STRING"); err == nil {
		t.Errorf("STRING served %q", got)
	}
}

// TestX11ClearOnlyOurs: Clear empties the clipboard while it holds our
// text, and leaves alone what another program copied since.
func TestX11ClearOnlyOurs(t *testing.T) {
	b := openX11(t)
	if err := b.Put("tok-1"); err != nil {
		t.Fatal(err)
	}
	if b.Clear("tok-2") {
		t.Error("Clear of another text cleared")
	}
	if !b.Clear("tok-1") {
		t.Fatal("Clear of our text did not clear")
	}
	if got, err := xclipOut(t, "UTF8_STRING"); err == nil {
		t.Errorf("after Clear the clipboard holds %q", got)
	}

	if err := b.Put("tok-3"); err != nil {
		t.Fatal(err)
	}
	// Another program copies: xclip -quiet stays in the foreground and
	// serves the selection until killed.
	other := exec.Command("xclip", "-quiet", "-i", "-selection", "clipboard")
	other.Stdin = strings.NewReader("copied by the user")
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Process.Kill(); other.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for b.Holds("tok-3") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if b.Holds("tok-3") {
		t.Fatal("Holds stayed true after another program copied")
	}
	if b.Clear("tok-3") {
		t.Error("Clear cleared another program's copy")
	}
	if got, err := xclipOut(t, "UTF8_STRING"); err != nil || got != "copied by the user" {
		t.Errorf("the user's copy became %q, %v", got, err)
	}
}

// TestX11SecondBoardTakesOver: a Put elsewhere (another Tokentray, or
// the same one after a restart) ends the first board's hold.
func TestX11SecondBoardTakesOver(t *testing.T) {
	a, b := openX11(t), openX11(t)
	if err := a.Put("tok-a"); err != nil {
		t.Fatal(err)
	}
	if err := b.Put("tok-b"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for a.Holds("tok-a") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if a.Holds("tok-a") || a.Clear("tok-a") {
		t.Error("the first board still claims the clipboard")
	}
	if got, _ := xclipOut(t, "UTF8_STRING"); got != "tok-b" {
		t.Errorf("clipboard %q", got)
	}
}

// TestX11TooLarge: text beyond one X request is refused with ErrTooLarge
// (the caller falls back to its plain clipboard), and nothing is taken.
func TestX11TooLarge(t *testing.T) {
	b := openX11(t)
	if err := b.Put(strings.Repeat("a", b.max+1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Put: %v", err)
	}
	r, err := xproto.GetSelectionOwner(b.conn, b.atoms.clipboard).Reply()
	if err != nil {
		t.Fatal(err)
	}
	if r.Owner == b.win {
		t.Error("a refused Put took the clipboard")
	}
	big := strings.Repeat("b", 64<<10) // a 64 KiB token still goes in one piece
	if err := b.Put(big); err != nil {
		t.Fatal(err)
	}
	if got, err := xclipOut(t, "UTF8_STRING"); err != nil || got != big {
		t.Errorf("64 KiB paste: %d bytes, %v", len(got), err)
	}
}
