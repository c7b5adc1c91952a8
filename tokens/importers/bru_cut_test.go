package importers

import (
	"strings"
	"testing"
)

// A .bru line quoted in an error is cut at a character, not a byte: 59
// ASCII bytes then "€" (3 bytes) used to end the quote in half a
// character, which %q shows as \xe2\x82.
func TestBruErrorQuoteCutsAtACharacter(t *testing.T) {
	line := strings.Repeat("a", 59) + strings.Repeat("€", 10)
	_, err := parseBru(line + "\n")
	if err == nil {
		t.Fatal("a line that opens no block was accepted")
	}
	if msg := err.Error(); strings.Contains(msg, `\x`) || !strings.Contains(msg, strings.Repeat("a", 59)+"…") {
		t.Errorf("%s", msg)
	}
}
