package tokens

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Refreshing a signed-in profile (a sign-in grant, Grant.SignsIn): its
// access token is renewed with the stored refresh token (RFC 6749 §6),
// inside the same shared fetch as a client credentials token (under the
// profile's cross-process fetch lock when the cache has one), so ten
// processes finding the token expired make one refresh and the others
// read its result.
//
// Servers that rotate refresh tokens issue a new one with each refresh
// and refuse the old one from then on; some revoke the whole sign-in when
// an old one comes back (reuse detection). So:
//
//   - the new refresh token is stored before the new access token is
//     handed out or cached: a process that dies in between leaves a
//     usable refresh token, never only a spent one; when it cannot be
//     stored the refresh fails (the access token is dropped) rather than
//     leave the spent one behind as the current one;
//   - an answer without a refresh token keeps the one used (RFC 6749 §6);
//   - a refusal (invalid_grant) is believed only after the store is read
//     again: another process (one that waited past FetchWaitLimit) may
//     have rotated it meanwhile, and then the newer one is tried once;
//   - a refused refresh token is never sent again: it is deleted from the
//     store (when it is still the stored one) and the profile needs a
//     sign-in (SignInNeededError), which the engine never starts itself;
//   - a refresh refused for its ID token (it names another person, or
//     the issuer did not sign it) needs a sign-in too: retrying would
//     get the same answer.

// refresh renews p's access token with its stored refresh token, and
// says when the sign-in ends (the expiry of the refresh token kept; zero
// when unknown). p is canonical and valid; the caller holds p's fetch
// lock when there is one.
func (s sharedFetch) refresh(ctx context.Context, p Profile) (*Token, time.Time, error) {
	rs, ok := s.cache.(RefreshStore)
	if !ok {
		return nil, time.Time{}, &SignInNeededError{Profile: p.Name}
	}
	rt, err := s.loadRefresh(ctx, rs, p)
	if err != nil {
		return nil, time.Time{}, err
	}
	for retried := false; ; retried = true {
		res, err := grantWith(s.fetcher).Grant(ctx, TokenRequest{Profile: p, RefreshToken: rt.Value, ID: rt.ID})
		if err == nil {
			return s.keepRefresh(ctx, rs, p, rt, res)
		}
		if idRefused(err) {
			return nil, time.Time{}, &SignInNeededError{Profile: p.Name, Reason: ReasonSessionEnded, Cause: err}
		}
		if !refused(err) {
			return nil, time.Time{}, err
		}
		cur, lerr := s.loadRefresh(ctx, rs, p)
		switch {
		case lerr == nil && cur.Value != rt.Value && !retried:
			rt = cur // rotated by another process meanwhile
			continue
		case lerr == nil && cur.Value == rt.Value:
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cacheTimeout)
			_ = rs.DeleteRefresh(dctx, p.Name)
			cancel()
		}
		return nil, time.Time{}, &SignInNeededError{Profile: p.Name, Reason: ReasonSessionEnded, Cause: err}
	}
}

// refused reports whether err is the server refusing the refresh token
// itself (RFC 6749 §5.2 invalid_grant: invalid, expired or revoked), as
// opposed to the client or the request.
func refused(err error) bool {
	var se *ServerError
	return errors.As(err, &se) && se.Code == "invalid_grant"
}

// idRefused reports whether err is a refresh refused for its ID token (an
// *IDTokenError with Refresh set): the server answers every refresh of
// the sign-in that way, so the person must sign in again to say who they
// are. The refresh token stays stored (a sign-out revokes it); on a
// rotating server it is spent, and the next refresh is invalid_grant. An
// ID token that could not be checked (Unchecked: the issuer's keys did
// not answer) refuses nothing: that refresh failed, a later one may pass.
func idRefused(err error) bool {
	var ie *IDTokenError
	return errors.As(err, &ie) && ie.Refresh && !ie.Unchecked
}

