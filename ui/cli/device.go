package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/ui/explain"
)

// deviceSigner is what login needs of env.Fetcher for the device grant.
type deviceSigner interface {
	DeviceSignIn(ctx context.Context, p tokens.Profile, o oauth.DeviceOptions) (*tokens.TokenResult, error)
}

// deviceSignIn runs the device grant's sign-in (RFC 8628): the user code
// and the address to enter it at on stderr, then polling until the person
// has signed in on the other device, declines, the code expires, or
// timeout passes.
func deviceSignIn(ctx context.Context, env *Env, p tokens.Profile, timeout time.Duration) (*tokens.TokenResult, error) {
	s, ok := env.Fetcher.(deviceSigner)
	if !ok {
		return nil, errors.New("this token client cannot sign in")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return s.DeviceSignIn(ctx, p, oauth.DeviceOptions{Show: func(d oauth.DeviceCode) {
		fmt.Fprintf(env.Stderr, "%s\n", explain.DeviceCodeShown(p.Name, d.VerificationURI, d.VerificationURIComplete, d.UserCode))
	}})
}
