package demo_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/demo"
)

func start(t *testing.T, opts ...demo.Option) *demo.Server {
	t.Helper()
	s, err := demo.Start(t.Context(), opts...)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func profile(t *testing.T, s *demo.Server, name string) tokens.Profile {
	t.Helper()
	for _, p := range s.Profiles() {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no profile %q in %d profiles", name, len(s.Profiles()))
	return tokens.Profile{}
}

// ccConfig is the golang.org/x/oauth2 client credentials configuration for p:
// an independent, widely used client checks the server speaks RFC 6749.
func ccConfig(p tokens.Profile) *clientcredentials.Config {
	style := oauth2.AuthStyleInHeader
	if p.Auth == tokens.AuthClientSecretPost {
		style = oauth2.AuthStyleInParams
	}
	return &clientcredentials.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, TokenURL: p.TokenURL, Scopes: p.Scopes, AuthStyle: style}
}

// verify checks the signature with key and returns the claims.
func verify(t *testing.T, raw string, key *rsa.PublicKey, now time.Time) jwt.MapClaims {
	t.Helper()
	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return key, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithAudience(demo.Audience))
	if err != nil {
		t.Fatalf("token does not verify: %v", err)
	}
	if tok.Header["typ"] != "at+jwt" || tok.Header["kid"] == "" {
		t.Errorf("header = %v, want typ at+jwt and a kid", tok.Header)
	}
	return claims
}

func TestBuiltinProfilesAreValidWithDistinctSecrets(t *testing.T) {
	s := start(t)
	ps := s.Profiles()
	names := []string{demo.ProfileHealthy, demo.ProfileJSON, demo.ProfileFlaky, demo.ProfileDevice, demo.ProfileSignIn}
	if len(ps) != len(names) || len(ps) != demo.BuiltinProfiles {
		t.Fatalf("got %d profiles, want %v", len(ps), names)
	}
	secrets := map[string]bool{}
	for i, p := range ps {
		if p.Name != names[i] || p.ClientID != p.Name {
			t.Errorf("profile %d = %q (client %q), want %q with the same client ID", i, p.Name, p.ClientID, names[i])
		}
		if err := p.Validate(); err != nil {
			t.Errorf("profile %q invalid: %v", p.Name, err)
		}
		if !strings.HasPrefix(p.TokenURL, s.URL()+"/") {
			t.Errorf("profile %q token URL %q is not on %s", p.Name, p.TokenURL, s.URL())
		}
		if p.Grant.SignsIn() {
			if p.ClientSecret != "" || p.Auth != tokens.AuthNone {
				t.Errorf("sign-in profile %q is not a public client (auth %s)", p.Name, p.Auth)
			}
			continue
		}
		if len(p.ClientSecret) < 32 || secrets[p.ClientSecret] {
			t.Errorf("profile %q: secret is short or shared", p.Name)
		}
		secrets[p.ClientSecret] = true
	}
	if p := ps[1]; p.Auth != tokens.AuthClientSecretPost || p.Body != tokens.BodyJSON {
		t.Errorf("demo-json uses %s/%s, want client_secret_post/json", p.Auth, p.Body)
	}
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Errorf("URL %q is not loopback", s.URL())
	}

	// Profiles hands out copies: changing one does not change the server.
	ps[0].Scopes[0] = "changed"
	ps[0].ClientSecret = "changed"
	if again := s.Profiles()[0]; again.Scopes[0] == "changed" || again.ClientSecret == "changed" {
		t.Error("Profiles returned shared state")
	}

	// Another server has other secrets and another key.
	other := start(t)
	if other.Profiles()[0].ClientSecret == ps[1].ClientSecret || other.PublicKey().Equal(s.PublicKey()) {
		t.Error("two servers share secrets or keys")
	}
}

