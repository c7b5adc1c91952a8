package ui

import (
	"context"
	"errors"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// Engine is what the UI needs from the token engine. *tokens.Manager
// implements it. Implementations must be safe for concurrent use; the UI
// calls Token, Refresh and the store-like methods from background goroutines
// only, never from the Fyne UI goroutine.
type Engine interface {
	// Snapshot returns the current immutable state of every profile.
	Snapshot() *tokens.Snapshot
	// Subscribe delivers new snapshots (latest wins) until cancel is called.
	Subscribe() (updates <-chan *tokens.Snapshot, cancel func())
	// Token returns a token valid for at least minValid, fetching if needed.
	Token(ctx context.Context, name string, minValid time.Duration) (*tokens.Token, error)
	// Refresh fetches a new token now, as asked by the user.
	Refresh(ctx context.Context, name string) (*tokens.Token, error)
	// SetProfiles replaces the whole set of profiles.
	SetProfiles(ps []tokens.Profile)
	// Put adds or replaces one profile.
	Put(p tokens.Profile)
	// Remove forgets a profile.
	Remove(name string)
}

// JWT is a decoded, unverified JWT: its JOSE header and its claims.
type JWT struct {
	Header map[string]any
	Claims map[string]any
}

// JWTDecoder decodes a token for display. It returns an error wrapping
// Sentinels.NotJWT for opaque or encrypted tokens. The wiring sets it to an
// adapter around tokens.DecodeJWT. It must be safe for concurrent use.
type JWTDecoder func(token string) (*JWT, error)

// Sentinels names sentinel errors of the tokens package that the UI words
// specially. The wiring fills them in (tokens.ErrKeyringUnavailable, …); a
// nil entry is simply never matched.
type Sentinels struct {
	// KeyringUnavailable is wrapped by store errors when no Secret Service /
	// keychain answers.
	KeyringUnavailable error
	// UnknownProfile is returned by the engine for a name it does not know.
	UnknownProfile error
	// NotJWT is wrapped by JWTDecoder errors for opaque tokens.
	NotJWT error
}

func (s Sentinels) is(err, target error) bool {
	return target != nil && errors.Is(err, target)
}
