package oauth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// signedInAs are the claims kept of the sign-in a refresh continues: the
// ID token of idClaimsFor with nonce "n-0".
func signedInAs(is *testIssuer) *tokens.IDClaims {
	return &tokens.IDClaims{Issuer: is.URL, Subject: "user-42", Name: "Ada Lovelace", Email: "ada@example.com",
		AuthTime: testNow, Nonce: "n-0"}
}

// refreshWithIDToken makes a refresh request, for the sign-in id, to a
// token endpoint whose answer carries the ID token idToken makes ("" for
// none), and returns Grant's result and error.
func refreshWithIDToken(t *testing.T, id func(is *testIssuer) *tokens.IDClaims, idToken func(is *testIssuer) string, change ...func(*tokens.Profile)) (*tokens.TokenResult, error) {
	t.Helper()
	is := newTestIssuer(t)
	ep := newTokenEndpoint(t, func(w http.ResponseWriter, rec recorded) {
		answer := map[string]any{"access_token": "opaque-access-token-2", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "rt-2"}
		if raw := idToken(is); raw != "" {
			answer["id_token"] = raw
		}
		tokentest.WriteJSON(w, 200, answer)
	})
	is.extra = map[string]any{"token_endpoint": ep.URL + "/token"}
	p := tokens.Profile{Name: "me", IssuerURL: is.URL, EndpointOrigins: []string{ep.URL}, AuthorizationURL: is.URL + "/authorize",
		ClientID: "cli", Auth: tokens.AuthNone, Grant: tokens.GrantAuthorizationCode, Scopes: []string{"openid", "email"}}
	for _, f := range change {
		f(&p)
	}
	return newTestClient(ClientOptions{}).Grant(context.Background(), tokens.TokenRequest{Profile: p, RefreshToken: "rt-1", ID: id(is)})
}

// refreshIDToken is a refresh answer's ID token: idClaimsFor with the
// sign-in's nonce, changed by change, signed by the issuer's key.
func refreshIDToken(t *testing.T, change func(c jwt.MapClaims)) func(is *testIssuer) string {
	return func(is *testIssuer) string {
		c := idClaimsFor(is, "n-0")
		c["name"] = "Ada King"
		change(c)
		return sign(t, issuerKey(t, 0), "k1", c)
	}
}

// TestARefreshChecksItsOwnIDToken: a refresh answer's ID token must be the
// signed-in person's (OpenID Connect Core §12.2): same iss and sub, for
// this client, not expired, with iat, the sign-in's nonce or none, the
// same auth_time. Each hostile one fails the refresh with the check that
// caught it; before the check every one of them was passed on unchecked
// (the refresh succeeded). A good one updates the kept claims.
func TestARefreshChecksItsOwnIDToken(t *testing.T) {
	cases := []struct {
		name    string
		idToken func(is *testIssuer) string
		want    tokens.IDTokenCheck
	}{
		{"another sub", refreshIDToken(t, func(c jwt.MapClaims) { c["sub"] = "mallory" }), tokens.IDTokenSubject},
		{"a sub that prints the same", refreshIDToken(t, func(c jwt.MapClaims) { c["sub"] = "user-42\x1b[0m" }), tokens.IDTokenSubject},
		{"another iss", refreshIDToken(t, func(c jwt.MapClaims) { c["iss"] = "https://evil.example.com" }), tokens.IDTokenIssuer},
		{"another aud", refreshIDToken(t, func(c jwt.MapClaims) { c["aud"] = "another-client" }), tokens.IDTokenAudience},
		{"a fresh nonce", refreshIDToken(t, func(c jwt.MapClaims) { c["nonce"] = "n-fresh" }), tokens.IDTokenNonce},
		{"a bad signature", func(is *testIssuer) string {
			return sign(t, issuerKey(t, 1), "k1", idClaimsFor(is, "n-0"))
		}, tokens.IDTokenSignature},
		{"expired", refreshIDToken(t, func(c jwt.MapClaims) { c["exp"] = testNow.Add(-2 * time.Minute).Unix() }), tokens.IDTokenExpired},
		{"no iat", refreshIDToken(t, func(c jwt.MapClaims) { delete(c, "iat") }), tokens.IDTokenMalformed},
		{"another auth_time", refreshIDToken(t, func(c jwt.MapClaims) { c["auth_time"] = testNow.Add(time.Hour).Unix() }), tokens.IDTokenAuthTime},
		{"opaque", func(*testIssuer) string { return "not-a-jwt" }, tokens.IDTokenMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := refreshWithIDToken(t, signedInAs, c.idToken)
			var ie *tokens.IDTokenError
			if !errors.As(err, &ie) || ie.Check != c.want || !ie.Refresh || res != nil {
				t.Fatalf("Grant = %+v, %v; want the refresh's %s check to fail", res, err, c.want)
			}
			if strings.Contains(err.Error(), "eyJ") || strings.Contains(err.Error(), "rt-2") {
				t.Fatalf("the error quotes a token: %v", err)
			}
		})
	}

	t.Run("a nonce on a device sign-in, which sends none", func(t *testing.T) {
		deviceSignIn := func(is *testIssuer) *tokens.IDClaims { id := signedInAs(is); id.Nonce = ""; return id }
		toDevice := func(p *tokens.Profile) {
			p.Grant, p.AuthorizationURL, p.DeviceAuthorizationURL = tokens.GrantDeviceCode, "", p.IssuerURL+"/device"
		}
		_, err := refreshWithIDToken(t, deviceSignIn, refreshIDToken(t, func(jwt.MapClaims) {}), toDevice)
		var ie *tokens.IDTokenError
		if !errors.As(err, &ie) || ie.Check != tokens.IDTokenNonce {
			t.Fatalf("Grant: %v; want the nonce check to fail", err)
		}
	})
}