// loadRefresh returns p's stored refresh token; a missing one (or one of
// another sign-in) is a *SignInNeededError, a store that cannot be read
// its error.
func (s sharedFetch) loadRefresh(ctx context.Context, rs RefreshStore, p Profile) (*RefreshToken, error) {
	ctx, cancel := context.WithTimeout(ctx, cacheTimeout)
	defer cancel()
	rt, err := rs.LoadRefresh(ctx, p.Name)
	switch {
	case errors.Is(err, ErrNotFound), err == nil && !rt.For(p):
		return nil, s.noSignIn(ctx, p)
	case err != nil:
		return nil, fmt.Errorf("reading the refresh token of %q: %w", p.Name, err)
	}
	return rt, nil
}

// noSignIn is the error of p without a refresh token for its sign-in:
// its session ended when the cache still holds an access token of p's
// sign-in (a refused refresh token is deleted alone, and so is none kept
// when the sign-in got none), else no one is signed in (a sign-out
// forgets both; a changed profile's token is another request's).
func (s sharedFetch) noSignIn(ctx context.Context, p Profile) error {
	why := ReasonNotSignedIn
	if s.cache != nil {
		if t, err := s.cache.LoadToken(ctx, p.Name); err == nil && t.FetchedFor(p) {
			why = ReasonSessionEnded
		}
	}
	return &SignInNeededError{Profile: p.Name, Reason: why}
}

// keepRefresh stores the refresh token res carries, when it is a new one,
// and only then returns res's access token, with the expiry of the
// refresh token kept (used's when none came, unless res says a new one:
// then used is stored again with it). The caller's cancellation
// must not lose a refresh token the server already rotated. New claims
// of who signed in are stored with it, or with the one used (a failure
// to store only those fails nothing).
func (s sharedFetch) keepRefresh(ctx context.Context, rs RefreshStore, p Profile, used *RefreshToken, res *TokenResult) (*Token, time.Time, error) {
	if res == nil || res.Token == nil {
		return nil, time.Time{}, errNoToken
	}
	// Who signed in stays who signed in: the Granter checked a refresh's
	// own ID token against used.ID (OpenID Connect Core §12.2) and set
	// Token.ID from it; a bad one failed the refresh and nothing of the
	// answer, its refresh token included, is kept (see oauth's
	// idtokenrefresh.go). Without one the sign-in's claims carry on.
	if res.Token.ID == nil {
		res.Token.ID = used.ID
	}
	next := newRefresh(p, res)
	if res.RefreshToken == "" || res.RefreshToken == used.Value {
		// The same refresh token, with the new claims and, when the
		// answer says one (refresh_expires_in: the same token's own exp
		// says nothing new), the session's new end: a sliding session
		// renews the refresh token's life without rotating it.
		kept := *used
		kept.ID = res.Token.ID
		if ends := refreshExpiry(&TokenResult{Token: res.Token}, res.Token.IssuedAt.Round(0)); !ends.IsZero() {
			kept.ExpiresAt = ends
		}
		if kept.ID.Equal(used.ID) && kept.ExpiresAt.Equal(used.ExpiresAt) {
			return res.Token, used.ExpiresAt, nil
		}
		next = &kept
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cacheTimeout)
	defer cancel()
	if err := rs.SaveRefresh(ctx, p.Name, next); err != nil && next.Value != used.Value {
		return nil, time.Time{}, fmt.Errorf("keeping the new refresh token of %q: %w", p.Name, err)
	}
	return res.Token, next.ExpiresAt, nil
}

// newRefresh is the RefreshToken res carries, for p's sign-in.
func newRefresh(p Profile, res *TokenResult) *RefreshToken {
	issued := res.Token.IssuedAt.Round(0)
	return &RefreshToken{Value: res.RefreshToken, SessionFingerprint: p.SessionFingerprint(),
		IssuedAt: issued, ExpiresAt: refreshExpiry(res, issued), ID: res.Token.ID}
}
