package ui

import (
	"context"
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
	// The one write path of profiles: the store first, then the engine's
	// set (see tokens.Manager.SaveProfile). The UI changes profiles no
	// other way. They block on the keyring.

	// SaveProfile saves p (renamed from oldName when that differs),
	// keeping a token tested for the same request.
	SaveProfile(ctx context.Context, oldName string, p tokens.Profile) error
	// SaveDraft saves a profile that lacks only its client secret (an
	// import whose source keeps it elsewhere), to be finished with Edit.
	SaveDraft(ctx context.Context, p tokens.Profile) error
	// DeleteProfile deletes a profile and its cached token.
	DeleteProfile(ctx context.Context, name string) error
	// LoadProfiles reads the store and makes its profiles the engine's set.
	LoadProfiles(ctx context.Context) ([]tokens.Profile, []*tokens.ProfileError, error)
	// StartAutoRefresh turns automatic refresh on for every auto-refresh
	// profile held, fetching those without a token in the background with
	// the engine's own bound (see tokens.Manager.StartAutoRefresh). It
	// does not block.
	StartAutoRefresh()
	// RepairStore rebuilds the store's list of profiles from the items it
	// holds, then loads them (see tokens.Manager.RepairStore).
	RepairStore(ctx context.Context) (tokens.RepairReport, error)
	// TryProfile fetches a token with unsaved settings (the form's Test).
	TryProfile(ctx context.Context, p tokens.Profile) (*tokens.Token, error)
	// DropToken forgets a revoked token in the engine and the keyring
	// (see tokens.Manager.DropToken).
	DropToken(ctx context.Context, name string, t *tokens.Token) error
}
