package tokens

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// MaxTokenTypeLen caps Token.TokenType; a longer type is cut.
const MaxTokenTypeLen = 40

// TypeBearer is the RFC 6750 token type, the only one Tokentray can put in
// an "Authorization: Bearer" header.
const TypeBearer = "Bearer"

// IsBearer reports whether the token may be used as a bearer credential
// (RFC 6749 §7.1: a client must not use a token type it does not
// understand). An empty type (tokens cached by older versions) counts as
// Bearer, as a missing token_type does.
func (t *Token) IsBearer() bool {
	return t != nil && (t.TokenType == "" || strings.EqualFold(t.TokenType, TypeBearer))
}

// BearerValue returns the access token for use after "Bearer ", or a
// *TokenTypeError when the token is of another type. Raw use of the token
// (t.AccessToken) stays possible for the caller who knows the type.
func (t *Token) BearerValue() (string, error) {
	if !t.IsBearer() {
		return "", &TokenTypeError{Type: t.TokenType}
	}
	return t.AccessToken, nil
}

// TokenTypeError refuses to use a non-Bearer token as a bearer credential.
type TokenTypeError struct {
	// Type is the token's type as the server sent it (printable).
	Type string
}

func (e *TokenTypeError) Error() string {
	return fmt.Sprintf("the token's type is %q, not Bearer", e.Type)
}

// CheckAccessToken reports whether s is an RFC 6750 §2.1 b64token:
// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". Opaque
// tokens and JWTs both fit. The error says what is wrong, never quoting s.
func CheckAccessToken(s string) error {
	if s == "" {
		return errors.New("it is empty")
	}
	body := strings.TrimRight(s, "=")
	if body == "" {
		return errors.New("it has only padding characters")
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~+/", c) >= 0:
			continue
		case c == '\r' || c == '\n':
			return fmt.Errorf("it contains a line break at byte %d", i+1)
		case c == ' ' || c == '\t':
			return fmt.Errorf("it contains white space at byte %d", i+1)
		case c < 0x20 || c == 0x7f:
			return fmt.Errorf("it contains a control character at byte %d", i+1)
		case c == '=':
			return fmt.Errorf("it has \"=\" at byte %d, which may only end it", i+1)
		case c >= 0x80:
			return fmt.Errorf("it contains a non-ASCII character at byte %d", i+1)
		default:
			return fmt.Errorf("it contains %q at byte %d, which a bearer token cannot hold", string(c), i+1)
		}
	}
	return nil
}

// LifetimeError says that no token can meet a requested validity: even a
// freshly issued one expires sooner.
type LifetimeError struct {
	// MinValid is the validity asked for.
	MinValid time.Duration
	// Lifetime is the fresh token's whole lifetime (ExpiresAt - IssuedAt).
	Lifetime time.Duration
	// Left is how long the token stays valid from now.
	Left time.Duration
	// Source is how the lifetime was determined.
	Source ExpirySource
}

func (e *LifetimeError) Error() string {
	return fmt.Sprintf("the server's tokens live %s, less than the %s asked for", e.Lifetime.Round(time.Second), e.MinValid)
}

// CheckMinValid returns a *LifetimeError when t, just obtained, does not
// stay valid for minValid after now.
func CheckMinValid(t *Token, now time.Time, minValid time.Duration) error {
	if t.ValidFor(now, minValid) {
		return nil
	}
	return &LifetimeError{MinValid: minValid, Lifetime: t.Lifetime(), Left: t.ExpiresAt.Sub(now), Source: t.ExpirySource}
}
