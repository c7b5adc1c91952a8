package tokens

import (
	"context"
	"errors"
	"testing"
	"time"
)

func signedInManager(t *testing.T) (*Manager, Store, Profile) {
	t.Helper()
	p := Profile{Name: "me", TokenURL: "https://auth.example.com/token", AuthorizationURL: "https://auth.example.com/authorize",
		ClientID: "cli", Auth: AuthNone, Grant: GrantAuthorizationCode}
	st := NewMemoryStore()
	ctx := context.Background()
	if err := st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	m := NewManager(ManagerOptions{Store: st})
	t.Cleanup(m.Close)
	if _, _, err := m.LoadProfiles(ctx); err != nil {
		t.Fatal(err)
	}
	res := &TokenResult{Token: &Token{AccessToken: "user-access", TokenType: "Bearer", IssuedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour),
		Extra: map[string]any{"refresh_expires_in": float64(7 * 3600)}}, RefreshToken: "user-refresh"}
	if _, err := m.SignedIn(ctx, "me", res); err != nil {
		t.Fatal(err)
	}
	return m, st, p
}

// Sign out hands the stored refresh token to the revocation, then forgets
// both tokens in the keyring and in the Manager.
func TestSignOutRevokesThenForgets(t *testing.T) {
	m, st, _ := signedInManager(t)
	ctx := context.Background()
	if ps, _ := m.Snapshot().Find("me"); time.Until(ps.SessionEnds) < 6*time.Hour || time.Until(ps.SessionEnds) > 7*time.Hour {
		t.Fatalf("session ends %v", ps.SessionEnds)
	}
	var got []string
	revoked, err := m.SignOut(ctx, "me", func(ctx context.Context, p Profile, refresh string) error {
		got = append(got, p.Name+":"+refresh)
		return nil
	})
	if err != nil || !revoked || len(got) != 1 || got[0] != "me:user-refresh" {
		t.Fatalf("revoked %v, %v, revoke got %q", revoked, err, got)
	}
	if _, err := st.(RefreshStore).LoadRefresh(ctx, "me"); !errors.Is(err, ErrNotFound) {
		t.Errorf("refresh token left in the store: %v", err)
	}
	if _, err := m.Token(ctx, "me", time.Minute); !errors.Is(err, ErrSignInNeeded) {
		t.Errorf("after sign-out, Token: %v", err)
	}
	if ps, _ := m.Snapshot().Find("me"); !ps.SessionEnds.IsZero() {
		t.Error("a session end after sign-out")
	}
}

// A revocation that fails leaves the person signed in: nothing forgotten.
func TestSignOutKeepsTheSignInWhenRevocationFails(t *testing.T) {
	m, st, _ := signedInManager(t)
	ctx := context.Background()
	revoked, err := m.SignOut(ctx, "me", func(context.Context, Profile, string) error { return errors.New("server down") })
	if err == nil || revoked {
		t.Fatalf("revoked %v, err %v", revoked, err)
	}
	if rt, err := st.(RefreshStore).LoadRefresh(ctx, "me"); err != nil || rt.Value != "user-refresh" {
		t.Errorf("refresh token %v, %v", rt, err)
	}
	if tok, err := m.Token(ctx, "me", time.Minute); err != nil || tok.AccessToken != "user-access" {
		t.Errorf("Token %v, %v", tok, err)
	}
	// No revocation endpoint: forgotten all the same, not revoked.
	revoked, err = m.SignOut(ctx, "me", func(context.Context, Profile, string) error { return ErrNoEndpoint })
	if err != nil || revoked {
		t.Fatalf("without an endpoint: revoked %v, %v", revoked, err)
	}
	if _, err := m.Token(ctx, "me", time.Minute); !errors.Is(err, ErrSignInNeeded) {
		t.Errorf("after sign-out, Token: %v", err)
	}
}
