package demo_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/demo"
)

const formType = "application/x-www-form-urlencoded"

func TestSignInProfilesAreValid(t *testing.T) {
	s := start(t)
	dev, web := profile(t, s, demo.ProfileDevice), profile(t, s, demo.ProfileSignIn)
	if dev.Grant != tokens.GrantDeviceCode || !strings.HasPrefix(dev.DeviceAuthorizationURL, s.URL()+"/") {
		t.Errorf("demo-device = grant %s, device URL %q", dev.Grant, dev.DeviceAuthorizationURL)
	}
	if web.Grant != tokens.GrantAuthorizationCode || !strings.HasPrefix(web.AuthorizationURL, s.URL()+"/") {
		t.Errorf("demo-signin = grant %s, authorization URL %q", web.Grant, web.AuthorizationURL)
	}
}

// TestDeviceGrantPollsThenIssuesAndRotates follows RFC 8628 by hand: the
// device authorization answer, authorization_pending twice, the tokens,
// then refresh tokens that rotate.
func TestDeviceGrantPollsThenIssuesAndRotates(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	s := start(t, demo.WithClock(func() time.Time { return now }))
	p := profile(t, s, demo.ProfileDevice)

	status, _, da := post(t, p.DeviceAuthorizationURL, formType, "client_id="+p.ClientID+"&scope=demo.read", nil)
	if status != http.StatusOK {
		t.Fatalf("device authorization = %d %v", status, da)
	}
	if uc, _ := da["user_code"].(string); !regexp.MustCompile(`^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$`).MatchString(uc) {
		t.Errorf("user_code = %q, want like WDJB-MJHT", uc)
	}
	if v, _ := da["verification_uri"].(string); !strings.HasPrefix(v, s.URL()+"/") {
		t.Errorf("verification_uri = %q, not on the demo server", v)
	} else if resp, err := http.Get(v); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET verification_uri = %v, %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if da["interval"] != float64(1) {
		t.Errorf("interval = %v, want 1", da["interval"])
	}
	dc, _ := da["device_code"].(string)
	poll := "grant_type=" + url.QueryEscape(tokens.GrantTypeDeviceCode) + "&client_id=" + p.ClientID + "&device_code=" + url.QueryEscape(dc)
	for i := range demo.DevicePendingPolls {
		if status, _, out := post(t, p.TokenURL, formType, poll, nil); status != http.StatusBadRequest || out["error"] != "authorization_pending" {
			t.Fatalf("poll %d = %d %v, want authorization_pending", i+1, status, out)
		}
	}
	status, _, tok := post(t, p.TokenURL, formType, poll, nil)
	if status != http.StatusOK {
		t.Fatalf("poll after approval = %d %v", status, tok)
	}
	claims := verify(t, tok["access_token"].(string), s.PublicKey(), now)
	if claims["sub"] != demo.DemoUser || claims["client_id"] != p.ClientID || claims["scope"] != "demo.read" {
		t.Errorf("claims = %v", claims)
	}
	if tok["refresh_expires_in"] != float64(demo.SessionLifetime.Seconds()) {
		t.Errorf("refresh_expires_in = %v", tok["refresh_expires_in"])
	}
	if status, _, out := post(t, p.TokenURL, formType, poll, nil); out["error"] != "invalid_grant" {
		t.Errorf("the redeemed device code again = %d %v, want invalid_grant", status, out)
	}

	refresh := func(rt string) (int, map[string]any) {
		status, _, out := post(t, p.TokenURL, formType, "grant_type=refresh_token&client_id="+p.ClientID+"&refresh_token="+url.QueryEscape(rt), nil)
		return status, out
	}
	r1, _ := tok["refresh_token"].(string)
	status, out := refresh(r1)
	r2, _ := out["refresh_token"].(string)
	if status != http.StatusOK || r2 == "" || r2 == r1 || out["access_token"] == tok["access_token"] {
		t.Fatalf("refresh = %d %v, want a new access token and a new refresh token", status, out)
	}
	if status, out := refresh(r1); status != http.StatusBadRequest || out["error"] != "invalid_grant" {
		t.Errorf("the rotated-out refresh token = %d %v, want invalid_grant", status, out)
	}
	if status, out := refresh(r2); status != http.StatusOK {
		t.Errorf("the new refresh token = %d %v", status, out)
	}
	// A secret sent by a public client is refused, not ignored.
	if status, _, out := post(t, p.TokenURL, formType, poll+"&client_secret=x", nil); status != http.StatusUnauthorized || out["error"] != "invalid_client" {
		t.Errorf("a client secret from the public client = %d %v, want invalid_client", status, out)
	}
}

