package servertest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/ui/platform/browser"
)

// clock is a settable clock for the client: the server keeps real time,
// the client is moved past its tokens' expiry.
type clock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *clock) now() time.Time       { c.mu.Lock(); defer c.mu.Unlock(); return time.Now().Add(c.off) }
func (c *clock) skip(d time.Duration) { c.mu.Lock(); c.off += d; c.mu.Unlock() }

// tokenRequests records the token requests the client sends.
type tokenRequests struct {
	mu    sync.Mutex
	forms []url.Values
	// refreshIDTokens counts the refresh answers that carried an id_token.
	refreshIDTokens int
}

func (r *tokenRequests) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || !strings.HasSuffix(req.URL.Path, "/token") {
		return http.DefaultTransport.RoundTrip(req)
	}
	b, _ := io.ReadAll(req.Body)
	req.Body = io.NopCloser(strings.NewReader(string(b)))
	f, _ := url.ParseQuery(string(b))
	r.mu.Lock()
	r.forms = append(r.forms, f)
	r.mu.Unlock()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || f.Get("grant_type") != "refresh_token" {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(strings.NewReader(string(body)))
	if strings.Contains(string(body), `"id_token"`) {
		r.mu.Lock()
		r.refreshIDTokens++
		r.mu.Unlock()
	}
	return resp, nil
}

func (r *tokenRequests) first(grant string) url.Values {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range r.forms {
		if f.Get("grant_type") == grant {
			return f
		}
	}
	return nil
}

// userSetup is a profile of the Fosite server's public client, signed in
// through the scripted person.
type userSetup struct {
	srv    *fositeUser
	p      tokens.Profile
	store  tokens.Store
	client *oauth.Client
	clock  *clock
	sent   *tokenRequests
}

