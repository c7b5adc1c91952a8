package demo_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/demo"
)

// codeSignIn signs p in through /authorize with scope and nonce ("" sends
// none) and redeems the code; it returns the token answer.
func codeSignIn(t *testing.T, p tokens.Profile, scope, nonce string) map[string]any {
	t.Helper()
	const redirect = "http://127.0.0.1:4711/callback"
	verifier := strings.Repeat("v", 43)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"client_id": {p.ClientID}, "response_type": {"code"}, "redirect_uri": {redirect}, "state": {"st"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}, "scope": {scope}}
	if nonce != "" {
		q.Set("nonce", nonce)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(p.AuthorizationURL + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := resp.Location()
	if loc == nil || loc.Query().Get("code") == "" {
		t.Fatalf("authorize = %d %v, want a code", resp.StatusCode, loc)
	}
	status, _, out := post(t, p.TokenURL, formType, url.Values{"grant_type": {"authorization_code"}, "client_id": {p.ClientID},
		"code": {loc.Query().Get("code")}, "redirect_uri": {redirect}, "code_verifier": {verifier}}.Encode(), nil)
	if status != http.StatusOK {
		t.Fatalf("code exchange = %d %v", status, out)
	}
	return out
}

// checkIDToken verifies raw as an OpenID Connect Core §3.1.3.7 relying
// party would, from the issuer's own metadata and JWKS, and returns its
// claims and header.
func checkIDToken(t *testing.T, s *demo.Server, p tokens.Profile, raw string, now time.Time) (jwt.MapClaims, map[string]any) {
	t.Helper()
	iss := s.URL() + "/clients/" + p.Name
	var md struct {
		Issuer        string `json:"issuer"`
		TokenEndpoint string `json:"token_endpoint"`
		JWKSURI       string `json:"jwks_uri"`
	}
	getJSON(t, iss+"/.well-known/openid-configuration", &md)
	if md.Issuer != iss || md.TokenEndpoint != p.TokenURL || md.JWKSURI == "" {
		t.Fatalf("metadata = %+v, want issuer %s, the profile's token URL and a jwks_uri", md, iss)
	}
	var set struct{ Keys []struct{ Kid, N, E string } }
	getJSON(t, md.JWKSURI, &set)
	if len(set.Keys) != 1 {
		t.Fatalf("jwks has %d keys", len(set.Keys))
	}
	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return s.PublicKey(), nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithIssuer(md.Issuer), jwt.WithAudience(p.ClientID))
	if err != nil {
		t.Fatalf("id_token does not verify: %v", err)
	}
	if tok.Header["kid"] != set.Keys[0].Kid {
		t.Errorf("id_token kid = %v, the JWKS publishes %q", tok.Header["kid"], set.Keys[0].Kid)
	}
	return claims, tok.Header
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// TestSignInProfilesAskForOpenID: the demo's sign-in profiles are OpenID
// Connect clients, so the app shows who signed in.
func TestSignInProfilesAskForOpenID(t *testing.T) {
	s := start(t)
	for _, name := range []string{demo.ProfileDevice, demo.ProfileSignIn} {
		if got := strings.Join(profile(t, s, name).Scopes, " "); got != "openid demo.read offline_access" {
			t.Errorf("%s scopes = %q, want openid demo.read offline_access", name, got)
		}
	}
}

// TestCodeSignInIssuesIDTokenWithTheNonce: the authorization code grant
// with openid answers an ID token of the demo user (OpenID Connect Core
// §2, §3.1.3.3) carrying the nonce of its own authorization request.
func TestCodeSignInIssuesIDTokenWithTheNonce(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	s := start(t, demo.WithClock(func() time.Time { return now }))
	p := profile(t, s, demo.ProfileSignIn)

	out := codeSignIn(t, p, "openid demo.read", "n-0S6_WzA2Mj")
	raw, _ := out["id_token"].(string)
	if raw == "" {
		t.Fatalf("answer %v has no id_token", out)
	}
	claims, hdr := checkIDToken(t, s, p, raw, now)
	if hdr["typ"] == "at+jwt" {
		t.Error("the id_token is typed as an access token")
	}
	want := map[string]any{"sub": demo.DemoUser, "nonce": "n-0S6_WzA2Mj", "name": "Demo User", "preferred_username": "demo",
		"email": "demo@example.com", "iat": float64(now.Unix()), "exp": float64(now.Add(demo.IDTokenLifetime).Unix()),
		"auth_time": float64(now.Unix())}
	for k, v := range want {
		if claims[k] != v {
			t.Errorf("%s = %v, want %v", k, claims[k], v)
		}
	}

	// Hostile: a nonce is bound to its own code: two sign-ins in flight
	// each get their own back. None sent, none answered.
	a, b := codeSignIn(t, p, "openid", "nonce-a"), codeSignIn(t, p, "openid", "nonce-b")
	for _, c := range []struct {
		out   map[string]any
		nonce any
	}{{a, "nonce-a"}, {b, "nonce-b"}, {codeSignIn(t, p, "openid", ""), nil}} {
		raw, _ := c.out["id_token"].(string)
		if claims, _ := checkIDToken(t, s, p, raw, now); claims["nonce"] != c.nonce {
			t.Errorf("nonce = %v, want %v", claims["nonce"], c.nonce)
		}
	}
}

// TestNoIDTokenWithoutOpenID: a grant whose scope has no openid is plain
// OAuth 2.0 and gets no ID token (OpenID Connect Core §3.1.2.1); nor does
// a refresh (§12.2 lets it omit one: the client keeps the sign-in's).
func TestNoIDTokenWithoutOpenID(t *testing.T) {
	s := start(t)
	p := profile(t, s, demo.ProfileSignIn)
	out := codeSignIn(t, p, "demo.read offline_access", "n1")
	if _, has := out["id_token"]; has {
		t.Errorf("scope without openid answered an id_token: %v", out)
	}
	out = codeSignIn(t, p, "openid offline_access", "n2")
	rt, _ := out["refresh_token"].(string)
	status, _, again := post(t, p.TokenURL, formType, "grant_type=refresh_token&client_id="+p.ClientID+"&refresh_token="+url.QueryEscape(rt), nil)
	if _, has := again["id_token"]; status != http.StatusOK || has {
		t.Errorf("refresh = %d %v, want tokens and no id_token", status, again)
	}
}

// TestOverlongNonceIsRefused (hostile): /authorize keeps the nonce with the
// code until it is redeemed, so an unbounded one would be kept memory a
// caller chooses; it is refused with invalid_request and no code.
func TestOverlongNonceIsRefused(t *testing.T) {
	s := start(t)
	p := profile(t, s, demo.ProfileSignIn)
	q := url.Values{"client_id": {p.ClientID}, "response_type": {"code"}, "redirect_uri": {"http://127.0.0.1:4711/callback"},
		"code_challenge": {strings.Repeat("c", 43)}, "code_challenge_method": {"S256"}, "nonce": {strings.Repeat("n", 4096)}}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(p.AuthorizationURL + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc, _ := resp.Location(); loc == nil || loc.Query().Get("code") != "" || loc.Query().Get("error") != "invalid_request" {
		t.Errorf("a 4096-byte nonce = %d %v, want error=invalid_request and no code", resp.StatusCode, loc)
	}
}

// TestDeviceSignInIssuesIDTokenWithoutNonce: the device grant with openid
// answers an ID token too, with no nonce (no authorization request sent one).
func TestDeviceSignInIssuesIDTokenWithoutNonce(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	s := start(t, demo.WithClock(func() time.Time { return now }))
	p := profile(t, s, demo.ProfileDevice)
	out := deviceTokens(t, p, "&nonce=sneaky")
	raw, _ := out["id_token"].(string)
	if raw == "" {
		t.Fatalf("answer %v has no id_token", out)
	}
	claims, _ := checkIDToken(t, s, p, raw, now)
	if _, has := claims["nonce"]; has || claims["sub"] != demo.DemoUser || claims["preferred_username"] != "demo" || claims["auth_time"] != float64(now.Unix()) {
		t.Errorf("claims = %v, want the demo user's, auth_time now and no nonce", claims)
	}
}

// deviceTokens signs in with p's device grant (the demo user approves
// after DevicePendingPolls polls) and returns the token answer; extra is
// appended to the device authorization request's form.
func deviceTokens(t *testing.T, p tokens.Profile, extra string) map[string]any {
	t.Helper()
	_, _, da := post(t, p.DeviceAuthorizationURL, formType, "client_id="+p.ClientID+extra, nil)
	dc, _ := da["device_code"].(string)
	poll := "grant_type=" + url.QueryEscape(tokens.GrantTypeDeviceCode) + "&client_id=" + p.ClientID + "&device_code=" + url.QueryEscape(dc)
	var out map[string]any
	for range demo.DevicePendingPolls + 1 {
		_, _, out = post(t, p.TokenURL, formType, poll, nil)
	}
	return out
}
