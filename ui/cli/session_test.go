package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// signInProfile adds a browser sign-in profile "me" on urls of base.
func (h *harness) signInProfile(base string, extra ...string) tokens.Profile {
	h.t.Helper()
	h.mustRun("", append([]string{"add", "me", "--grant", "authorization_code", "--auth", "none", "--client-id", "cli",
		"--authorization-url", base + "/authorize", "--token-url", base + "/token"}, extra...)...)
	p, err := loadProfile(context.Background(), h.store, "me")
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

func listJSON(t *testing.T, h *harness) []listEntry {
	t.Helper()
	var entries []listEntry
	if err := json.Unmarshal([]byte(h.mustRun("", "list", "--json")), &entries); err != nil {
		t.Fatal(err)
	}
	return entries
}

// `list` says "not signed in" for a profile no one signed in to, from the
// keyring and from the running app alike (the app's word kept its type:
// it said "refresh failed" before), and "sign-in needed" for a session
// the app saw end.
func TestListSaysNotSignedInFromTheKeyringAndTheApp(t *testing.T) {
	h := newHarness(t)
	p := h.signInProfile("https://auth.example.com")
	if e := listJSON(t, h); len(e) != 1 || e[0].State != "not-signed-in" {
		t.Fatalf("from the keyring: %+v", e)
	}
	if out := h.mustRun("", "list"); !regexp.MustCompile(`me\s.*\snot signed in\s+-\n`).MatchString(out) {
		t.Errorf("list from the keyring:\n%s", out)
	}
	h.appStatus = &tokens.Snapshot{Profiles: []tokens.ProfileState{{Profile: p, Stopped: true, FailureStreak: 1, LastAttempt: h.now,
		ErrorClass: tokens.Permanent, LastError: &tokens.SignInNeededError{Profile: "me"}}}}
	if e := listJSON(t, h); len(e) != 1 || e[0].State != "not-signed-in" {
		t.Fatalf("from the app: %+v", e)
	}
	if out := h.mustRun("", "list"); !regexp.MustCompile(`me\s.*\snot signed in\s+-\n`).MatchString(out) {
		t.Errorf("list from the app:\n%s", out)
	}
	h.appStatus.Profiles[0].LastError = &tokens.SignInNeededError{Profile: "me", Reason: tokens.ReasonSessionEnded}
	if e := listJSON(t, h); len(e) != 1 || e[0].State != "sign-in-needed" {
		t.Fatalf("a session the app saw end: %+v", e)
	}
}

// `list` says when the session ends, in --json always and in the table
// within a day, as the tray does; the running app's word counts.
func TestListSaysWhenTheSessionEnds(t *testing.T) {
	h := newHarness(t)
	p := h.signInProfile("https://auth.example.com")
	tok := &tokens.Token{AccessToken: "opaque-access-token", TokenType: "Bearer", IssuedAt: h.now, ExpiresAt: h.now.Add(time.Hour),
		Extra: map[string]any{"refresh_expires_in": float64(8 * 3600)}}
	if _, err := tokens.KeepSignIn(context.Background(), h.store, p, &tokens.TokenResult{Token: tok, RefreshToken: "refresh-token-0123456789"}); err != nil {
		t.Fatal(err)
	}
	e := listJSON(t, h)
	if len(e) != 1 || e[0].SessionEndsAt == nil || e[0].SessionEndsAt.Sub(h.now.Add(8*time.Hour)).Abs() > time.Minute || e[0].State != "fresh" {
		t.Fatalf("list --json: %+v", e)
	}
	if out := h.mustRun("", "list"); !strings.Contains(out, "1:00:00 · session ends in 8 h") {
		t.Errorf("list:\n%s", out)
	}
	// The app knows a later end (its refresh rotated the refresh token).
	h.appStatus = &tokens.Snapshot{Profiles: []tokens.ProfileState{{Profile: p, LastAttempt: h.now, SessionEnds: h.now.Add(30 * time.Hour)}}}
	e = listJSON(t, h)
	if len(e) != 1 || e[0].SessionEndsAt == nil || !e[0].SessionEndsAt.Equal(h.now.Add(30*time.Hour)) {
		t.Fatalf("list --json with the app: %+v", e)
	}
	if out := h.mustRun("", "list"); strings.Contains(out, "session ends") {
		t.Errorf("list shows a session ending in 30 h:\n%s", out)
	}
}

// `tokentray logout` revokes first: a revocation that fails forgets
// nothing (still signed in, the app is not told), one that works forgets
// both tokens and tells the app.
func TestLogoutForgetsNothingWhenTheRevocationFails(t *testing.T) {
	var mu sync.Mutex
	status := http.StatusServiceUnavailable
	var revoked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		defer mu.Unlock()
		revoked = append(revoked, r.Form.Get("token_type_hint"))
		if status != http.StatusOK {
			tokentest.WriteJSON(w, status, map[string]any{"error": "temporarily_unavailable"})
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	h := newHarness(t)
	p := h.signInProfile(srv.URL, "--revocation-url", srv.URL+"/revoke")
	tok := &tokens.Token{AccessToken: "opaque-access-token", TokenType: "Bearer", IssuedAt: h.now, ExpiresAt: h.now.Add(time.Hour)}
	if _, err := tokens.KeepSignIn(context.Background(), h.store, p, &tokens.TokenResult{Token: tok, RefreshToken: "refresh-token-0123456789"}); err != nil {
		t.Fatal(err)
	}
	code, _, errs := h.run("", "logout", "me")
	if code == 0 || !strings.Contains(errs, "still signed in") || len(h.dropped) != 0 {
		t.Fatalf("logout with the server down: exit %d, %s, app told %q", code, errs, h.dropped)
	}
	if _, err := tokens.StoredRefresh(context.Background(), h.store, p); err != nil {
		t.Fatalf("a failed revocation forgot the refresh token: %v", err)
	}
	mu.Lock()
	status = http.StatusOK
	mu.Unlock()
	if out := h.mustRun("", "logout", "me"); !strings.Contains(out, "revoked") || strings.Join(h.dropped, ",") != "me" {
		t.Fatalf("logout: %q, app told %q", out, h.dropped)
	}
	if _, err := tokens.StoredRefresh(context.Background(), h.store, p); err == nil {
		t.Fatal("logout kept the refresh token")
	}
	if e := listJSON(t, h); len(e) != 1 || e[0].State != "not-signed-in" {
		t.Errorf("after logout: %+v", e)
	}
	if strings.Join(revoked, ",") != "refresh_token,refresh_token" {
		t.Errorf("revocations %q", revoked)
	}
}