func TestAGoodRefreshIDTokenUpdatesTheKeptClaims(t *testing.T) {
	for name, change := range map[string]func(jwt.MapClaims){
		"with the sign-in's nonce": func(jwt.MapClaims) {},
		"without a nonce":          func(c jwt.MapClaims) { delete(c, "nonce") },
		"without auth_time":        func(c jwt.MapClaims) { delete(c, "auth_time") },
	} {
		t.Run(name, func(t *testing.T) {
			res, err := refreshWithIDToken(t, signedInAs, refreshIDToken(t, change))
			if err != nil {
				t.Fatalf("Grant: %v", err)
			}
			id := res.Token.ID
			if id == nil || id.Subject != "user-42" || id.Name != "Ada King" || id.Nonce != "n-0" || !id.AuthTime.Equal(testNow) {
				t.Fatalf("kept claims %+v", id)
			}
			if res.IDToken != "" || res.RefreshToken != "rt-2" {
				t.Fatalf("result: ID token %q, refresh token %q", res.IDToken, res.RefreshToken)
			}
		})
	}
	// A browser sign-in kept before its nonce was (an older Tokentray):
	// the nonce cannot be compared, the other checks still bind the token
	// to the person, and the sign-in survives the upgrade.
	older := func(is *testIssuer) *tokens.IDClaims { id := signedInAs(is); id.Nonce = ""; return id }
	res, err := refreshWithIDToken(t, older, refreshIDToken(t, func(jwt.MapClaims) {}))
	if err != nil || res.Token.ID == nil || res.Token.ID.Nonce != "" {
		t.Fatalf("a sign-in kept without its nonce: %v, %+v", err, res)
	}
	// No ID token: nothing to check, the caller keeps the sign-in's claims.
	res, err = refreshWithIDToken(t, signedInAs, func(*testIssuer) string { return "" })
	if err != nil || res.Token.ID != nil {
		t.Fatalf("without an ID token: %v, claims %+v", err, res.Token.ID)
	}
	// A sign-in without an ID token (a device grant's may have none): a
	// refresh's is checked as a first one, and must carry no nonce.
	none := func(*testIssuer) *tokens.IDClaims { return nil }
	res, err = refreshWithIDToken(t, none, refreshIDToken(t, func(c jwt.MapClaims) { delete(c, "nonce") }))
	if err != nil || res.Token.ID == nil || res.Token.ID.Subject != "user-42" {
		t.Fatalf("after a sign-in without an ID token: %v", err)
	}
}

