package tokens

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ErrNotJWT is returned (possibly wrapped) by DecodeJWT for tokens that are
// not a readable JWS: opaque tokens, encrypted JWE tokens (five parts), and
// three-part strings whose header or claims do not decode.
var ErrNotJWT = errors.New("token is not a JWT")

// JWTInfo is the decoded, unverified content of a JWT access token, for
// display. Numbers are json.Number values so that large integers keep every
// digit. A JWTInfo is not shared by the package; the caller owns it.
type JWTInfo struct {
	// Header is the JOSE header (alg, typ, kid, …).
	Header map[string]any
	// Claims is the payload (iss, sub, aud, exp, scope, …).
	Claims map[string]any
}

// DecodeJWT decodes the header and claims of a JWT without verifying its
// signature: Tokentray is the client and only displays what the token says.
// Opaque tokens and JWE tokens give an error wrapping ErrNotJWT. Errors never
// contain the token. DecodeJWT is safe for concurrent use.
func DecodeJWT(token string) (*JWTInfo, error) {
	switch strings.Count(token, ".") {
	case 2:
	case 4:
		return nil, fmt.Errorf("%w: encrypted (JWE) tokens cannot be read by the client", ErrNotJWT)
	default:
		return nil, fmt.Errorf("%w: opaque token", ErrNotJWT)
	}
	claims := jwt.MapClaims{}
	p := jwt.NewParser(jwt.WithJSONNumber(), jwt.WithPaddingAllowed())
	tok, _, err := p.ParseUnverified(token, claims)
	// An algorithm golang-jwt does not know (ErrTokenUnverifiable) does not
	// matter for display: header and claims are decoded before that check.
	if err != nil && !(errors.Is(err, jwt.ErrTokenUnverifiable) && tok != nil) {
		return nil, fmt.Errorf("%w: %s", ErrNotJWT, jwtProblem(err))
	}
	if tok.Header == nil {
		return nil, fmt.Errorf("%w: header is not a JSON object", ErrNotJWT)
	}
	if _, ok := tok.Header["alg"].(string); !ok {
		return nil, fmt.Errorf("%w: header has no alg", ErrNotJWT)
	}
	return &JWTInfo{Header: tok.Header, Claims: claims}, nil
}

// jwtProblem names what failed without quoting the input.
func jwtProblem(err error) string {
	msg := err.Error()
	for _, known := range []string{"could not base64 decode header", "could not JSON decode header",
		"could not base64 decode claim", "could not JSON decode claim", "could not base64 decode signature"} {
		if strings.Contains(msg, known) {
			return known
		}
	}
	return "malformed token"
}

// ExpiresAt returns the "exp" claim as a time; ok is false when it is absent
// or not a usable NumericDate.
func (j *JWTInfo) ExpiresAt() (t time.Time, ok bool) { return j.NumericDate("exp") }

// IssuedAt returns the "iat" claim as a time.
func (j *JWTInfo) IssuedAt() (t time.Time, ok bool) { return j.NumericDate("iat") }

// NotBefore returns the "nbf" claim as a time.
func (j *JWTInfo) NotBefore() (t time.Time, ok bool) { return j.NumericDate("nbf") }

// maxNumericDate bounds accepted NumericDates (year ~5138) so that bogus
// values cannot overflow time arithmetic.
const maxNumericDate = 1e11

// NumericDate returns claim name as a time when it is a JSON number (RFC 7519
// NumericDate, seconds since the epoch, fractions allowed) between 0 and
// year ~5138.
func (j *JWTInfo) NumericDate(name string) (time.Time, bool) {
	if j == nil {
		return time.Time{}, false
	}
	var f float64
	switch v := j.Claims[name].(type) {
	case json.Number:
		var err error
		if f, err = v.Float64(); err != nil {
			return time.Time{}, false
		}
	case float64:
		f = v
	default:
		return time.Time{}, false
	}
	if math.IsNaN(f) || f < 0 || f > maxNumericDate {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true
}
