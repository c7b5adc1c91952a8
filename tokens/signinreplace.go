package tokens

import (
	"context"
	"time"
)

// A new sign-in over an old one: a person signs in again (to switch
// account, after a Test in the form, or with `tokentray login` once
// more) while a refresh token of the profile's sign-in is stored. The new
// one is kept first; then, when the two sign-ins are known to be of
// different people (their checked ID tokens name another iss or sub), the
// old refresh token is revoked at its server, so that no live refresh
// token of the previous account is left behind where Tokentray can no
// longer reach it. The same person's, or an unknown one's, is left alone:
// some servers (Google's among them) revoke the whole grant of a client
// and user with any one of its tokens, which would end the new sign-in
// too.

// replacedRevokeTimeout bounds the revocation of a replaced refresh
// token: best effort, after the new sign-in is kept.
const replacedRevokeTimeout = 10 * time.Second

// ReplaceSignIn keeps res as p's sign-in in cache (KeepSignIn) and then,
// when another refresh token of p's sign-in was stored before, of another
// person (anotherPerson), revokes that one through revoke, with the
// issuer its sign-in named in the context (WithSignInIssuer). The revocation is best effort: its failure
// (or ErrNoEndpoint) keeps the new sign-in and is reported only as
// revoked false. revoke nil revokes nothing.
//
// Errors: KeepSignIn's. Safe for concurrent use; blocks on the cache and
// the network.
func ReplaceSignIn(ctx context.Context, cache TokenCache, p Profile, res *TokenResult, revoke RevokeFunc) (t *Token, revoked bool, err error) {
	var old *RefreshToken
	iss := ""
	if revoke != nil {
		if rt, err := StoredRefresh(ctx, cache, p); err == nil {
			old, iss = rt, signInIssuer(ctx, cache, p, rt) // read before the new sign-in's tokens replace them
		}
	}
	if t, err = KeepSignIn(ctx, cache, p, res); err != nil || old == nil || !anotherPerson(old.ID, res.Token.ID) {
		return t, false, err
	}
	rctx, cancel := context.WithTimeout(WithSignInIssuer(context.WithoutCancel(ctx), iss), replacedRevokeTimeout)
	defer cancel()
	return t, revoke(rctx, p, old.Value) == nil, nil
}

// anotherPerson reports whether two sign-ins' checked claims name
// different people (issuer or subject); unknown (either nil) is not.
func anotherPerson(old, next *IDClaims) bool {
	return old != nil && next != nil && (old.Issuer != next.Issuer || old.Subject != next.Subject)
}
