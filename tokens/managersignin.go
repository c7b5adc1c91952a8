package tokens

import (
	"context"
	"fmt"
	"time"
)

// The Manager's side of a sign-in made in this process (the window's
// Sign in…): the tokens are kept in the Cache as KeepSignIn keeps them,
// and the profile's entry takes the new access token at once, without
// waiting for a reload.

// SignedIn keeps what a sign-in of the named profile got (res, from
// oauth.Client.SignIn or DeviceSignIn): in the Cache first (its refresh
// token, then its access token, under the profile's fetch lock; see
// KeepSignIn), then as the profile's token, which lifts a stop for
// sign-in needed and turns automatic refresh on. Without a Cache the
// access token is held in memory only (no refresh then). With
// ManagerOptions.RevokeReplaced, the refresh token of the sign-in this
// one replaces is then revoked at its server (ReplaceSignIn, best
// effort). A fetch of the profile under way meanwhile (begun before the
// sign-in: a sign-in needed it found) changes nothing when it ends; its
// callers look again.
//
// Errors: ErrUnknownProfile, the Cache's error (the Manager is then
// unchanged). Safe for concurrent use; blocks on the Cache.
func (m *Manager) SignedIn(ctx context.Context, name string, res *TokenResult) (*Token, error) {
	e := (*m.entries.Load())[name]
	if e == nil {
		return nil, fmt.Errorf("%w %q", ErrUnknownProfile, name)
	}
	m.mu.Lock()
	p := e.profile
	m.mu.Unlock()
	var t *Token
	var err error
	if m.cache != nil {
		t, _, err = ReplaceSignIn(ctx, m.cache, p, res, m.revokeOld)
	} else if res == nil {
		err = errNoToken
	} else if t, err = accept(res.Token); err == nil {
		t = boundTo(t, p.RequestFingerprint())
	}
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if e.retired() || m.closed {
		return t, nil
	}
	now := m.wall()
	e.newEpoch()
	e.setToken(t)
	e.sessionEnds = time.Time{}
	if m.cache != nil && res.RefreshToken != "" {
		e.sessionEnds = refreshExpiry(res, res.Token.IssuedAt.Round(0)) // as KeepSignIn kept it
	}
	e.lastRefresh, e.lastAttempt = now, now
	e.lastErr, e.streak, e.retryAt = nil, 0, time.Time{}
	e.liftStop()
	e.wanted = true
	m.reschedule(e, now)
	m.changed()
	return t, nil
}

// SignedOut forgets the named profile's sign-in: its refresh token and
// access token in the Cache (ForgetSignIn) and in the Manager, which then
// says not signed in and fetches nothing by itself. The caller revokes
// the refresh token at the server first (oauth.Client.RevokeRefresh).
//
// Errors: ErrUnknownProfile, the Cache's error (the Manager is then
// unchanged). Safe for concurrent use; blocks on the Cache.
func (m *Manager) SignedOut(ctx context.Context, name string) error {
	e := (*m.entries.Load())[name]
	if e == nil {
		return fmt.Errorf("%w %q", ErrUnknownProfile, name)
	}
	if m.cache != nil {
		if err := ForgetSignIn(ctx, m.cache, name); err != nil {
			return err
		}
	}
	m.signedOut(e)
	return nil
}

// signedOut is SignedOut's part in the Manager: e holds no token, says
// not signed in (ReasonNotSignedIn: nothing went wrong) and is stopped.
func (m *Manager) signedOut(e *entry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e.retired() || m.closed {
		return
	}
	e.newEpoch()
	e.setToken(nil)
	m.notSignedIn(e)
}

// notSignedIn stops e, which no one is signed in to, until a sign-in or
// a change of the profile; its token, if any, is left. m.mu is held.
func (m *Manager) notSignedIn(e *entry) {
	e.wanted = false
	e.sessionEnds = time.Time{}
	e.lastErr, e.class = &SignInNeededError{Profile: e.profile.Name}, Permanent
	if e.phase != phaseFetching {
		e.phase = phaseStopped
	}
	m.unschedule(e)
	m.changed()
}
