package tokens

import (
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/tokentray/tokentray/tokens/testenv"
)

func TestSetExpiry(t *testing.T) {
	jwtExp := func(d time.Duration) string { return testenv.SignedJWT(t, jwt.MapClaims{"exp": testNow.Add(d).Unix()}) }
	hour := time.Hour
	cases := []struct {
		name         string
		token        string
		expiresIn    time.Duration
		assumed      time.Duration
		wantLife     time.Duration
		wantSource   ExpirySource
		wantConflict bool
	}{
		{"expires_in only", "opaque", 10 * time.Minute, 0, 10 * time.Minute, ExpiryFromExpiresIn, false},
		{"jwt exp only", jwtExp(hour), 0, 0, hour, ExpiryFromJWT, false},
		{"assumed default", "opaque", 0, 0, DefaultAssumedLifetime, ExpiryAssumed, false},
		{"assumed from profile", "opaque", 0, 20 * time.Minute, 20 * time.Minute, ExpiryAssumed, false},
		{"jwe has no claims", "h.k.iv.ct.tag", 0, 20 * time.Minute, 20 * time.Minute, ExpiryAssumed, false},
		{"jwt without exp", testenv.SignedJWT(t, jwt.MapClaims{"sub": "x"}), 0, 0, DefaultAssumedLifetime, ExpiryAssumed, false},
		{"agree within a minute: expires_in wins", jwtExp(hour + 30*time.Second), hour, 0, hour, ExpiryFromExpiresIn, false},
		{"exactly the allowed disagreement", jwtExp(hour - MaxExpiryDisagreement), hour, 0, hour, ExpiryFromExpiresIn, false},
		{"jwt exp earlier: conflict, jwt wins", jwtExp(10 * time.Minute), hour, 0, 10 * time.Minute, ExpiryFromJWT, true},
		{"expires_in earlier: conflict, expires_in wins", jwtExp(2 * hour), hour, 0, hour, ExpiryFromExpiresIn, true},
		{"exp in the past with iat: read relative to iat",
			testenv.SignedJWT(t, jwt.MapClaims{"iat": testNow.Add(-2 * hour).Unix(), "exp": testNow.Add(-hour).Unix()}), 0, 0, hour, ExpiryFromJWT, false},
		{"exp in the past without iat: ignored", jwtExp(-hour), 0, 0, DefaultAssumedLifetime, ExpiryAssumed, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := &Token{AccessToken: tc.token, IssuedAt: testNow}
			tok.SetExpiry(tc.expiresIn, tc.assumed)
			if got := tok.Lifetime(); got != tc.wantLife || tok.ExpirySource != tc.wantSource {
				t.Errorf("lifetime %v from %s, want %v from %s", got, tok.ExpirySource, tc.wantLife, tc.wantSource)
			}
			if (tok.ExpiryConflict != nil) != tc.wantConflict {
				t.Fatalf("conflict = %+v, want %v", tok.ExpiryConflict, tc.wantConflict)
			}
			if c := tok.ExpiryConflict; c != nil && !c.FromExpiresIn.Equal(testNow.Add(tc.expiresIn)) {
				t.Errorf("conflict FromExpiresIn = %v", c.FromExpiresIn)
			}
		})
	}
}