func signInWithFosite(t *testing.T, extraScopes ...string) *userSetup {
	t.Helper()
	srv := newFositeUser(t, time.Hour)
	u := &userSetup{srv: srv, store: tokens.NewMemoryStore(), clock: &clock{}, sent: &tokenRequests{},
		p: tokens.Profile{Name: "me", IssuerURL: srv.URL, ClientID: userClientID, Auth: tokens.AuthNone,
			Grant: tokens.GrantAuthorizationCode, Scopes: append([]string{"offline_access", "api.read"}, extraScopes...)}}
	u.client = oauth.NewClient(oauth.ClientOptions{Now: u.clock.now, HTTPClient: &http.Client{Transport: u.sent}})
	if err := u.store.Save(context.Background(), u.p); err != nil {
		t.Fatal(err)
	}
	script, pages := personBrowser(t, userPassword)
	opener := browser.Opener{Getenv: func(k string) string {
		if k == "BROWSER" {
			return script
		}
		return ""
	}}
	res, err := u.client.SignIn(context.Background(), u.p, oauth.SignInOptions{OpenBrowser: opener.Open, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if srv.logins.Load() != 1 {
		t.Fatalf("%d logins", srv.logins.Load())
	}
	if res.RefreshToken == "" {
		t.Fatal("Fosite issued no refresh token for offline_access")
	}
	if _, err := tokens.KeepSignIn(context.Background(), u.store, u.p, res); err != nil {
		t.Fatal(err)
	}
	// The person's browser landed on the page that says the tab can close.
	// SignIn returns once the callback has the code, which may be before
	// the browser (curl, started in the background) has written the page:
	// wait for it, boundedly.
	var done []byte
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		done, err = os.ReadFile(filepath.Join(pages, "done.html"))
		if (err == nil && strings.Contains(string(done), "You can close this tab")) || time.Now().After(deadline) {
			break
		}
	}
	if err != nil || !strings.Contains(string(done), "You can close this tab") {
		t.Fatalf("the browser ended on %q (%v)", done, err)
	}
	return u
}

func (u *userSetup) token(minValid time.Duration) (*tokens.Token, error) {
	return tokens.SharedToken(context.Background(), u.p, minValid, tokens.SharedTokenOptions{Cache: u.store, Fetcher: u.client, Now: u.clock.now})
}

func (u *userSetup) refreshToken(t *testing.T) string {
	t.Helper()
	rt, err := u.store.(tokens.RefreshStore).LoadRefresh(context.Background(), u.p.Name)
	if errors.Is(err, tokens.ErrNotFound) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return rt.Value
}

func TestSignInWithPKCEAndRefreshWithRotationAgainstFosite(t *testing.T) {
	u := signInWithFosite(t)
	first := u.refreshToken(t)
	code := u.sent.first("authorization_code")
	if code == nil || code.Get("code_verifier") == "" || !strings.HasPrefix(code.Get("redirect_uri"), "http://127.0.0.1:") {
		t.Fatalf("code request %v", code)
	}
	tok, err := u.token(time.Minute)
	if err != nil || u.srv.refreshes.Load() != 0 {
		t.Fatalf("a fresh sign-in's token: %v, %v (%d refreshes)", tok, err, u.srv.refreshes.Load())
	}
	// Past expiry: one refresh; Fosite rotates, and the new one is kept.
	u.clock.skip(2 * time.Hour)
	tok2, err := u.token(time.Minute)
	if err != nil || tok2.AccessToken == tok.AccessToken || u.srv.refreshes.Load() != 1 {
		t.Fatalf("after expiry: %v, %v (%d refreshes)", tok2, err, u.srv.refreshes.Load())
	}
	second := u.refreshToken(t)
	if second == "" || second == first {
		t.Fatalf("the rotated refresh token was not kept (%q → %q)", first, second)
	}
	u.clock.skip(2 * time.Hour)
	if _, err := u.token(time.Minute); err != nil || u.srv.refreshes.Load() != 2 {
		t.Fatalf("the next refresh: %v (%d refreshes)", err, u.srv.refreshes.Load())
	}
}

// Fosite refuses a replayed code and revokes what it issued: the profile
// then needs a sign-in, and the dead refresh token is not sent again.
func TestAReplayedCodeIsRefusedAndItsSignInEnds(t *testing.T) {
	u := signInWithFosite(t)
	code := u.sent.first("authorization_code")
	_, err := u.client.Grant(context.Background(), tokens.TokenRequest{Profile: u.p, Code: code.Get("code"),
		CodeVerifier: code.Get("code_verifier"), RedirectURI: code.Get("redirect_uri")})
	var se *tokens.ServerError
	if !errors.As(err, &se) || se.Code != "invalid_grant" {
		t.Fatalf("replayed code: %v", err)
	}
	u.clock.skip(2 * time.Hour)
	_, err = u.token(time.Minute)
	if !errors.Is(err, tokens.ErrSignInNeeded) {
		t.Fatalf("refresh after the code was replayed: %v, want sign-in needed", err)
	}
	refused := u.srv.refused.Load()
	if _, err := u.token(time.Minute); !errors.Is(err, tokens.ErrSignInNeeded) || u.srv.refused.Load() != refused {
		t.Fatalf("the refused refresh token was sent again (%v)", err)
	}
}

// A replayed refresh token (here an old one, as a second process without
// the shared fetch lock would send) makes Fosite revoke the whole sign-in:
// the reason refreshes are single-flight. Tokentray then says sign-in
// needed rather than retry.
func TestReuseDetectionEndsTheSignInAndTokentraySaysSo(t *testing.T) {
	u := signInWithFosite(t)
	old := u.refreshToken(t)
	u.clock.skip(2 * time.Hour)
	if _, err := u.token(time.Minute); err != nil {
		t.Fatal(err)
	}
	_, err := u.client.Grant(context.Background(), tokens.TokenRequest{Profile: u.p, RefreshToken: old})
	if err == nil {
		t.Fatal("Fosite accepted a spent refresh token")
	}
	u.clock.skip(2 * time.Hour)
	_, err = u.token(time.Minute)
	var sn *tokens.SignInNeededError
	if !errors.As(err, &sn) || sn.Cause == nil {
		t.Fatalf("after reuse detection: %v, want sign-in needed with the server's refusal", err)
	}
	if u.refreshToken(t) != "" {
		t.Error("the refused refresh token is still stored")
	}
}

// A wrong password leaves the browser on the login page: no answer comes,
// and the sign-in gives up at its timeout.
func TestASignInWithoutAnAnswerGivesUp(t *testing.T) {
	srv := newFositeUser(t, time.Hour)
	p := tokens.Profile{Name: "me", IssuerURL: srv.URL, ClientID: userClientID, Auth: tokens.AuthNone,
		Grant: tokens.GrantAuthorizationCode, Scopes: []string{"offline_access"}}
	script, _ := personBrowser(t, "wrong password")
	opener := browser.Opener{Getenv: func(k string) string {
		if k == "BROWSER" {
			return script
		}
		return ""
	}}
	_, err := oauth.NewClient(oauth.ClientOptions{}).SignIn(context.Background(), p, oauth.SignInOptions{OpenBrowser: opener.Open, Timeout: 3 * time.Second})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("SignIn = %v, want the timeout", err)
	}
}