// The issuer's keys are fetched before the refresh request, not only
// after its answer: the server rotates the refresh token as it answers,
// and an answer whose ID token cannot be checked keeps nothing, so a JWKS
// that cannot be reached just then would end the sign-in. Fetched first,
// the keys are at hand (the test failed first: none were fetched before
// the request). A JWKS that cannot be fetched beforehand does not stop a
// refresh whose answer carries no ID token.
func TestARefreshFetchesTheIssuersKeysFirst(t *testing.T) {
	var before int32 = -1
	res, err := refreshWithIDToken(t, signedInAs, func(is *testIssuer) string {
		before = is.jwksFetches.Load()
		return refreshIDToken(t, func(jwt.MapClaims) {})(is)
	})
	if err != nil || res.Token.ID == nil {
		t.Fatalf("Grant: %v", err)
	}
	if before != 1 {
		t.Fatalf("%d JWKS fetches before the refresh request, want 1", before)
	}
	is := newTestIssuer(t)
	ep := newTokenEndpoint(t, func(w http.ResponseWriter, rec recorded) {
		tokentest.WriteJSON(w, 200, map[string]any{"access_token": "opaque-access-token-2", "token_type": "Bearer", "expires_in": 3600})
	})
	is.extra = map[string]any{"token_endpoint": ep.URL + "/token"}
	is.jwksURI = is.URL + "/no-such-jwks"
	p := tokens.Profile{Name: "me", IssuerURL: is.URL, EndpointOrigins: []string{ep.URL}, AuthorizationURL: is.URL + "/authorize",
		ClientID: "cli", Auth: tokens.AuthNone, Grant: tokens.GrantAuthorizationCode, Scopes: []string{"openid"}}
	if _, err := newTestClient(ClientOptions{}).Grant(context.Background(), tokens.TokenRequest{Profile: p, RefreshToken: "rt-1", ID: signedInAs(is)}); err != nil {
		t.Fatalf("a refresh without an ID token, the JWKS unreachable: %v", err)
	}
}

// A refresh answer's ID token that cannot be checked because the
// issuer's keys cannot be fetched (an outage, not a bad token) fails the
// refresh as transient, not as the person's sign-in ending: a later
// refresh may well pass (on a server that does not rotate). The test
// failed first: the failure was permanent, a sign-in needed.
func TestARefreshWhoseIDTokenCannotBeCheckedIsTransient(t *testing.T) {
	is := newTestIssuer(t)
	ep := newTokenEndpoint(t, func(w http.ResponseWriter, rec recorded) {
		tokentest.WriteJSON(w, 200, map[string]any{"access_token": "opaque-access-token-2", "token_type": "Bearer", "expires_in": 3600,
			"refresh_token": "rt-2", "id_token": refreshIDToken(t, func(jwt.MapClaims) {})(is)})
	})
	is.extra = map[string]any{"token_endpoint": ep.URL + "/token"}
	is.jwksStatus = http.StatusServiceUnavailable
	p := tokens.Profile{Name: "me", IssuerURL: is.URL, EndpointOrigins: []string{ep.URL}, AuthorizationURL: is.URL + "/authorize",
		ClientID: "cli", Auth: tokens.AuthNone, Grant: tokens.GrantAuthorizationCode, Scopes: []string{"openid"}}
	_, err := newTestClient(ClientOptions{}).Grant(context.Background(), tokens.TokenRequest{Profile: p, RefreshToken: "rt-1", ID: signedInAs(is)})
	var ie *tokens.IDTokenError
	if !errors.As(err, &ie) || !ie.Refresh || !ie.Unchecked || ie.Check != tokens.IDTokenSignature {
		t.Fatalf("Grant = %v, want an unchecked refresh ID token", err)
	}
	if tokens.Classify(err) != tokens.Transient || errors.Is(err, tokens.ErrSignInNeeded) {
		t.Errorf("classed %v: an outage of the issuer's keys ends no sign-in", tokens.Classify(err))
	}
}