func TestBasicClientGetsSignedShortLivedJWT(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	s := start(t, demo.WithClock(func() time.Time { return now }))
	p := profile(t, s, demo.ProfileHealthy)

	tok, err := ccConfig(p).Token(t.Context())
	if err != nil {
		t.Fatalf("x/oauth2 client credentials: %v", err)
	}
	if tok.TokenType != "Bearer" {
		t.Errorf("token_type = %q", tok.TokenType)
	}
	if got := tok.Extra("expires_in"); got != float64(120) {
		t.Errorf("expires_in = %v, want 120 (the default two minutes)", got)
	}
	claims := verify(t, tok.AccessToken, s.PublicKey(), now.Add(time.Minute))
	want := map[string]any{
		"iss": s.URL() + "/clients/" + p.ClientID, "sub": p.ClientID, "client_id": p.ClientID, "aud": demo.Audience,
		"scope": "demo.read demo.write", "iat": float64(now.Unix()), "exp": float64(now.Add(2 * time.Minute).Unix()),
	}
	for k, v := range want {
		if claims[k] != v {
			t.Errorf("claim %s = %v, want %v", k, claims[k], v)
		}
	}
	// The token is really short-lived: it fails verification after exp.
	if _, err := jwt.Parse(tok.AccessToken, func(*jwt.Token) (any, error) { return s.PublicKey(), nil },
		jwt.WithTimeFunc(func() time.Time { return now.Add(2*time.Minute + time.Second) })); !errors.Is(err, jwt.ErrTokenExpired) {
		t.Errorf("after exp: err = %v, want ErrTokenExpired", err)
	}

	tok2, err := ccConfig(p).Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if c2 := verify(t, tok2.AccessToken, s.PublicKey(), now); c2["jti"] == claims["jti"] || c2["jti"] == "" {
		t.Errorf("jti not unique: %v and %v", claims["jti"], c2["jti"])
	}
	if got := s.Requests(); got != 2 {
		t.Errorf("Requests = %d, want 2", got)
	}
}

func TestJWKSPublishesTheSigningKey(t *testing.T) {
	s := start(t)
	tok, err := ccConfig(profile(t, s, demo.ProfileHealthy)).Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(s.URL() + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var set struct {
		Keys []struct{ Kty, Kid, Alg, N, E string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil || len(set.Keys) != 1 {
		t.Fatalf("jwks: %v, %d keys", err, len(set.Keys))
	}
	k := set.Keys[0]
	n, err1 := base64.RawURLEncoding.DecodeString(k.N)
	e, err2 := base64.RawURLEncoding.DecodeString(k.E)
	if err1 != nil || err2 != nil || k.Kty != "RSA" || k.Alg != "RS256" {
		t.Fatalf("bad jwk %+v", k)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	verify(t, tok.AccessToken, pub, time.Now())
	hdr, _, _ := strings.Cut(tok.AccessToken, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(hdr)
	if !strings.Contains(string(raw), `"kid":"`+k.Kid+`"`) {
		t.Errorf("token header %s does not name kid %q", raw, k.Kid)
	}
}

func post(t *testing.T, u, contentType, body string, header http.Header) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("response body is not JSON: %v", err)
	}
	return resp.StatusCode, resp.Header, out
}

func basic(id, secret string) http.Header {
	return http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))}}
}

func jsonBody(t *testing.T, m map[string]any) string {
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestJSONClientNeedsJSONBody(t *testing.T) {
	s := start(t, demo.WithTokenLifetime(30*time.Second))
	p := profile(t, s, demo.ProfileJSON)
	body := jsonBody(t, map[string]any{"grant_type": "client_credentials", "client_id": p.ClientID, "client_secret": p.ClientSecret, "audience": demo.Audience})

	status, _, out := post(t, p.TokenURL, "application/json; charset=utf-8", body, nil)
	if status != http.StatusOK || out["access_token"] == nil || out["expires_in"] != float64(30) {
		t.Fatalf("JSON request: %d %v, want 200 with expires_in 30", status, out["error"])
	}
	claims := verify(t, out["access_token"].(string), s.PublicKey(), time.Now())
	if claims["sub"] != p.ClientID || claims["scope"] != "demo.read" {
		t.Errorf("claims sub=%v scope=%v", claims["sub"], claims["scope"])
	}

	// The same credentials form-encoded are refused, naming the content type.
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {p.ClientID}, "client_secret": {p.ClientSecret}}.Encode()
	status, _, out = post(t, p.TokenURL, "application/x-www-form-urlencoded", form, nil)
	if status != http.StatusBadRequest || out["error"] != "invalid_request" || !strings.Contains(out["error_description"].(string), "application/json") {
		t.Errorf("form request to JSON endpoint: %d %v", status, out)
	}
	// x/oauth2 sends form bodies: it must be refused too.
	if _, err := ccConfig(p).Token(t.Context()); err == nil {
		t.Error("form-encoding client got a token from the JSON endpoint")
	}
	// A non-string parameter is rejected.
	status, _, out = post(t, p.TokenURL, "application/json", `{"grant_type":"client_credentials","client_id":"demo-json","client_secret":1}`, nil)
	if status != http.StatusBadRequest || out["error"] != "invalid_request" {
		t.Errorf("numeric secret: %d %v", status, out)
	}
}

