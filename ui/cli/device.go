package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// deviceSignIn runs the device grant's sign-in (RFC 8628): the user code
// and the address to enter it at on stderr, then polling until the person
// has signed in on the other device, declines, the code expires, or
// timeout passes.
func deviceSignIn(ctx context.Context, env *Env, p tokens.Profile, timeout time.Duration) (*tokens.TokenResult, error) {
	s := env.SignIn
	if s == nil {
		return nil, errors.New("this token client cannot sign in")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return s.DeviceSignIn(ctx, p, tokens.DeviceOptions{Show: func(d tokens.DeviceCode) {
		fmt.Fprintf(env.Stderr, "%s\n", explain.DeviceCodeShown(p.Name, d.VerificationURI, d.VerificationURIComplete, d.UserCode))
	}})
}
