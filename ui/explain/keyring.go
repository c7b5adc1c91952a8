package explain

import (
	"errors"

	"github.com/tokentray/tokentray/tokens"
)

// The words for a locked keyring, shared by the command line (Error) and
// the window's first screen (LoadAdvice).
const (
	lockedWhat = "your login keyring is locked, so Tokentray cannot read or save your profiles"
	lockedDo   = "unlock your login keyring (your desktop asks for its password, or use Passwords and Keys)"
)

// keyringError words the keyring store's typed errors, or returns "".
func keyringError(err error) string {
	switch {
	case errors.Is(err, tokens.ErrKeyringLocked):
		return lockedWhat + "; " + lockedDo + ", then try again"
	case errors.Is(err, tokens.ErrKeyringBusy):
		return "another Tokentray (the tray app or a command) kept the OS keyring busy for too long; nothing was saved, try again"
	case errors.Is(err, tokens.ErrKeyringTimeout):
		return "the OS keyring did not answer in time (is an unlock prompt waiting?)"
	case errors.Is(err, tokens.ErrKeyringUnavailable):
		return err.Error()
	case errors.Is(err, tokens.ErrCannotList):
		return "this OS keyring cannot list its items (the macOS Keychain), so the list of profiles cannot be rebuilt from them; import your profiles again from an export"
	case errors.Is(err, tokens.ErrDamagedIndex):
		return "the list of profiles in the OS keyring is damaged, so no profile can be found; " +
			"'tokentray repair' rebuilds it from the profiles the keyring holds and deletes nothing"
	}
	return ""
}

// LoadAdvice explains, for the window, why the profiles could not be
// loaded and what to do, in plain words; the technical cause follows in
// parentheses. The window offers Retry and, for a damaged list, Repair.
func LoadAdvice(err error) string {
	detail := " (Details: " + WithPeriod(Error(err)) + ")"
	switch {
	case errors.Is(err, tokens.ErrDamagedIndex):
		return "The list of your profiles in the keyring is damaged, so Tokentray cannot find them; the profiles themselves are most likely intact. " +
			"Press Repair to rebuild the list from the profiles the keyring holds (nothing is deleted)."
	case errors.Is(err, tokens.ErrKeyringLocked), errors.Is(err, tokens.ErrKeyringTimeout):
		// A timeout is most often an unlock prompt nobody answered. The
		// details would repeat these words for a locked keyring.
		if errors.Is(err, tokens.ErrKeyringLocked) {
			detail = ""
		}
		return Sentence(lockedWhat) + ". " + Sentence(lockedDo) + ", then press Retry." + detail
	case errors.Is(err, tokens.ErrKeyringUnavailable):
		return "No keyring is answering, and Tokentray keeps your profiles there. " +
			"Install or start a Secret Service such as gnome-keyring or KeePassXC (with Secret Service integration on), then press Retry." + detail
	}
	return "Your profiles could not be loaded: " + WithPeriod(Error(err)) +
		" Nothing was changed; press Retry when the keyring is available."
}