func TestWrongCredentialsAreInvalidClient(t *testing.T) {
	s := start(t)
	healthy := profile(t, s, demo.ProfileHealthy)
	js := profile(t, s, demo.ProfileJSON)
	form := url.Values{"grant_type": {"client_credentials"}}.Encode()
	formCT := "application/x-www-form-urlencoded"

	cases := []struct {
		name     string
		url      string
		ct, body string
		header   http.Header
		status   int
		code     string
	}{
		{"basic wrong secret", healthy.TokenURL, formCT, form, basic(healthy.ClientID, healthy.ClientSecret+"x"), 401, "invalid_client"},
		{"basic wrong id", healthy.TokenURL, formCT, form, basic("someone-else", healthy.ClientSecret), 401, "invalid_client"},
		{"basic secret of another client", healthy.TokenURL, formCT, form, basic(healthy.ClientID, js.ClientSecret), 401, "invalid_client"},
		{"basic client sends secret in body", healthy.TokenURL, formCT,
			url.Values{"grant_type": {"client_credentials"}, "client_id": {healthy.ClientID}, "client_secret": {healthy.ClientSecret}}.Encode(), nil, 401, "invalid_client"},
		{"no credentials", healthy.TokenURL, formCT, form, nil, 401, "invalid_client"},
		{"two methods at once", healthy.TokenURL, formCT,
			url.Values{"grant_type": {"client_credentials"}, "client_secret": {healthy.ClientSecret}}.Encode(), basic(healthy.ClientID, healthy.ClientSecret), 400, "invalid_request"},
		{"post wrong secret", js.TokenURL, "application/json",
			jsonBody(t, map[string]any{"grant_type": "client_credentials", "client_id": js.ClientID, "client_secret": "nope"}), nil, 401, "invalid_client"},
		{"post client uses basic", js.TokenURL, "application/json",
			jsonBody(t, map[string]any{"grant_type": "client_credentials"}), basic(js.ClientID, js.ClientSecret), 401, "invalid_client"},
		{"wrong grant type", healthy.TokenURL, formCT, url.Values{"grant_type": {"password"}}.Encode(), basic(healthy.ClientID, healthy.ClientSecret), 400, "unsupported_grant_type"},
		{"missing grant type", healthy.TokenURL, formCT, "", basic(healthy.ClientID, healthy.ClientSecret), 400, "invalid_request"},
		{"scope not granted", healthy.TokenURL, formCT, url.Values{"grant_type": {"client_credentials"}, "scope": {"demo.read admin"}}.Encode(), basic(healthy.ClientID, healthy.ClientSecret), 400, "invalid_scope"},
		{"other audience", healthy.TokenURL, formCT, url.Values{"grant_type": {"client_credentials"}, "audience": {"elsewhere"}}.Encode(), basic(healthy.ClientID, healthy.ClientSecret), 400, "invalid_target"},
		{"JSON to form endpoint", healthy.TokenURL, "application/json", `{"grant_type":"client_credentials"}`, basic(healthy.ClientID, healthy.ClientSecret), 400, "invalid_request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, hdr, out := post(t, c.url, c.ct, c.body, c.header)
			if status != c.status || out["error"] != c.code {
				t.Fatalf("got %d %v, want %d %s", status, out, c.status, c.code)
			}
			if out["access_token"] != nil {
				t.Error("refusal carries a token")
			}
			if status == 401 && c.header != nil && !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Basic") {
				t.Errorf("401 to Basic credentials without WWW-Authenticate: Basic (got %q)", hdr.Get("WWW-Authenticate"))
			}
		})
	}
	if got := s.Requests(); got != len(cases) {
		t.Errorf("Requests = %d, want %d (refusals count)", got, len(cases))
	}

	// The right credentials with a narrower scope work.
	status, _, out := post(t, healthy.TokenURL, formCT, url.Values{"grant_type": {"client_credentials"}, "scope": {"demo.read"}}.Encode(), basic(healthy.ClientID, healthy.ClientSecret))
	if status != 200 || out["scope"] != "demo.read" {
		t.Errorf("narrow scope: %d %v", status, out)
	}
}

