package cli

import (
	"errors"

	"github.com/tokentray/tokentray/ui/explain"
)

// describe words err for the terminal: the command line's own errors as
// they are, the engine's through package explain (with the class of a
// failed token request and what to do, never a promise to retry).
func describe(err error) string {
	var ue *usageError
	var nf *notFoundError
	var dm *defaultMinValidError
	switch {
	case errors.As(err, &ue), errors.As(err, &nf):
		return err.Error()
	case errors.As(err, &dm):
		return explain.Printable(dm.profile) + ": " + explain.DefaultLifetime(dm.le, dm.command, dm.profile)
	}
	if msg, ok := explain.SignInNeeded(err); ok {
		return msg
	}
	return explain.Command(err)
}
