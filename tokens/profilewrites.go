package tokens

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// The one write path for profiles. The Store holds the truth; the Manager
// holds the working copy it fetches with. Whoever changes profiles (the
// window, the command line, a reload asked for by another process) does so
// through these methods, which write the Store first and then update the
// Manager's set, so the two never drift apart by hand.

// ErrNoStore is returned by the profile writes of a Manager made without
// ManagerOptions.Store.
var ErrNoStore = errors.New("the manager has no profile store")

// RenameError reports that a renamed profile was saved under its new name
// (and is held under it) but its old entry could not be removed: both
// names now exist in the Store.
type RenameError struct {
	Old string // the name that could not be removed
	Err error
}

func (e *RenameError) Error() string {
	return fmt.Sprintf("removing the old name %q: %v", e.Old, e.Err)
}
func (e *RenameError) Unwrap() error { return e.Err }

// maxTested bounds the tokens of TryProfile kept for SaveProfile.
const maxTested = 4

// testedTokens are the last tokens TryProfile fetched, by request
// fingerprint. Guarded by Manager.mu.
type testedTokens map[string]*Token

// SaveProfile validates p, writes it to the Store, and then holds it in the
// Manager (see Put for what a change keeps). When oldName is set and
// differs from p.Name the profile is renamed: the old name is deleted from
// the Store and the Manager (an old name already gone is fine; one that
// cannot be deleted gives a *RenameError, p being saved all the same).
//
// A token the profile needs not be fetched again for is kept: after a
// rename with the same request, the old name's token; after TryProfile with
// the same request (the form's Test), the tested token. Either is written
// to the cache under the new name. A profile with auto-refresh on is wanted
// at once: without a token, Run fetches one right away.
//
// Errors: p's *ValidationError (nothing is written), ErrNoStore, the
// Store's error (the Manager is unchanged), *RenameError. Safe for
// concurrent use; it blocks on the Store, so never call it on a UI goroutine.
func (m *Manager) SaveProfile(ctx context.Context, oldName string, p Profile) error {
	if m.store == nil {
		return ErrNoStore
	}
	if err := p.Validate(); err != nil {
		return err
	}
	renamed := oldName != "" && oldName != p.Name
	if err := m.store.Save(ctx, p); err != nil {
		return err
	}
	var renameErr error
	if renamed {
		if err := m.store.Delete(ctx, oldName); err != nil && !errors.Is(err, ErrNotFound) {
			renameErr = &RenameError{Old: oldName, Err: err}
		}
	}
	m.mu.Lock()
	var carried *Token
	if renamed {
		if old := (*m.entries.Load())[oldName]; old != nil && old.invalid == nil && old.profile.RequestFingerprint() == p.RequestFingerprint() {
			carried = old.token()
		}
	}
	m.mu.Unlock()
	m.Put(p)
	if renamed && renameErr == nil {
		m.Remove(oldName)
	}
	if kept := m.adopt(p, carried); kept != nil {
		_ = m.shared().save(m.saveCtx, canonical(p), kept)
	}
	return renameErr
}

// adopt gives the entry of p a token it would otherwise fetch (carried from
// a rename, or tested by TryProfile), if it has no valid one, and wants a
// token for it when auto-refresh is on. It returns the token adopted, or nil.
func (m *Manager) adopt(p Profile, carried *Token) *Token {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := (*m.entries.Load())[p.Name]
	if e == nil || e.invalid != nil {
		return nil
	}
	now := m.wall()
	fp := e.profile.RequestFingerprint()
	var kept *Token
	if !e.token().ValidFor(now, time.Nanosecond) {
		for _, t := range []*Token{carried, m.tested[fp]} {
			if t.ValidFor(now, time.Nanosecond) && t.RequestFingerprint == fp {
				kept = t
				break
			}
		}
	}
	delete(m.tested, fp)
	if kept != nil {
		e.newEpoch()
		e.setToken(kept)
		e.lastRefresh, e.lastErr, e.streak, e.retryAt = now, nil, 0, time.Time{}
		e.liftStop()
		if e.seed == seedQueued {
			e.seed = seedNone // the cache can only hold this token or an older one
		}
	}
	if !e.profile.ManualRefresh {
		e.wanted = true
	}
	m.reschedule(e, now)
	m.changed()
	return kept
}

// ValidateDraft validates p as Validate does, except that the secrets an
// export made without them leaves out may be missing: the client secret
// its authentication method needs, and the values of headers and
// parameters named like credentials (BlankCredentials). What SaveDraft
// accepts.
func (p Profile) ValidateDraft() error {
	if p.ClientSecret == "" && p.Normalized().Auth.UsesSecret() {
		// Long enough for every method (client_secret_jwt wants 32 bytes).
		p.ClientSecret = strings.Repeat("x", 64)
	}
	headers, params := p.BlankCredentials()
	if len(headers) > 0 {
		p.Headers = maps.Clone(p.Headers)
		for _, k := range headers {
			p.Headers[k] = "to-be-given-later"
		}
	}
	if len(params) > 0 {
		p.Params = maps.Clone(p.Params)
		for _, k := range params {
			p.Params[k] = "to-be-given-later"
		}
	}
	return p.Validate()
}

