package oauth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// PKCE (RFC 7636) and the state parameter (RFC 6749 §10.12): a few lines,
// as golang.org/x/oauth2's pkce.go, rather than a dependency of the app.

// newVerifier returns a fresh PKCE code verifier: 32 random bytes,
// base64url without padding (43 characters, RFC 7636 §4.1). One per
// sign-in attempt; never reused.
func newVerifier() string { return randomText(32) }

// s256 is the S256 code challenge of verifier (RFC 7636 §4.2). Tokentray
// never sends the plain method.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// newState returns 128 random bits, base64url: what ties the answer the
// browser brings back to this attempt.
func newState() string { return randomText(16) }

// sameState compares a state that came back with the one sent, in
// constant time.
func sameState(got, sent string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(sent)) == 1
}

func randomText(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}