// authorize asks the demo /authorize and returns where it redirects.
func authorize(t *testing.T, p tokens.Profile, redirect, state, challenge string) (int, *url.URL) {
	t.Helper()
	q := url.Values{"client_id": {p.ClientID}, "response_type": {"code"}, "redirect_uri": {redirect}, "state": {state},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"}, "scope": {"demo.read"}}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(p.AuthorizationURL + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	loc, _ := resp.Location()
	return resp.StatusCode, loc
}

// TestAuthorizationCodeWithPKCE signs in through /authorize (approved at
// once) and redeems the code with golang.org/x/oauth2, an independent
// client; a wrong verifier, a replayed code and a foreign redirect are refused.
func TestAuthorizationCodeWithPKCE(t *testing.T) {
	s := start(t)
	p := profile(t, s, demo.ProfileSignIn)
	const redirect = "http://127.0.0.1:4711/callback"
	cfg := &oauth2.Config{ClientID: p.ClientID, RedirectURL: redirect, Scopes: []string{"demo.read"},
		Endpoint: oauth2.Endpoint{AuthURL: p.AuthorizationURL, TokenURL: p.TokenURL, AuthStyle: oauth2.AuthStyleInParams}}
	verifier := oauth2.GenerateVerifier()

	status, loc := authorize(t, p, redirect, "st4te", oauth2.S256ChallengeFromVerifier(verifier))
	if status != http.StatusFound || loc == nil || loc.Host != "127.0.0.1:4711" || loc.Query().Get("state") != "st4te" || loc.Query().Get("code") == "" {
		t.Fatalf("authorize = %d %v, want a redirect to the callback with a code and the state", status, loc)
	}
	code := loc.Query().Get("code")
	if _, err := cfg.Exchange(t.Context(), code, oauth2.VerifierOption(oauth2.GenerateVerifier())); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Errorf("exchange with a wrong code_verifier = %v, want invalid_grant", err)
	}
	if _, err := cfg.Exchange(t.Context(), code, oauth2.VerifierOption(verifier)); err == nil {
		t.Error("the code was redeemed after a failed try; a code gets one try")
	}

	_, loc = authorize(t, p, redirect, "s2", oauth2.S256ChallengeFromVerifier(verifier))
	tok, err := cfg.Exchange(t.Context(), loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange with the right code_verifier: %v", err)
	}
	if tok.RefreshToken == "" {
		t.Error("no refresh token")
	}
	if _, err := cfg.Exchange(t.Context(), loc.Query().Get("code"), oauth2.VerifierOption(verifier)); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Errorf("a replayed code = %v, want invalid_grant", err)
	}

	// Without PKCE: sent back with an error, no code.
	sum := sha256.Sum256([]byte("x"))
	if _, loc := authorize(t, p, redirect, "s3", base64.StdEncoding.EncodeToString(sum[:])); loc == nil || loc.Query().Get("code") != "" || loc.Query().Get("error") != "invalid_request" {
		t.Errorf("a malformed code_challenge = %v, want error=invalid_request and no code", loc)
	}
	// Never redirects off the loopback interface (no open redirect).
	for _, r := range []string{"https://evil.example/callback", "http://127.0.0.1:4711/elsewhere", "http://evil.example/callback"} {
		if status, loc := authorize(t, p, r, "s", oauth2.S256ChallengeFromVerifier(verifier)); status != http.StatusBadRequest || loc != nil {
			t.Errorf("redirect_uri %q = %d %v, want 400 and no redirect", r, status, loc)
		}
	}
}
