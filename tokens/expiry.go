package tokens

import "time"

// SetExpiry fills t.ExpiresAt, t.ExpirySource and t.ExpiryConflict from t.IssuedAt
// (the client's time at the response), expiresIn (zero when the response
// stated no usable expires_in) and the access token's JWT "exp" claim.
//
// Order of preference: expires_in; else the JWT exp; else the profile's
// assumed lifetime (zero means DefaultAssumedLifetime). When expires_in and
// exp disagree by more than MaxExpiryDisagreement the earlier wins and the
// conflict is recorded. ExpiresAt is always after IssuedAt.
func (t *Token) SetExpiry(expiresIn, assumed time.Duration) {
	now := t.IssuedAt
	fromJWT, hasJWT := jwtExpiry(t.AccessToken, now)
	switch {
	case expiresIn > 0:
		fromIn := now.Add(expiresIn)
		t.ExpiresAt, t.ExpirySource = fromIn, ExpiryFromExpiresIn
		if hasJWT && fromIn.Sub(fromJWT).Abs() > MaxExpiryDisagreement {
			t.ExpiryConflict = &ExpiryConflict{FromExpiresIn: fromIn, FromJWT: fromJWT}
			if fromJWT.Before(fromIn) {
				t.ExpiresAt, t.ExpirySource = fromJWT, ExpiryFromJWT
			}
		}
	case hasJWT:
		t.ExpiresAt, t.ExpirySource = fromJWT, ExpiryFromJWT
	default:
		if assumed <= 0 {
			assumed = DefaultAssumedLifetime
		}
		t.ExpiresAt, t.ExpirySource = now.Add(assumed), ExpiryAssumed
	}
}

// jwtExpiry returns the expiry stated by a JWT access token's exp claim.
// Opaque and JWE tokens state none. An exp that is not after now (the
// token would be dead on arrival, which in practice means the clocks
// disagree) is read relative to the token's own iat when that gives a
// positive lifetime, and is otherwise ignored.
func jwtExpiry(token string, now time.Time) (time.Time, bool) {
	info, err := DecodeJWT(token)
	if err != nil {
		return time.Time{}, false
	}
	exp, ok := info.ExpiresAt()
	if !ok {
		return time.Time{}, false
	}
	if exp.After(now) {
		return exp, true
	}
	if iat, ok := info.IssuedAt(); ok && exp.After(iat) {
		return now.Add(exp.Sub(iat)), true
	}
	return time.Time{}, false
}
