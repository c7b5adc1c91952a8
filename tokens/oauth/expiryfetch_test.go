package oauth

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/testenv"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

func TestFetchExpiryFromJWTAndConflict(t *testing.T) {
	access := testenv.SignedJWT(t, jwt.MapClaims{"sub": "svc", "exp": testNow.Add(15 * time.Minute).Unix()})
	var body map[string]any
	e := newTokenEndpoint(t, func(w http.ResponseWriter, _ recorded) { tokentest.WriteJSON(w, 200, body) })
	c := newTestClient(ClientOptions{})
	p := tokens.Profile{Name: "p", TokenURL: e.URL, ClientID: "c", ClientSecret: "s", AssumedLifetime: 7 * time.Minute}

	body = map[string]any{"access_token": access, "token_type": "Bearer"}
	tok := fetchOK(t, c, p)
	if tok.ExpirySource != tokens.ExpiryFromJWT || !tok.ExpiresAt.Equal(testNow.Add(15*time.Minute)) {
		t.Errorf("no expires_in: expiry %v from %s, want the JWT exp", tok.ExpiresAt, tok.ExpirySource)
	}

	body = map[string]any{"access_token": access, "expires_in": "3600"}
	tok = fetchOK(t, c, p)
	if tok.ExpiryConflict == nil || !tok.ExpiresAt.Equal(testNow.Add(15*time.Minute)) {
		t.Errorf("disagreeing expiry: %v conflict %+v, want the earlier JWT exp and a conflict", tok.ExpiresAt, tok.ExpiryConflict)
	}

	body = map[string]any{"access_token": "opaque"}
	tok, err := c.Fetch(context.Background(), p)
	if err != nil || tok.ExpirySource != tokens.ExpiryAssumed || tok.Lifetime() != 7*time.Minute {
		t.Errorf("opaque token: %v, %+v; want the profile's assumed 7m lifetime", err, tok)
	}
}
