package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// oidcSignIn signs in to a hostile issuer whose token endpoint answers
// with the ID token idToken makes of the nonce the authorization request
// sent ("" when it sent none), and returns the result, the error and the
// authorization request's parameters.
//
// withIssuer: the profile names the issuer (and discovers its endpoints),
// else only the token URL (the ID token's iss is discovered and must name
// that token endpoint).
func oidcSignIn(t *testing.T, scopes []string, idToken func(is *testIssuer, nonce string) string) (*tokens.TokenResult, error, url.Values) {
	return oidcSignInTo(t, true, scopes, idToken)
}

func oidcSignInTo(t *testing.T, withIssuer bool, scopes []string, idToken func(is *testIssuer, nonce string) string) (*tokens.TokenResult, error, url.Values) {
	t.Helper()
	is := newTestIssuer(t)
	var mu sync.Mutex
	var auth url.Values
	ep := newTokenEndpoint(t, func(w http.ResponseWriter, _ recorded) {
		mu.Lock()
		nonce := auth.Get("nonce")
		mu.Unlock()
		answer := map[string]any{"access_token": "opaque-access-token-1", "token_type": "Bearer", "expires_in": 3600}
		if id := idToken(is, nonce); id != "" {
			answer["id_token"] = id
		}
		tokentest.WriteJSON(w, 200, answer)
	})
	is.extra = map[string]any{"token_endpoint": ep.URL + "/token"}
	p := tokens.Profile{Name: "me", TokenURL: ep.URL + "/token", AuthorizationURL: is.URL + "/authorize", ClientID: "cli",
		Auth: tokens.AuthNone, Grant: tokens.GrantAuthorizationCode, Scopes: scopes}
	if withIssuer {
		p.IssuerURL, p.TokenURL, p.EndpointOrigins = is.URL, "", []string{ep.URL}
	}
	pages := make(chan *http.Response, 1)
	answer := browserAnswer(func(q url.Values) url.Values {
		mu.Lock()
		auth = q
		mu.Unlock()
		return url.Values{"state": {q.Get("state")}, "code": {"code-0123456789"}}
	})
	res, err := newTestClient(ClientOptions{}).SignIn(context.Background(), p, SignInOptions{OpenBrowser: answer.open(t, pages), Timeout: 10 * time.Second})
	mu.Lock()
	defer mu.Unlock()
	return res, err, auth
}

// idClaimsFor are a valid ID token's claims for client "cli" at testNow.
func idClaimsFor(is *testIssuer, nonce string) jwt.MapClaims {
	return jwt.MapClaims{"iss": is.URL, "sub": "user-42", "aud": "cli", "nonce": nonce, "iat": testNow.Unix(),
		"exp": testNow.Add(5 * time.Minute).Unix(), "name": "Ada \x1b[2JLovelace", "email": "ada@example.com", "auth_time": testNow.Unix()}
}

func TestSignInChecksTheIDTokenAndKeepsItsClaims(t *testing.T) {
	res, err, auth := oidcSignIn(t, []string{"openid", "email"}, func(is *testIssuer, nonce string) string {
		return sign(t, issuerKey(t, 0), "k1", idClaimsFor(is, nonce))
	})
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if len(auth.Get("nonce")) < 20 {
		t.Fatalf("the authorization request's nonce: %q", auth.Get("nonce"))
	}
	id := res.Token.ID
	if id == nil || id.Subject != "user-42" || id.Email != "ada@example.com" || id.Name != "Ada Lovelace" || !id.AuthTime.Equal(testNow) {
		t.Fatalf("kept claims %+v", id)
	}
	if res.IDToken != "" {
		t.Fatal("the raw ID token left the sign-in")
	}
	// Each attempt sends its own nonce.
	_, _, again := oidcSignIn(t, []string{"openid"}, func(is *testIssuer, nonce string) string {
		return sign(t, issuerKey(t, 0), "k1", idClaimsFor(is, nonce))
	})
	if again.Get("nonce") == auth.Get("nonce") {
		t.Fatal("two sign-ins sent the same nonce")
	}
	// Without an issuer URL: the ID token's iss names the token endpoint.
	if res, err, _ := oidcSignInTo(t, false, []string{"openid"}, func(is *testIssuer, nonce string) string {
		return sign(t, issuerKey(t, 0), "k1", idClaimsFor(is, nonce))
	}); err != nil || res.Token.ID == nil {
		t.Fatalf("without an issuer URL: %v", err)
	}
	// Without openid: no nonce, no ID token asked or kept.
	res, err, auth = oidcSignIn(t, []string{"email"}, func(*testIssuer, string) string { return "" })
	if err != nil || auth.Has("nonce") || res.Token.ID != nil {
		t.Fatalf("without openid: %v, nonce %q, claims %+v", err, auth.Get("nonce"), res.Token.ID)
	}
}

