package tokens

import (
	"encoding/json"
	"errors"
	"fmt"
)

// The stored forms of a profile and a token: versioned JSON records, the
// same for every Store, so a store adapter only moves strings.

// StaleToken is LoadToken's error for a cached token fetched with another
// request than the profile's current one.
func StaleToken(name string) error {
	return fmt.Errorf("token of profile %q was fetched with other credentials or settings: %w", name, ErrNotFound)
}

// Errors of Store.Save and TokenCache.SaveToken for input no store accepts.
var (
	// ErrNoName refuses a profile without a name.
	ErrNoName = errors.New("profile has no name")
	// ErrNilToken refuses saving a nil token.
	ErrNilToken = errors.New("nil token")
	// ErrUnboundToken refuses a token that does not say which request it
	// was fetched with: it could not be told apart from one for other
	// credentials.
	ErrUnboundToken = errors.New("token has no request fingerprint")
)

type profileRecord struct {
	V       int      `json:"v"`
	Profile *Profile `json:"profile"`
}

type tokenRecord struct {
	V     int    `json:"v"`
	Token *Token `json:"token"` // carries its RequestFingerprint
}

// EncodeProfile returns p's stored form (secrets included: it belongs in
// the keyring only).
func EncodeProfile(p Profile) (string, error) {
	b, err := json.Marshal(profileRecord{V: 1, Profile: &p})
	if err != nil {
		return "", fmt.Errorf("encoding profile %q: %w", p.Name, err)
	}
	return string(b), nil
}

// DecodeProfile reads a stored profile; its errors never quote raw.
func DecodeProfile(raw string) (Profile, error) {
	var r profileRecord
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return Profile{}, errors.New("profile is not JSON")
	}
	if r.V != 1 || r.Profile == nil {
		return Profile{}, fmt.Errorf("not a version 1 profile (v=%d)", r.V)
	}
	return *r.Profile, nil
}

// EncodeToken returns t's stored form.
func EncodeToken(t *Token) (string, error) {
	b, err := json.Marshal(tokenRecord{V: 1, Token: t})
	if err != nil {
		return "", fmt.Errorf("encoding token: %w", err)
	}
	return string(b), nil
}

// DecodeToken reads a stored token; its errors never quote raw.
func DecodeToken(raw string) (*Token, error) {
	var r tokenRecord
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return nil, errors.New("token is not JSON")
	}
	if r.V != 1 || r.Token == nil {
		return nil, fmt.Errorf("not a version 1 token (v=%d)", r.V)
	}
	return r.Token, nil
}
