package explain

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
)

// A locked keyring is told in the same words by the command line (Command,
// Error) and the window's first screen (LoadAdvice), from the typed error
// alone: the keyring's own text ("failed to unlock…") plays no part.
func TestLockedKeyringOneWording(t *testing.T) {
	locked := fmt.Errorf("list: %w: %w", tokens.ErrKeyringLocked, errors.New("org.freedesktop.Secret.Error.IsLocked"))
	for name, got := range map[string]string{
		"command": Command(locked),
		"window":  LoadAdvice(locked),
	} {
		low := strings.ToLower(got)
		if !strings.Contains(low, strings.ToLower(lockedWhat)) || !strings.Contains(low, strings.ToLower(lockedDo)) {
			t.Errorf("%s: %q lacks the locked-keyring words", name, got)
		}
		if strings.Contains(got, "tokens:") || strings.Contains(got, "[temporary") {
			t.Errorf("%s: %q", name, got)
		}
	}
	// Words that merely mention locking do not make an error a locked keyring.
	other := errors.New("the file is locked by another program; unlock it")
	if got := LoadAdvice(other); strings.Contains(got, "keyring is locked") {
		t.Errorf("an untyped error read as a locked keyring: %q", got)
	}
}
