package tokens

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// A new sign-in over a stored one of another person (Sign in again… to
// switch account, the form's Test kept on Save, `tokentray login` once
// more) revokes the replaced refresh token after keeping the new one: no
// live refresh token of the previous account is left behind at the
// server, unreachable from Tokentray. The same person signing in again,
// or a sign-in whose person is unknown (no ID token), revokes nothing:
// some servers revoke a client's whole grant for a user with any one
// token, which would end the new sign-in too. A failed revocation keeps
// the new sign-in. (Failed first: nothing was ever revoked.)
func TestANewSignInOfAnotherPersonRevokesTheReplacedRefreshToken(t *testing.T) {
	ada, bob := &IDClaims{Issuer: "https://id.example.com", Subject: "ada"}, &IDClaims{Issuer: "https://id.example.com", Subject: "bob"}
	elsewhere := &IDClaims{Issuer: "https://other.example.com", Subject: "ada"}
	for _, c := range []struct {
		name      string
		old, next *IDClaims
		fail      bool
		want      string
	}{
		{"another person", ada, bob, false, "rt-old"},
		{"another issuer", ada, elsewhere, false, "rt-old"},
		{"revocation failing", ada, bob, true, "rt-old"},
		{"the same person", ada, &IDClaims{Issuer: ada.Issuer, Subject: "ada", Name: "Ada"}, false, ""},
		{"the new person unknown", ada, nil, false, ""},
		{"the old person unknown", nil, bob, false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := userProfileT("me")
			st := NewMemoryStore()
			ctx := context.Background()
			if err := st.Save(ctx, p); err != nil {
				t.Fatal(err)
			}
			if err := st.(RefreshStore).SaveRefresh(ctx, p.Name, &RefreshToken{Value: "rt-old", SessionFingerprint: p.SessionFingerprint(), ID: c.old}); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var revoked string
			revoke := func(_ context.Context, _ Profile, refresh string) error {
				mu.Lock()
				defer mu.Unlock()
				revoked += refresh
				if c.fail {
					return errors.New("the revocation endpoint is down")
				}
				return nil
			}
			m := NewManager(ManagerOptions{Store: st, RevokeReplaced: revoke})
			t.Cleanup(m.Close)
			if _, _, err := m.LoadProfiles(ctx); err != nil {
				t.Fatal(err)
			}
			now := time.Now()
			res := &TokenResult{RefreshToken: "rt-new", Token: &Token{AccessToken: "at-new", TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour), ID: c.next}}
			if _, err := m.SignedIn(ctx, p.Name, res); err != nil {
				t.Fatal(err)
			}
			if got := storedRefresh(t, st, p.Name); got != "rt-new" {
				t.Errorf("the store holds %q", got)
			}
			mu.Lock()
			defer mu.Unlock()
			if revoked != c.want {
				t.Errorf("revoked %q, want %q", revoked, c.want)
			}
		})
	}
}
