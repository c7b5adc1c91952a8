package tokens

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// near reports whether got is within a minute of want.
func near(got, want time.Time) bool {
	d := got.Sub(want)
	return d > -time.Minute && d < time.Minute
}

// The snapshot says when the sign-in ends: as the sign-in kept it, after
// a refresh that rotated the refresh token, and, in a Manager started
// later, from the store (one read when the profile is seeded).
func TestTheSnapshotCarriesWhenTheSessionEnds(t *testing.T) {
	p := userProfileT("me")
	st := NewMemoryStore()
	ctx := context.Background()
	if err := st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	srv := &rotatingServer{live: "rt-0", rotate: true, now: time.Now, session: 5 * time.Hour}
	m := NewManager(ManagerOptions{Fetcher: srv, Store: st})
	defer m.Close()
	if _, _, err := m.LoadProfiles(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := m.SignedIn(ctx, p.Name, &TokenResult{RefreshToken: "rt-0", Token: &Token{AccessToken: "signed-in", TokenType: "Bearer",
		IssuedAt: now, ExpiresAt: now.Add(time.Hour), Extra: map[string]any{"refresh_expires_in": float64(7 * 3600)}}}); err != nil {
		t.Fatal(err)
	}
	if ps, _ := m.Snapshot().Find(p.Name); !near(ps.SessionEnds, now.Add(7*time.Hour)) {
		t.Fatalf("after the sign-in the session ends %v, want in 7 h", ps.SessionEnds)
	}
	if _, err := m.Refresh(ctx, p.Name); err != nil {
		t.Fatal(err)
	}
	if ps, _ := m.Snapshot().Find(p.Name); !near(ps.SessionEnds, time.Now().Add(5*time.Hour)) {
		t.Fatalf("after a rotating refresh the session ends %v, want in 5 h", ps.SessionEnds)
	}
	// Another Manager (the app started later) reads it from the store.
	m2 := NewManager(ManagerOptions{Fetcher: srv, Store: st})
	defer m2.Close()
	if _, _, err := m2.LoadProfiles(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := m2.Token(ctx, p.Name, time.Minute); err != nil { // waits for the seed
		t.Fatal(err)
	}
	if ps, _ := m2.Snapshot().Find(p.Name); !near(ps.SessionEnds, time.Now().Add(5*time.Hour)) {
		t.Fatalf("seeded from the store the session ends %v, want in 5 h", ps.SessionEnds)
	}
	if srv.calls != 1 {
		t.Errorf("%d requests, want the one Refresh", srv.calls)
	}
	// Signed out: no session.
	if err := m2.SignedOut(ctx, p.Name); err != nil {
		t.Fatal(err)
	}
	if ps, _ := m2.Snapshot().Find(p.Name); !ps.SessionEnds.IsZero() {
		t.Errorf("after the sign-out the session ends %v", ps.SessionEnds)
	}
}

// A refresh token that is a JWT says when it ends in its exp claim, when
// the answer has no refresh_expires_in.
func TestAJWTRefreshTokenSaysWhenTheSessionEnds(t *testing.T) {
	now := time.Now().Round(0)
	exp := now.Add(9 * time.Hour).Truncate(time.Second)
	rt, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"exp": exp.Unix(), "typ": "Refresh"}).SignedString([]byte("key"))
	if err != nil {
		t.Fatal(err)
	}
	res := &TokenResult{RefreshToken: rt, Token: &Token{AccessToken: "a", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}}
	if got := newRefresh(userProfileT("me"), res).ExpiresAt; !got.Equal(exp) {
		t.Errorf("JWT refresh token: session ends %v, want %v", got, exp)
	}
	res.Token.Extra = map[string]any{"refresh_expires_in": float64(3600)}
	if got := newRefresh(userProfileT("me"), res).ExpiresAt; !got.Equal(now.Add(time.Hour)) {
		t.Errorf("refresh_expires_in beside a JWT: session ends %v, want in 1 h", got)
	}
	res.Token.Extra, res.RefreshToken = nil, "opaque-refresh"
	if got := newRefresh(userProfileT("me"), res).ExpiresAt; !got.IsZero() {
		t.Errorf("opaque refresh token: session ends %v, want unknown", got)
	}
}

// reasonOf is why err says a sign-in is needed; ok is false when it does
// not say so.
func reasonOf(err error) (SignInReason, bool) {
	var sn *SignInNeededError
	if !errors.As(err, &sn) {
		return 0, false
	}
	return sn.Reason, true
}

