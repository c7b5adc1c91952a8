package cli

import (
	"context"
	"errors"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// deviceSignIn runs the device grant's sign-in (RFC 8628).
func deviceSignIn(ctx context.Context, env *Env, p tokens.Profile, timeout time.Duration) (*tokens.TokenResult, error) {
	return nil, errors.New("the device grant's sign-in is not built yet")
}
