package tokens

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
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
	parts := strings.Split(token, ".")
	header, err := decodePart[map[string]any](parts[0])
	switch {
	case errors.Is(err, errBase64):
		return nil, fmt.Errorf("%w: could not base64 decode header", ErrNotJWT)
	case err != nil:
		return nil, fmt.Errorf("%w: could not JSON decode header", ErrNotJWT)
	case header == nil:
		return nil, fmt.Errorf("%w: header is not a JSON object", ErrNotJWT)
	}
	claims, err := decodePart[map[string]any](parts[1])
	switch {
	case errors.Is(err, errBase64):
		return nil, fmt.Errorf("%w: could not base64 decode claim", ErrNotJWT)
	case err != nil:
		return nil, fmt.Errorf("%w: could not JSON decode claim", ErrNotJWT)
	}
	if _, err := decodeSegment(parts[2]); err != nil {
		return nil, fmt.Errorf("%w: could not base64 decode signature", ErrNotJWT)
	}
	if _, ok := header["alg"].(string); !ok {
		return nil, fmt.Errorf("%w: header has no alg", ErrNotJWT)
	}
	if claims == nil {
		claims = map[string]any{} // the claims "null", as golang-jwt reads it
	}
	return &JWTInfo{Header: header, Claims: claims}, nil
}

// errBase64 says a JWT part is not base64url.
var errBase64 = errors.New("not base64url")

// decodeSegment decodes one JWT part: base64url, padding allowed (as
// golang-jwt's WithPaddingAllowed reads it).
func decodeSegment(seg string) ([]byte, error) {
	if l := len(seg) % 4; l > 0 {
		seg += strings.Repeat("=", 4-l)
	}
	b, err := base64.URLEncoding.DecodeString(seg)
	if err != nil {
		return nil, errBase64
	}
	return b, nil
}

// decodePart decodes one JWT part into a T: base64url, then a single
// JSON value with numbers kept as json.Number. Errors wrap errBase64 or
// are the JSON decoder's; none quotes the part.
func decodePart[T any](seg string) (T, error) {
	var v T
	b, err := decodeSegment(seg)
	if err != nil {
		return v, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return v, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return v, errors.New("data after the JSON value")
	}
	return v, nil
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
