package keyring

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// itemLister is a keyringAPI that can list the user names of every item of
// a service. The index exists because go-keyring cannot list; Repair uses a
// platform's own listing (listing_*.go) to rebuild the index when it is
// damaged or stale.
type itemLister interface {
	List(service string) ([]string, error)
}

// Repair implements tokens.Repairer: the index is rewritten to name every
// profile whose header item exists ("profile/NAME", NAME path-escaped; its
// chunks have longer names). Nothing is deleted.
func (s *keyringStore) Repair(ctx context.Context) (tokens.RepairReport, error) {
	lister, ok := s.api.(itemLister)
	if !ok {
		return tokens.RepairReport{}, fmt.Errorf("repair: %w", tokens.ErrCannotList)
	}
	s.sh.mu.Lock()
	defer s.sh.mu.Unlock()
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return tokens.RepairReport{}, wrap(err, "repair")
	}
	defer unlock()
	users, err := s.list(ctx, lister)
	if err != nil {
		return tokens.RepairReport{}, wrap(err, "repair")
	}
	var rep tokens.RepairReport
	for _, u := range users {
		name, ok := profileNameOf(u)
		switch {
		case !ok:
		case len(name) > tokens.MaxNameLen:
			rep.Ignored++ // planted: no Tokentray writes such a name
		default:
			rep.Profiles = append(rep.Profiles, name)
		}
	}
	slices.Sort(rep.Profiles)
	rep.Profiles = slices.Compact(rep.Profiles)
	old, err := s.readIndex(ctx)
	switch {
	case errors.Is(err, tokens.ErrDamagedIndex):
		rep.ListWasDamaged = true
	case err != nil:
		return tokens.RepairReport{}, err
	}
	// A damaged index reads as none (old is nil): then every name is added.
	for _, n := range rep.Profiles {
		if !slices.Contains(old, n) {
			rep.Added = append(rep.Added, n)
		}
		if _, _, err := s.readProfile(ctx, n); err != nil {
			if storeWide(err) {
				return tokens.RepairReport{}, err
			}
			rep.Broken = append(rep.Broken, &tokens.ProfileError{Name: n, Err: err})
		}
	}
	for _, n := range old {
		if !slices.Contains(rep.Profiles, n) {
			rep.Dropped = append(rep.Dropped, n)
		}
	}
	if !rep.Changed() {
		return rep, nil
	}
	defer s.stamp()
	if err := s.writeIndex(ctx, slices.Clone(rep.Profiles)); err != nil {
		return tokens.RepairReport{}, wrap(err, "repair")
	}
	return rep, nil
}

// profileNameOf returns the profile name of a profile record's header item
// ("profile/NAME"), and false for every other item, chunks included.
func profileNameOf(user string) (string, bool) {
	rest, ok := strings.CutPrefix(user, "profile/")
	if !ok || rest == "" || strings.Contains(rest, "/") {
		return "", false
	}
	name, err := url.PathUnescape(rest)
	if err != nil || profileKey(name) != user {
		return "", false
	}
	return name, true
}

// list returns the user names of the service's items, bounded like every
// other keyring call. Names travel NUL-joined: neither D-Bus strings nor
// Windows target names can hold a NUL.
func (s *keyringStore) list(ctx context.Context, lister itemLister) ([]string, error) {
	joined, err := s.call(ctx, "list", s.service, func() (string, error) {
		users, err := lister.List(s.service)
		return strings.Join(users, "\x00"), err
	})
	if err != nil || joined == "" {
		return nil, err
	}
	return strings.Split(joined, "\x00"), nil
}
