package curlcmd

import (
	"errors"
	"fmt"

	"github.com/tokentray/tokentray/tokens"
)

// ErrUnprintable is wrapped by Command's error when a value of the
// request holds a control, bidirectional or invisible character
// (tokens.CheckPrintable): the command is shown, copied and pasted into
// a terminal, where such a character could write the clipboard (OSC 52),
// retitle the window, clear the screen, hide text or end a bracketed
// paste. Profile.Validate refuses these values already; this is the
// second line of defence, for a profile stored before it did.
var ErrUnprintable = errors.New("a command shown and pasted in a terminal must not hold one; edit the profile")

// check returns an error wrapping ErrUnprintable for the first value of
// s that would put such a character into the command. Its words name the
// field, never quote the value.
func check(s tokens.RequestShape) error {
	bad := func(what string, v string) error {
		if err := tokens.CheckPrintable(v); err != nil {
			return fmt.Errorf("curlcmd: %s %v: %w", what, err, ErrUnprintable)
		}
		return nil
	}
	errs := []error{bad("the token URL", s.URL), bad("the Host header", s.Host),
		bad("the client ID", s.ClientID), bad("the key ID", s.KeyID), bad("the signing algorithm", s.Alg)}
	for _, h := range s.Header {
		errs = append(errs, bad("a header name", h.Name), bad("the value of header "+tokens.Printable(h.Name, 60), h.Value))
	}
	for _, h := range s.SecretHeaders {
		errs = append(errs, bad("a header name", h))
	}
	for _, p := range s.Params {
		errs = append(errs, bad("a parameter name", p.Name), bad("the value of parameter "+tokens.Printable(p.Name, 60), p.Value))
	}
	for _, p := range s.SecretParams {
		errs = append(errs, bad("a parameter name", p))
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