// BlankCredentials lists, sorted, the headers and the parameters of p
// that are named like credentials (LooksSecret) and have no value: what
// an export made without secrets leaves out, for the user to give.
func (p Profile) BlankCredentials() (headers, params []string) {
	blank := func(m map[string]string) []string {
		var names []string
		for k, v := range m {
			if v == "" && LooksSecret(k) {
				names = append(names, k)
			}
		}
		slices.Sort(names)
		return names
	}
	return blank(p.Headers), blank(p.Params)
}

// isDraft reports whether p lacks a secret that ValidateDraft lets it lack.
func (p Profile) isDraft() bool {
	headers, params := p.BlankCredentials()
	return p.ClientSecret == "" && p.Normalized().Auth.UsesSecret() || len(headers) > 0 || len(params) > 0
}

// SaveDraft saves p, which may lack only its secrets (an import whose
// source keeps them elsewhere, see ValidateDraft), so the user can finish
// it with an edit. Everything else is validated as by SaveProfile. Until
// the secrets are given the Manager holds p as a profile it cannot fetch
// for. A complete p is saved by SaveProfile. Errors and concurrency as
// SaveProfile.
func (m *Manager) SaveDraft(ctx context.Context, p Profile) error {
	if !p.isDraft() {
		return m.SaveProfile(ctx, "", p)
	}
	if m.store == nil {
		return ErrNoStore
	}
	if err := p.ValidateDraft(); err != nil {
		return err
	}
	if err := m.store.Save(ctx, p); err != nil {
		return err
	}
	m.Put(p)
	return nil
}

// DeleteProfile deletes the named profile and its cached token from the
// Store, then forgets it. A profile missing from the Store is forgotten all
// the same and the error (wrapping ErrNotFound) returned. Other Store
// errors leave the Manager unchanged. Safe for concurrent use; blocks on
// the Store.
func (m *Manager) DeleteProfile(ctx context.Context, name string) error {
	if m.store == nil {
		return ErrNoStore
	}
	err := m.store.Delete(ctx, name)
	if err == nil || errors.Is(err, ErrNotFound) {
		m.Remove(name)
	}
	return err
}

// LoadProfiles reads every profile from the Store and makes them the
// Manager's set (SetProfiles: unchanged profiles keep their tokens). It
// returns what Store.Load returned; on a Store-wide error the set is left
// as it was. Safe for concurrent use; blocks on the Store.
func (m *Manager) LoadProfiles(ctx context.Context) ([]Profile, []*ProfileError, error) {
	if m.store == nil {
		return nil, nil, ErrNoStore
	}
	ps, broken, err := m.store.Load(ctx)
	if err != nil {
		return nil, broken, err
	}
	m.SetProfiles(ps)
	return ps, broken, nil
}

// RepairStore rebuilds the Store's list of profiles from the items it holds
// (Repairer), then loads the profiles as LoadProfiles does. It returns an
// error wrapping ErrCannotList for a Store that cannot repair itself. Safe
// for concurrent use; blocks on the Store.
func (m *Manager) RepairStore(ctx context.Context) (RepairReport, error) {
	if m.store == nil {
		return RepairReport{}, ErrNoStore
	}
	r, ok := m.store.(Repairer)
	if !ok {
		return RepairReport{}, fmt.Errorf("repair: %w", ErrCannotList)
	}
	rep, err := r.Repair(ctx)
	if err != nil {
		return rep, err
	}
	_, _, err = m.LoadProfiles(ctx)
	return rep, err
}

// TryProfile fetches a token with p as given, which need not be saved or
// held (the form's Test). The request is not shared with other processes
// and nothing is written. The token is kept for a while: a SaveProfile of
// a profile with the same request (RequestFingerprint) adopts it instead of
// fetching again. Errors: p's *ValidationError, the fetch error. Safe for
// concurrent use.
func (m *Manager) TryProfile(ctx context.Context, p Profile) (*Token, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p = canonical(p)
	t, _, err := sharedFetch{fetcher: m.fetcher}.fetch(ctx, p)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.wall()
	for fp, old := range m.tested {
		if !old.ValidFor(now, time.Nanosecond) || len(m.tested) >= maxTested {
			delete(m.tested, fp)
		}
	}
	if m.tested == nil {
		m.tested = testedTokens{}
	}
	m.tested[t.RequestFingerprint] = t
	return t, nil
}
