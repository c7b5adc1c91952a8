package tokens

import (
	"context"
	"errors"
)

// Repairer is a Store that can rebuild its list of profiles from the items
// it actually holds. A store that keeps such a list beside the profiles (the
// keyring store's index, needed because keyrings are addressed by name) can
// lose profiles to a damaged or stale list; Repair brings them back.
type Repairer interface {
	// Repair lists the store's items, and rewrites the list of profiles so
	// it names every profile item found, readable or not: an unreadable one
	// is then reported by Load (and can be removed) instead of hiding. It
	// deletes nothing and leaves profiles and tokens as they are. It is safe
	// to call while other processes use the store; it takes the store's
	// write lock. It returns an error wrapping ErrCannotList where the
	// keyring offers no way to list items.
	Repair(ctx context.Context) (RepairReport, error)
}

// RepairReport says what Repair found and changed.
type RepairReport struct {
	// Profiles are the names the rebuilt list holds, sorted.
	Profiles []string
	// Added are the names the old list lacked (all of Profiles when the
	// old list could not be read).
	Added []string
	// Dropped are the names the old list held without a profile item.
	Dropped []string
	// Broken are the profile items found that cannot be read; they stay
	// listed, so Load reports them.
	Broken []*ProfileError
	// ListWasDamaged is true when the old list could not be read at all.
	ListWasDamaged bool
	// Ignored counts profile-like items whose names Tokentray never writes
	// (longer than MaxNameLen): left alone and not listed.
	Ignored int
}

// Changed reports whether Repair rewrote the list of profiles.
func (r RepairReport) Changed() bool {
	return r.ListWasDamaged || len(r.Added) > 0 || len(r.Dropped) > 0
}

// ErrCannotList is wrapped by Repair where the OS keyring cannot list the
// items of a service (the macOS Keychain through go-keyring).
var ErrCannotList = errors.New("this OS keyring cannot list its items")

// ErrDamagedIndex is wrapped, with ErrCorruptItem, by store errors caused
// by a damaged list of profiles: every operation needing the list fails
// until Repair rebuilds it.
var ErrDamagedIndex = errors.New("the list of profiles is damaged")