// A profile no one signed in to, or signed out of, is "not signed in"
// (nothing went wrong); one whose refresh token the server refused has
// a session that ended, and says so after a restart too.
func TestNeverSignedInIsNotASessionThatEnded(t *testing.T) {
	p := userProfileT("me")
	ctx := context.Background()
	st, srv, m := loadedSignInManager(t, p)
	_, err := m.Token(ctx, p.Name, time.Minute)
	if r, ok := reasonOf(err); !ok || r != ReasonNotSignedIn || !errors.Is(err, ErrSignInNeeded) {
		t.Fatalf("never signed in: %v (reason %v)", err, r)
	}
	if ps, _ := m.Snapshot().Find(p.Name); ps.StatusAt(time.Now()) != StatusNotSignedIn {
		t.Fatalf("never signed in: status %v", ps.StatusAt(time.Now()))
	}
	now := time.Now()
	if _, err := m.SignedIn(ctx, p.Name, &TokenResult{RefreshToken: "rt-0",
		Token: &Token{AccessToken: "signed-in", TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	srv.live = "deleted on the server"
	srv.mu.Unlock()
	_, err = m.Refresh(ctx, p.Name)
	if r, ok := reasonOf(err); !ok || r != ReasonSessionEnded {
		t.Fatalf("refused refresh token: %v (reason %v)", err, r)
	}
	if ps, _ := m.Snapshot().Find(p.Name); ps.StatusAt(now.Add(2*time.Hour)) != StatusSignInNeeded {
		t.Fatalf("refused refresh token: status %v", ps.StatusAt(now.Add(2*time.Hour)))
	}
	// The app started again: the refused refresh token is gone, but the
	// sign-in's access token says someone was signed in.
	m2 := NewManager(ManagerOptions{Fetcher: srv, Store: st, Now: func() time.Time { return now.Add(2 * time.Hour) }})
	defer m2.Close()
	if _, _, err := m2.LoadProfiles(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = m2.Token(ctx, p.Name, time.Minute)
	if r, ok := reasonOf(err); !ok || r != ReasonSessionEnded {
		t.Fatalf("after a restart: %v (reason %v)", err, r)
	}
	// Signed out on purpose: not signed in.
	if err := m2.SignedOut(ctx, p.Name); err != nil {
		t.Fatal(err)
	}
	if ps, _ := m2.Snapshot().Find(p.Name); ps.StatusAt(now) != StatusNotSignedIn {
		t.Fatalf("signed out: status %v", ps.StatusAt(now))
	}
	if _, err = m2.Token(ctx, p.Name, time.Minute); !errors.Is(err, ErrSignInNeeded) {
		t.Fatalf("signed out: %v", err)
	}
	if r, _ := reasonOf(err); r != ReasonNotSignedIn {
		t.Fatalf("signed out: reason %v", r)
	}
}

// `tokentray logout` in another process, then its word to the app
// (DropToken): the app's profile says not signed in at once, stopped,
// asking no server; `tokentray login` then turns it fresh.
func TestALogoutElsewhereSaysNotSignedInAtOnce(t *testing.T) {
	p := userProfileT("me")
	ctx := context.Background()
	st, srv, m := loadedSignInManager(t, p)
	now := time.Now()
	held, err := m.SignedIn(ctx, p.Name, &TokenResult{RefreshToken: "rt-0",
		Token: &Token{AccessToken: "signed-in", TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	// The command line's logout.
	if _, err := SignOut(ctx, st, p, nil); err != nil {
		t.Fatal(err)
	}
	if err := m.DropToken(ctx, p.Name, held); err != nil {
		t.Fatal(err)
	}
	ps, _ := m.Snapshot().Find(p.Name)
	if ps.StatusAt(now) != StatusNotSignedIn || !ps.Stopped || !ps.NextRefresh.IsZero() || ps.Token != nil {
		t.Fatalf("after a logout elsewhere: status %v, stopped %v, next %v, token %v", ps.StatusAt(now), ps.Stopped, ps.NextRefresh, ps.Token)
	}
	// The reload the app makes next keeps it so, asking no server.
	if _, _, err := m.LoadProfiles(ctx); err != nil {
		t.Fatal(err)
	}
	m.settle()
	if ps, _ := m.Snapshot().Find(p.Name); ps.StatusAt(now) != StatusNotSignedIn || srv.calls != 0 {
		t.Fatalf("after the reload: status %v, %d requests", ps.StatusAt(now), srv.calls)
	}
	// The command line's login: the app held no token, so it says so
	// with none (DropToken with nil).
	now = time.Now()
	if _, err := KeepSignIn(ctx, st, p, &TokenResult{RefreshToken: "rt-0", Token: &Token{AccessToken: "again", TokenType: "Bearer",
		IssuedAt: now, ExpiresAt: now.Add(time.Hour), Extra: map[string]any{"refresh_expires_in": float64(3 * 3600)}}}); err != nil {
		t.Fatal(err)
	}
	if err := m.DropToken(ctx, p.Name, nil); err != nil {
		t.Fatal(err)
	}
	ps, _ = m.Snapshot().Find(p.Name)
	if ps.StatusAt(now) != StatusFresh || ps.Token == nil || ps.Token.AccessToken != "again" || ps.NextRefresh.IsZero() {
		t.Fatalf("after a login elsewhere: status %v, token %v, next %v", ps.StatusAt(now), ps.Token, ps.NextRefresh)
	}
	if !near(ps.SessionEnds, now.Add(3*time.Hour)) {
		t.Errorf("after a login elsewhere the session ends %v, want in 3 h", ps.SessionEnds)
	}
	// A login elsewhere over a held token whose session the server ended:
	// the new sign-in's token replaces it, and it is fresh again.
	srv.mu.Lock()
	srv.live = "ended"
	srv.mu.Unlock()
	if _, err := m.Refresh(ctx, p.Name); !errors.Is(err, ErrSignInNeeded) {
		t.Fatalf("refused refresh: %v", err)
	}
	held = m.Snapshot().Profiles[0].Token
	if _, err := KeepSignIn(ctx, st, p, &TokenResult{RefreshToken: "rt-9", Token: &Token{AccessToken: "third", TokenType: "Bearer",
		IssuedAt: now, ExpiresAt: now.Add(time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	if err := m.DropToken(ctx, p.Name, held); err != nil {
		t.Fatal(err)
	}
	if ps, _ := m.Snapshot().Find(p.Name); ps.StatusAt(now) != StatusFresh || ps.Token.AccessToken != "third" {
		t.Fatalf("a login elsewhere after the session ended: status %v, token %v", ps.StatusAt(now), ps.Token)
	}
}

// One sign-out for the window and the command line: a revocation that
// fails (other than no endpoint) forgets nothing.
func TestSignOutRevokesFirstAndForgetsOnlyThen(t *testing.T) {
	p := userProfileT("me")
	st := signedIn(t, p, "rt-0")
	ctx := context.Background()
	now := time.Now()
	if err := st.SaveToken(ctx, p.Name, boundTo(&Token{AccessToken: "a", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}, p.RequestFingerprint())); err != nil {
		t.Fatal(err)
	}
	down := errors.New("server down")
	revoked, err := SignOut(ctx, st, p, func(context.Context, Profile, string) error { return down })
	if !errors.Is(err, down) || revoked || storedRefresh(t, st, p.Name) != "rt-0" {
		t.Fatalf("failed revocation: revoked %v, %v, stored %q", revoked, err, storedRefresh(t, st, p.Name))
	}
	if _, err := st.LoadToken(ctx, p.Name); err != nil {
		t.Fatalf("failed revocation forgot the access token: %v", err)
	}
	var sent string
	revoked, err = SignOut(ctx, st, p, func(_ context.Context, _ Profile, rt string) error { sent = rt; return nil })
	if err != nil || !revoked || sent != "rt-0" || storedRefresh(t, st, p.Name) != "" {
		t.Fatalf("sign-out: revoked %v, %v, sent %q", revoked, err, sent)
	}
	if _, err := st.LoadToken(ctx, p.Name); !errors.Is(err, ErrNotFound) {
		t.Fatalf("sign-out kept the access token: %v", err)
	}
	// Signed out already, or no endpoint: forgotten, not revoked.
	revoked, err = SignOut(ctx, st, p, func(context.Context, Profile, string) error { return ErrNoEndpoint })
	if err != nil || revoked {
		t.Fatalf("again: revoked %v, %v", revoked, err)
	}
}

// unreadableRefresh is a memory store whose refresh tokens cannot be read
// (a damaged keyring item).
type unreadableRefresh struct{ *memoryStore }

func (unreadableRefresh) LoadRefresh(context.Context, string) (*RefreshToken, error) {
	return nil, errors.New("refresh token is not JSON")
}

// A revoked token of a sign-in profile is dropped even when its refresh
// token cannot be read; the profile is not said to be signed out then.
func TestDropTokenDropsWhenTheRefreshTokenCannotBeRead(t *testing.T) {
	p := userProfileT("me")
	mem := NewMemoryStore().(*memoryStore)
	st := unreadableRefresh{mem}
	ctx := context.Background()
	if err := st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	m := NewManager(ManagerOptions{Fetcher: &rotatingServer{now: time.Now}, Store: st})
	defer m.Close()
	if _, _, err := m.LoadProfiles(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	held, err := m.SignedIn(ctx, p.Name, &TokenResult{RefreshToken: "rt-0",
		Token: &Token{AccessToken: "revoked", TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.DropToken(ctx, p.Name, held); err != nil {
		t.Fatalf("DropToken: %v", err)
	}
	ps, _ := m.Snapshot().Find(p.Name)
	if ps.Token != nil || ps.StatusAt(now) == StatusNotSignedIn {
		t.Fatalf("after the drop: token %v, status %v", ps.Token, ps.StatusAt(now))
	}
	if _, err := st.LoadToken(ctx, p.Name); !errors.Is(err, ErrNotFound) {
		t.Errorf("the cache still holds the token: %v", err)
	}
}

// The command line's revoke drops the token through a Manager that holds
// no profiles: the cache forgets it all the same.
func TestDropTokenWithoutTheProfileStillEmptiesTheCache(t *testing.T) {
	p := userProfileT("me")
	st := signedIn(t, p, "rt-0")
	ctx := context.Background()
	now := time.Now()
	tok := boundTo(&Token{AccessToken: "revoked", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}, p.RequestFingerprint())
	if err := st.SaveToken(ctx, p.Name, tok); err != nil {
		t.Fatal(err)
	}
	m := NewManager(ManagerOptions{Store: st})
	defer m.Close()
	if err := m.DropToken(ctx, p.Name, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := st.LoadToken(ctx, p.Name); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the cache still holds the revoked token: %v", err)
	}
}

// A sliding session: the server keeps the refresh token (none in the
// answer, or the same one) but says a new refresh_expires_in. The stored
// refresh token and the snapshot take the new end (issue #26 review: the
// old end stayed; the test failed first).
func TestASlidingSessionMovesItsEndWithoutRotation(t *testing.T) {
	for _, echo := range []bool{false, true} {
		name := "no refresh token in the answer"
		if echo {
			name = "the same refresh token again"
		}
		t.Run(name, func(t *testing.T) {
			p := userProfileT("me")
			st := NewMemoryStore()
			ctx := context.Background()
			if err := st.Save(ctx, p); err != nil {
				t.Fatal(err)
			}
			now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
			clock := func() time.Time { return now }
			srv := &rotatingServer{live: "rt-0", now: clock, session: 5 * time.Hour, echo: echo}
			m := NewManager(ManagerOptions{Fetcher: srv, Store: st, Now: clock})
			defer m.Close()
			if _, _, err := m.LoadProfiles(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := m.SignedIn(ctx, p.Name, &TokenResult{RefreshToken: "rt-0", Token: &Token{AccessToken: "signed-in", TokenType: "Bearer",
				IssuedAt: now, ExpiresAt: now.Add(time.Hour), Extra: map[string]any{"refresh_expires_in": float64(2 * 3600)}}}); err != nil {
				t.Fatal(err)
			}
			now = now.Add(90 * time.Minute)
			if _, err := m.Refresh(ctx, p.Name); err != nil {
				t.Fatal(err)
			}
			want := now.Add(5 * time.Hour)
			rt, err := st.(RefreshStore).LoadRefresh(ctx, p.Name)
			if err != nil {
				t.Fatal(err)
			}
			if rt.Value != "rt-0" || !rt.ExpiresAt.Equal(want) {
				t.Fatalf("stored refresh token %q ends %v, want rt-0 ending %v", rt.Value, rt.ExpiresAt, want)
			}
			if ps, _ := m.Snapshot().Find(p.Name); !ps.SessionEnds.Equal(want) {
				t.Fatalf("the snapshot says the session ends %v, want %v", ps.SessionEnds, want)
			}
			// An answer that says nothing of the session keeps the end.
			srv.mu.Lock()
			srv.session = 0
			srv.mu.Unlock()
			now = now.Add(time.Hour)
			if _, err := m.Refresh(ctx, p.Name); err != nil {
				t.Fatal(err)
			}
			if ps, _ := m.Snapshot().Find(p.Name); !ps.SessionEnds.Equal(want) {
				t.Fatalf("after a silent answer the session ends %v, want still %v", ps.SessionEnds, want)
			}
		})
	}
}
