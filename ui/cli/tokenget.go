package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// getToken returns a token of the named profile that stays valid for at
// least minValid: the cached one when it does, else a fresh one, the way
// `tokentray token` gets it. exec, --format env / exec-credential and
// git-credential all come through here, so a change in how the command
// line gets tokens (a cross-process single flight) is one change.
func getToken(ctx context.Context, env *Env, keyringTimeout time.Duration, name string, minValid time.Duration) (*tokens.Token, error) {
	st := env.OpenStore(keyringTimeout)
	p, err := loadProfile(ctx, st, name)
	if err != nil {
		return nil, err
	}
	m := tokens.NewManager(tokens.ManagerOptions{Fetcher: env.Fetcher, Cache: st, Now: env.Now})
	defer m.Close()
	m.Put(p)
	t, err := m.Token(ctx, name, minValid)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := requireBearer(t); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// errNotBearer is returned for a token whose token_type is neither empty
// nor Bearer: RFC 6749 §7.1 says a client must not use a token type it
// does not understand, and every output of the tool formats means Bearer.
var errNotBearer = errors.New("not a Bearer token")

// requireBearer accepts a token typed Bearer (any case, RFC 6750) or with
// no type at all (servers that omit token_type mean Bearer in practice),
// made of visible ASCII only: a token with a line break or a space would
// smuggle extra lines into git's credential protocol, a shell's eval or an
// HTTP header.
func requireBearer(t *tokens.Token) error {
	if t.TokenType != "" && !strings.EqualFold(t.TokenType, "bearer") {
		return fmt.Errorf("the server issued a %q token, %w; other tools would send it as a Bearer token, so it is not handed out this way", t.TokenType, errNotBearer)
	}
	for _, c := range []byte(t.AccessToken) {
		if c <= ' ' || c >= 0x7f {
			return errors.New("the server issued a token with spaces, control or non-ASCII characters, which is not a valid Bearer token (RFC 6750 §2.1); it is not handed out")
		}
	}
	return nil
}