// TestSignInRefusesABadIDToken: each ID token a hostile server can send
// fails the sign-in with the check that caught it (the sign-in succeeded
// with every one of them before the check existed).
func TestSignInRefusesABadIDToken(t *testing.T) {
	with := func(change func(c jwt.MapClaims)) func(is *testIssuer, nonce string) string {
		return func(is *testIssuer, nonce string) string {
			c := idClaimsFor(is, nonce)
			change(c)
			return sign(t, issuerKey(t, 0), "k1", c)
		}
	}
	cases := []struct {
		name    string
		idToken func(is *testIssuer, nonce string) string
		want    tokens.IDTokenCheck
	}{
		{"none", func(*testIssuer, string) string { return "" }, tokens.IDTokenMissing},
		{"opaque", func(*testIssuer, string) string { return "not-a-jwt" }, tokens.IDTokenMalformed},
		{"wrong nonce", with(func(c jwt.MapClaims) { c["nonce"] = "replayed-nonce" }), tokens.IDTokenNonce},
		{"no nonce", with(func(c jwt.MapClaims) { delete(c, "nonce") }), tokens.IDTokenNonce},
		{"wrong aud", with(func(c jwt.MapClaims) { c["aud"] = "another-client" }), tokens.IDTokenAudience},
		{"several aud without azp", with(func(c jwt.MapClaims) { c["aud"] = []string{"cli", "another-client"} }), tokens.IDTokenAudience},
		{"azp of another client", with(func(c jwt.MapClaims) { c["azp"] = "another-client" }), tokens.IDTokenAudience},
		{"expired", with(func(c jwt.MapClaims) { c["exp"] = testNow.Add(-2 * time.Minute).Unix() }), tokens.IDTokenExpired},
		{"no exp", with(func(c jwt.MapClaims) { delete(c, "exp") }), tokens.IDTokenExpired},
		{"another issuer", with(func(c jwt.MapClaims) { c["iss"] = "https://evil.example.com" }), tokens.IDTokenIssuer},
		{"alg none", func(is *testIssuer, nonce string) string {
			s, err := jwt.NewWithClaims(jwt.SigningMethodNone, idClaimsFor(is, nonce)).SignedString(jwt.UnsafeAllowNoneSignatureType)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, tokens.IDTokenSignature},
		{"HS256 with the public key", func(is *testIssuer, nonce string) string {
			tok := jwt.NewWithClaims(jwt.SigningMethodHS256, idClaimsFor(is, nonce))
			tok.Header["kid"] = "k1"
			s, err := tok.SignedString(issuerKey(t, 0).PublicKey.N.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, tokens.IDTokenSignature},
		{"another key", func(is *testIssuer, nonce string) string {
			return sign(t, issuerKey(t, 1), "k1", idClaimsFor(is, nonce))
		}, tokens.IDTokenSignature},
		{"unknown kid", func(is *testIssuer, nonce string) string {
			return sign(t, issuerKey(t, 1), "k9", idClaimsFor(is, nonce))
		}, tokens.IDTokenSignature},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err, _ := oidcSignIn(t, []string{"openid"}, c.idToken)
			var ie *tokens.IDTokenError
			if !errors.As(err, &ie) || ie.Check != c.want || res != nil {
				t.Fatalf("SignIn = %v, %v; want the %s check to fail", res, err, c.want)
			}
			if strings.Contains(err.Error(), "eyJ") {
				t.Fatalf("the error quotes the token: %v", err)
			}
		})
	}
}
