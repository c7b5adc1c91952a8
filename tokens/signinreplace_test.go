package tokens

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// A new sign-in of a profile already signed in (Sign in again… to switch
// account, the form's Test kept on Save, or `tokentray login` once more)
// revokes the refresh token it replaces, after keeping the new one: no
// live refresh token is left behind at the server, unreachable from
// Tokentray. The revocation is best effort: a failure keeps the new
// sign-in all the same. The test failed first: the old refresh token was
// never revoked.
func TestANewSignInRevokesTheRefreshTokenItReplaces(t *testing.T) {
	for _, fail := range []bool{false, true} {
		p := userProfileT("me")
		st := signedIn(t, p, "rt-old")
		var mu sync.Mutex
		var revoked []string
		revoke := func(_ context.Context, _ Profile, refresh string) error {
			mu.Lock()
			defer mu.Unlock()
			revoked = append(revoked, refresh)
			if fail {
				return errors.New("the revocation endpoint is down")
			}
			return nil
		}
		m := NewManager(ManagerOptions{Store: st, RevokeReplaced: revoke})
		t.Cleanup(m.Close)
		if _, _, err := m.LoadProfiles(context.Background()); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		res := &TokenResult{RefreshToken: "rt-new", Token: &Token{AccessToken: "at-new", TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}}
		if _, err := m.SignedIn(context.Background(), p.Name, res); err != nil {
			t.Fatalf("revocation failing %v: %v", fail, err)
		}
		if got := storedRefresh(t, st, p.Name); got != "rt-new" {
			t.Errorf("revocation failing %v: the store holds %q", fail, got)
		}
		mu.Lock()
		if len(revoked) != 1 || revoked[0] != "rt-old" {
			t.Errorf("revocation failing %v: revoked %q, want the replaced rt-old", fail, revoked)
		}
		revoked = nil
		mu.Unlock()
		// The same sign-in kept again (its own refresh token): nothing to revoke.
		if _, err := m.SignedIn(context.Background(), p.Name, res); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		if len(revoked) != 0 {
			t.Errorf("the kept refresh token itself was revoked: %q", revoked)
		}
		mu.Unlock()
	}
}
