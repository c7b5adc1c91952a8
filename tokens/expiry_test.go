package tokens

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestSetExpiry(t *testing.T) {
	jwtExp := func(d time.Duration) string { return signedJWT(t, jwt.MapClaims{"exp": testNow.Add(d).Unix()}) }
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
		{"jwt without exp", signedJWT(t, jwt.MapClaims{"sub": "x"}), 0, 0, DefaultAssumedLifetime, ExpiryAssumed, false},
		{"agree within a minute: expires_in wins", jwtExp(hour + 30*time.Second), hour, 0, hour, ExpiryFromExpiresIn, false},
		{"exactly the allowed disagreement", jwtExp(hour - MaxExpiryDisagreement), hour, 0, hour, ExpiryFromExpiresIn, false},
		{"jwt exp earlier: conflict, jwt wins", jwtExp(10 * time.Minute), hour, 0, 10 * time.Minute, ExpiryFromJWT, true},
		{"expires_in earlier: conflict, expires_in wins", jwtExp(2 * hour), hour, 0, hour, ExpiryFromExpiresIn, true},
		{"exp in the past with iat: read relative to iat",
			signedJWT(t, jwt.MapClaims{"iat": testNow.Add(-2 * hour).Unix(), "exp": testNow.Add(-hour).Unix()}), 0, 0, hour, ExpiryFromJWT, false},
		{"exp in the past without iat: ignored", jwtExp(-hour), 0, 0, DefaultAssumedLifetime, ExpiryAssumed, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := &Token{AccessToken: tc.token, IssuedAt: testNow}
			setExpiry(tok, tc.expiresIn, tc.assumed)
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

func TestFetchExpiryFromJWTAndConflict(t *testing.T) {
	access := signedJWT(t, jwt.MapClaims{"sub": "svc", "exp": testNow.Add(15 * time.Minute).Unix()})
	var body map[string]any
	e := newTokenEndpoint(t, func(w http.ResponseWriter, _ recorded) { writeJSON(w, 200, body) })
	c := newTestClient(ClientOptions{})
	p := Profile{Name: "p", TokenURL: e.URL, ClientID: "c", ClientSecret: "s", AssumedLifetime: 7 * time.Minute}

	body = map[string]any{"access_token": access, "token_type": "Bearer"}
	tok := fetchOK(t, c, p)
	if tok.ExpirySource != ExpiryFromJWT || !tok.ExpiresAt.Equal(testNow.Add(15*time.Minute)) {
		t.Errorf("no expires_in: expiry %v from %s, want the JWT exp", tok.ExpiresAt, tok.ExpirySource)
	}

	body = map[string]any{"access_token": access, "expires_in": "3600"}
	tok = fetchOK(t, c, p)
	if tok.ExpiryConflict == nil || !tok.ExpiresAt.Equal(testNow.Add(15*time.Minute)) {
		t.Errorf("disagreeing expiry: %v conflict %+v, want the earlier JWT exp and a conflict", tok.ExpiresAt, tok.ExpiryConflict)
	}

	body = map[string]any{"access_token": "opaque"}
	tok, err := c.Fetch(context.Background(), p)
	if err != nil || tok.ExpirySource != ExpiryAssumed || tok.Lifetime() != 7*time.Minute {
		t.Errorf("opaque token: %v, %+v; want the profile's assumed 7m lifetime", err, tok)
	}
}
