package ui

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTrayActionLineIsPrintable: an outcome's title quotes a server or a
// profile name; in the tray's one line neither a terminal escape, a line
// break nor a bidirectional override may survive, and the line is capped.
func TestTrayActionLineIsPrintable(t *testing.T) {
	title := "Refresh failed for dev: the server said \x1b[2Jinvalid\u202eclient\nsecond line " + strings.Repeat("x", 200)
	got := trayActionLine(statusMsg{title: title, kind: msgError})
	for _, bad := range []string{"\x1b", "[2J", "\u202e", "\n"} {
		if strings.Contains(got, bad) {
			t.Errorf("tray line keeps %q: %q", bad, got)
		}
	}
	if n := utf8.RuneCountInString(got); n > 90 || !strings.HasPrefix(got, "Refresh failed for dev") || !strings.HasSuffix(got, "…") {
		t.Errorf("tray line (%d runes) = %q", n, got)
	}
}