func TestFlakyFailsEveryOtherRequest(t *testing.T) {
	s := start(t)
	p := profile(t, s, demo.ProfileFlaky)
	form := url.Values{"grant_type": {"client_credentials"}}.Encode()
	for i := 1; i <= 6; i++ {
		status, hdr, out := post(t, p.TokenURL, "application/x-www-form-urlencoded", form, basic(p.ClientID, p.ClientSecret))
		if i%2 == 1 {
			if status != 200 || out["access_token"] == nil {
				t.Errorf("request %d: %d %v, want a token", i, status, out["error"])
			}
			continue
		}
		if status != http.StatusServiceUnavailable || out["error"] != "temporarily_unavailable" || out["error_description"] == "" {
			t.Errorf("request %d: %d %v, want 503 temporarily_unavailable", i, status, out)
		}
		if hdr.Get("Retry-After") == "" || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
			t.Errorf("request %d: headers %v", i, hdr)
		}
	}
	// Other clients are not affected by the flaky one.
	h := profile(t, s, demo.ProfileHealthy)
	for i := 0; i < 2; i++ {
		if _, err := ccConfig(h).Token(t.Context()); err != nil {
			t.Errorf("healthy request %d: %v", i, err)
		}
	}
}

func TestExtraProfilesAndLifetime(t *testing.T) {
	s := start(t, demo.WithExtraProfiles(20), demo.WithTokenLifetime(45*time.Second))
	ps := s.Profiles()
	if len(ps) != demo.BuiltinProfiles+20 {
		t.Fatalf("got %d profiles, want %d", len(ps), demo.BuiltinProfiles+20)
	}
	extra := ps[demo.BuiltinProfiles:]
	if extra[0].Name != "demo-extra-01" || extra[19].Name != "demo-extra-20" {
		t.Errorf("extra names %q … %q", extra[0].Name, extra[19].Name)
	}
	for _, p := range extra {
		tok, err := ccConfig(p).Token(t.Context())
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		if got := tok.Extra("expires_in"); got != float64(45) {
			t.Errorf("%s: expires_in = %v, want 45", p.Name, got)
		}
		if c := verify(t, tok.AccessToken, s.PublicKey(), time.Now()); c["sub"] != p.ClientID {
			t.Errorf("%s: sub = %v", p.Name, c["sub"])
		}
	}
}

func TestStartRejectsBadOptions(t *testing.T) {
	for name, opt := range map[string]demo.Option{
		"lifetime under a second": demo.WithTokenLifetime(500 * time.Millisecond),
		"negative extras":         demo.WithExtraProfiles(-1),
		"nil clock":               demo.WithClock(nil),
	} {
		if s, err := demo.Start(t.Context(), opt); err == nil {
			s.Close()
			t.Errorf("%s: Start succeeded", name)
		} else if !strings.HasPrefix(err.Error(), "demo: ") {
			t.Errorf("%s: error %q lacks the package prefix", name, err)
		}
	}
}

func TestOnlyPOST(t *testing.T) {
	s := start(t)
	resp, err := http.Get(profile(t, s, demo.ProfileHealthy).TokenURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET token endpoint: %d Allow=%q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	status, _, out := post(t, s.URL()+"/clients/nobody/token", "application/x-www-form-urlencoded", "grant_type=client_credentials", nil)
	if status != http.StatusNotFound || out["error"] == nil {
		t.Errorf("unknown client endpoint: %d %v", status, out)
	}
	if s.Requests() != 0 {
		t.Errorf("Requests = %d, want 0", s.Requests())
	}
}

func TestStopsWithContextAndClose(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	s, err := demo.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := s.Profiles()[0]
	if _, err := ccConfig(p).Token(t.Context()); err != nil {
		t.Fatalf("before cancel: %v", err)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Post(p.TokenURL, "application/x-www-form-urlencoded", bytes.NewReader(nil))
		if err != nil {
			break // connection refused: the listener is closed
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("server still answers 5s after its context was cancelled")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close after cancel: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
