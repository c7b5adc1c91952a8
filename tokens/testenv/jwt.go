package testenv

import (
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// SignedJWT returns an HS256 JWT with claims, as a server would issue it
// (signed with a fixed test key nobody verifies).
func SignedJWT(tb testing.TB, claims jwt.MapClaims) string {
	tb.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte("server-signing-key-0123456789abcdef"))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
