package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

func TestTrayOffersSignInForBrowserSignInProfiles(t *testing.T) {
	user := testProfile("me")
	user.Grant, user.Auth, user.ClientSecret, user.AuthorizationURL = tokens.GrantAuthorizationCode, tokens.AuthNone, "", "https://auth.example.com/authorize"
	snap := &tokens.Snapshot{Profiles: []tokens.ProfileState{
		{Profile: user, LastError: &tokens.SignInNeededError{Profile: "me", Reason: tokens.ReasonSessionEnded}, Stopped: true},
		{Profile: deviceProfile("phone"), LastError: &tokens.SignInNeededError{Profile: "phone"}, Stopped: true},
		freshState("svc", token("A", t0.Add(-18*time.Minute), time.Hour)),
	}}
	var signedIn []string
	menu := buildTrayMenu(buildTrayModel(snap, t0), nil, trayActions{signIn: func(n string) { signedIn = append(signedIn, n) }})
	if got := menu.Items[1].Label; menu.Items[0].Label != trayCopyOrSignInHeader || got != "✗ me — sign-in needed" {
		t.Errorf("tray line %q", got)
	}
	if got := menu.Items[2].Label; got != "○ phone — not signed in" {
		t.Errorf("tray line of a profile no one signed in to: %q", got)
	}
	var more []string
	for _, it := range menu.Items {
		if it.Label == trayActionsLabel {
			for _, sub := range it.ChildMenu.Items {
				first := sub.ChildMenu.Items[0] // Sign in… leads while it is needed
				more = append(more, sub.Label+": "+first.Label)
				if first.Label == "Sign in…" {
					first.Action()
				}
			}
		}
	}
	if strings.Join(more, "; ") != "me: Sign in…; phone: Sign in…; svc: Copy token" || strings.Join(signedIn, ",") != "me,phone" {
		t.Errorf("actions %q, signed in %q", more, signedIn)
	}
}

// The tray's Sign in… runs the browser sign-in (here a $BROWSER script
// following the redirects with curl) and hands the tokens to the engine.
func TestTraySignInKeepsTheTokens(t *testing.T) {
	tokentest.CurlBrowser(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {"the-code"}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		tokentest.WriteJSON(w, 200, map[string]any{"access_token": "user-access", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "user-refresh-0123"})
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	m, client, st := realSignInEngine(t, srv.URL)
	h := newHarness(t, Options{Engine: m, SignIn: client})
	h.c.signIn("me")
	h.settle()
	tok, err := m.Token(context.Background(), "me", time.Minute)
	if err != nil || tok.AccessToken != "user-access" {
		t.Fatalf("after the tray's sign-in: %v, %v", tok, err)
	}
	if rt, err := st.(tokens.RefreshStore).LoadRefresh(context.Background(), "me"); err != nil || rt.Value != "user-refresh-0123" {
		t.Fatalf("refresh token %v, %v", rt, err)
	}
}

// realSignInEngine is the real Manager and HTTP client over a memory
// store (returned too) holding "me", a public browser sign-in profile of
// the server at base (its /authorize and /token), no one signed in; the
// Manager closes when the test ends.
func realSignInEngine(t *testing.T, base string) (*tokens.Manager, *oauth.Client, tokens.Store) {
	t.Helper()
	p := tokens.Profile{Name: "me", TokenURL: base + "/token", AuthorizationURL: base + "/authorize", ClientID: "cli",
		Auth: tokens.AuthNone, Grant: tokens.GrantAuthorizationCode}
	st := tokens.NewMemoryStore()
	if err := st.Save(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	client := oauth.NewClient(oauth.ClientOptions{})
	m := tokens.NewManager(tokens.ManagerOptions{Fetcher: client, Store: st})
	t.Cleanup(m.Close)
	if _, _, err := m.LoadProfiles(context.Background()); err != nil {
		t.Fatal(err)
	}
	return m, client, st
}
