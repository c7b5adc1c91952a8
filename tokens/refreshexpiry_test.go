package tokens

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"
)

// unsignedJWT is a JWT with claims and no signature: what a client reads
// of a JWT refresh token (it never verifies one: only the server does).
func unsignedJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc(b) + "." + enc([]byte("sig"))
}

// When the server says how long the sign-in lasts, the countdown shows it:
// refresh_expires_in, or else the exp of a JWT refresh token (issue #26;
// only refresh_expires_in was read, the test failed first). Nonsense is
// no countdown.
func TestTheSessionEndsWhenTheServerSays(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	p := userProfileT("me")
	for _, c := range []struct {
		name    string
		extra   map[string]any
		refresh string
		want    time.Time
	}{
		{"refresh_expires_in", map[string]any{"refresh_expires_in": float64(7 * 3600)}, "opaque-refresh-0123", now.Add(7 * time.Hour)},
		{"exp of a JWT refresh token", nil, unsignedJWT(t, map[string]any{"exp": now.Add(8 * time.Hour).Unix(), "typ": "Refresh"}), now.Add(8 * time.Hour)},
		{"refresh_expires_in first", map[string]any{"refresh_expires_in": float64(3600)}, unsignedJWT(t, map[string]any{"exp": now.Add(8 * time.Hour).Unix()}), now.Add(time.Hour)},
		{"a JWT without exp", nil, unsignedJWT(t, map[string]any{"sub": "x"}), time.Time{}},
		{"a past exp", nil, unsignedJWT(t, map[string]any{"exp": now.Add(-time.Hour).Unix()}), time.Time{}},
		{"an absurd exp", nil, unsignedJWT(t, map[string]any{"exp": now.AddDate(50, 0, 0).Unix()}), time.Time{}},
		{"opaque", nil, "opaque-refresh-0123", time.Time{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := NewMemoryStore()
			ctx := context.Background()
			if err := st.Save(ctx, p); err != nil {
				t.Fatal(err)
			}
			tok := &Token{AccessToken: "at", TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour), Extra: c.extra}
			if _, err := KeepSignIn(ctx, st, p, &TokenResult{Token: tok, RefreshToken: c.refresh}); err != nil {
				t.Fatal(err)
			}
			rt, err := st.(RefreshStore).LoadRefresh(ctx, p.Name)
			if err != nil || !rt.ExpiresAt.Equal(c.want) {
				t.Fatalf("the sign-in ends at %v (%v), want %v", rt.ExpiresAt, err, c.want)
			}
		})
	}
}
