package tokens

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// rotatingServer is a token endpoint's refresh grant: it knows one live
// refresh token per sign-in and, when rotate is set, replaces it with each
// use and refuses the old one (invalid_grant), as servers with refresh
// token rotation do. It is a Granter; safe for concurrent use.
type rotatingServer struct {
	mu      sync.Mutex
	live    string
	rotate  bool
	n       int
	calls   int
	now     func() time.Time
	onGrant func(used string) // called before answering, unlocked
	store   RefreshStore      // when set, checked at each answer (see below)
	name    string
	stored  []string      // the stored refresh token when each answer was made
	session time.Duration // when set, each answer says refresh_expires_in
	echo    bool          // without rotate: each answer carries the refresh token used again
}

func (s *rotatingServer) Fetch(context.Context, Profile) (*Token, error) {
	return nil, errors.New("not a client credentials server")
}

func (s *rotatingServer) Grant(ctx context.Context, r TokenRequest) (*TokenResult, error) {
	if s.onGrant != nil {
		s.onGrant(r.RefreshToken)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if r.RefreshToken == "" || r.RefreshToken != s.live {
		return nil, &ServerError{Status: 400, Code: "invalid_grant"}
	}
	s.n++
	now := s.now()
	res := &TokenResult{Token: &Token{AccessToken: fmt.Sprintf("at-%d", s.n), TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}}
	if s.session > 0 {
		res.Token.Extra = map[string]any{"refresh_expires_in": s.session.Seconds()}
	}
	if s.rotate {
		s.live = fmt.Sprintf("rt-%d", s.n)
		res.RefreshToken = s.live
	} else if s.echo {
		res.RefreshToken = s.live
	}
	return res, nil
}

func userProfileT(name string) Profile {
	return canonical(Profile{Name: name, TokenURL: "https://auth.example.com/token", ClientID: "cli", Auth: AuthNone,
		Grant: GrantAuthorizationCode, AuthorizationURL: "https://auth.example.com/authorize"})
}

// loadedSignInManager is a Manager with the Store and the profiles of a
// memory store holding p (no one signed in), and the rotating server
// (live refresh token "rt-0") it fetches from; closed when the test ends.
func loadedSignInManager(t *testing.T, p Profile) (Store, *rotatingServer, *Manager) {
	t.Helper()
	st := NewMemoryStore()
	if err := st.Save(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	srv := &rotatingServer{live: "rt-0", rotate: true, now: time.Now}
	m := NewManager(ManagerOptions{Fetcher: srv, Store: st})
	t.Cleanup(m.Close)
	if _, _, err := m.LoadProfiles(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st, srv, m
}

// signedIn is a memory store holding p, signed in with refresh token rt.
func signedIn(t *testing.T, p Profile, rt string) Store {
	t.Helper()
	st := NewMemoryStore()
	ctx := context.Background()
	if err := st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := st.(RefreshStore).SaveRefresh(ctx, p.Name, &RefreshToken{Value: rt, SessionFingerprint: p.SessionFingerprint()}); err != nil {
		t.Fatal(err)
	}
	return st
}

func storedRefresh(t *testing.T, st Store, name string) string {
	t.Helper()
	rt, err := st.(RefreshStore).LoadRefresh(context.Background(), name)
	if errors.Is(err, ErrNotFound) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return rt.Value
}

func TestRefreshKeepsTheRotatedRefreshTokenAndTheOldOneWhenNoneCame(t *testing.T) {
	for _, rotate := range []bool{true, false} {
		t.Run(fmt.Sprintf("rotate=%v", rotate), func(t *testing.T) {
			p := userProfileT("me")
			st := signedIn(t, p, "rt-0")
			srv := &rotatingServer{live: "rt-0", rotate: rotate, now: time.Now}
			for i := 1; i <= 3; i++ {
				tok, err := SharedToken(context.Background(), p, 2*time.Hour, SharedTokenOptions{Cache: st, Fetcher: srv})
				if err != nil {
					t.Fatalf("refresh %d: %v", i, err)
				}
				if want := fmt.Sprintf("at-%d", i); tok.AccessToken != want {
					t.Fatalf("refresh %d gave %s, want %s", i, tok.AccessToken, want)
				}
				want := "rt-0"
				if rotate {
					want = fmt.Sprintf("rt-%d", i)
				}
				if got := storedRefresh(t, st, p.Name); got != want {
					t.Fatalf("after refresh %d the store holds %q, want %q", i, got, want)
				}
			}
		})
	}
}

// The new refresh token is stored before the access token is handed out:
// a process that stops right after the answer leaves the live one behind.
func TestTheRotatedRefreshTokenIsStoredBeforeTheAccessTokenIsHandedOut(t *testing.T) {
	p := userProfileT("me")
	st := signedIn(t, p, "rt-0")
	srv := &rotatingServer{live: "rt-0", rotate: true, now: time.Now}
	ctx, cancel := context.WithCancel(context.Background())
	srv.onGrant = func(string) { cancel() } // the caller gives up while the server answers
	_, _ = SharedToken(ctx, p, time.Minute, SharedTokenOptions{Cache: st, Fetcher: srv})
	if got := storedRefresh(t, st, p.Name); got != srv.live {
		t.Fatalf("the store holds %q, the server's live refresh token is %q: the sign-in is lost", got, srv.live)
	}
}

// invalid_grant is believed only after the store is read again: another
// process may have rotated the refresh token meanwhile.
func TestARefusedRefreshTokenIsCheckedAgainstTheStoreFirst(t *testing.T) {
	p := userProfileT("me")
	st := signedIn(t, p, "rt-0")
	srv := &rotatingServer{live: "rt-1", rotate: true, n: 1, now: time.Now}
	// Another process (which waited past the lock) rotated rt-0 to rt-1
	// and stores it while this one's request with rt-0 is under way.
	srv.onGrant = func(used string) {
		if used == "rt-0" {
			_ = st.(RefreshStore).SaveRefresh(context.Background(), p.Name, &RefreshToken{Value: "rt-1", SessionFingerprint: p.SessionFingerprint()})
		}
	}
	tok, err := SharedToken(context.Background(), p, time.Minute, SharedTokenOptions{Cache: st, Fetcher: srv})
	if err != nil {
		t.Fatalf("a refresh token rotated by another process made this one give up: %v", err)
	}
	if tok.AccessToken != "at-2" || storedRefresh(t, st, p.Name) != "rt-2" {
		t.Fatalf("got %s, stored %s", tok.AccessToken, storedRefresh(t, st, p.Name))
	}
}

// A refused refresh token makes the profile need a sign-in, and is never
// sent again, by this process or another.
func TestARefusedRefreshTokenIsNeverSentAgain(t *testing.T) {
	p := userProfileT("me")
	st := signedIn(t, p, "rt-dead")
	srv := &rotatingServer{live: "rt-other", now: time.Now}
	for i := range 3 {
		_, err := SharedToken(context.Background(), p, time.Minute, SharedTokenOptions{Cache: st, Fetcher: srv})
		var sn *SignInNeededError
		if !errors.As(err, &sn) || !errors.Is(err, ErrSignInNeeded) || Classify(err) != Permanent {
			t.Fatalf("attempt %d: %v (%T), want a permanent SignInNeededError", i, err, err)
		}
		if i == 0 && !refused(sn.Cause) {
			t.Errorf("the first error does not carry the refusal: %v", sn.Cause)
		}
	}
	if srv.calls != 1 {
		t.Fatalf("the refused refresh token was sent %d times", srv.calls)
	}
	if got := storedRefresh(t, st, p.Name); got != "" {
		t.Fatalf("the refused refresh token is still stored: %q", got)
	}
}

// Ten callers (processes, sharing the store's fetch lock) after expiry:
// one refresh, the same token for all, and the next refresh still works.
func TestTenCallersAfterExpiryMakeOneRefresh(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := userProfileT("me")
		st := signedIn(t, p, "rt-0")
		srv := &rotatingServer{live: "rt-0", rotate: true, now: time.Now}
		// In the bubble this sleep ends only once every other caller is
		// durably blocked, waiting for the fetch lock: contention is certain,
		// not hoped for on a loaded machine.
		srv.onGrant = func(string) { time.Sleep(20 * time.Millisecond) }
		var wg sync.WaitGroup
		got := make([]string, 10)
		errs := make([]error, 10)
		for i := range 10 {
			wg.Go(func() {
				tok, err := SharedToken(context.Background(), p, time.Minute, SharedTokenOptions{Cache: st, Fetcher: srv})
				errs[i] = err
				if err == nil {
					got[i] = tok.AccessToken
				}
			})
		}
		wg.Wait()
		for i := range 10 {
			if errs[i] != nil || got[i] != "at-1" {
				t.Fatalf("caller %d: %q, %v", i, got[i], errs[i])
			}
		}
		if srv.calls != 1 {
			t.Fatalf("%d refreshes, want 1", srv.calls)
		}
		tok, err := SharedToken(context.Background(), p, 2*time.Hour, SharedTokenOptions{Cache: st, Fetcher: srv})
		if err != nil || tok.AccessToken != "at-2" {
			t.Fatalf("the next refresh: %v, %v", tok, err)
		}
	})
}

// A secret rotated by an edit keeps the sign-in: the access token is
// fetched again with the refresh token.
func TestARotatedClientSecretKeepsTheSignIn(t *testing.T) {
	p := userProfileT("me")
	p.Auth, p.ClientSecret = AuthClientSecretBasic, "first-secret"
	st := signedIn(t, p, "rt-0")
	srv := &rotatingServer{live: "rt-0", now: time.Now}
	if _, err := SharedToken(context.Background(), p, time.Minute, SharedTokenOptions{Cache: st, Fetcher: srv}); err != nil {
		t.Fatal(err)
	}
	p.ClientSecret = "second-secret"
	if err := st.Save(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	tok, err := SharedToken(context.Background(), p, time.Minute, SharedTokenOptions{Cache: st, Fetcher: srv})
	if err != nil || tok.AccessToken != "at-2" {
		t.Fatalf("after rotating the client secret: %v, %v; want a refresh, not a sign-in", tok, err)
	}
}

// The Manager refreshes a signed-in profile in the background, and stops
// with sign-in needed (never starting one) when the refresh token dies.
func TestTheManagerRefreshesAUserTokenAndStopsWhenItDies(t *testing.T) {
	p := userProfileT("me")
	st := signedIn(t, p, "rt-0")
	srv := &rotatingServer{live: "rt-0", rotate: true, now: time.Now}
	m := NewManager(ManagerOptions{Fetcher: srv, Cache: st})
	defer m.Close()
	m.SetProfiles([]Profile{p})
	tok, err := m.Token(context.Background(), p.Name, time.Minute)
	if err != nil || tok.AccessToken != "at-1" {
		t.Fatalf("Token: %v, %v", tok, err)
	}
	srv.mu.Lock()
	srv.live = "revoked on the server"
	srv.mu.Unlock()
	_, err = m.Refresh(context.Background(), p.Name)
	if !errors.Is(err, ErrSignInNeeded) {
		t.Fatalf("Refresh with a dead refresh token: %v, want ErrSignInNeeded", err)
	}
	ps, _ := m.Snapshot().Find(p.Name)
	if ps == nil || !ps.Stopped || !ps.SignInNeeded() || ps.StatusAt(time.Now().Add(2*time.Hour)) != StatusSignInNeeded {
		t.Fatalf("state after the refresh token died: %+v", ps)
	}
}

// A sign-in made by another process (tokentray login) reaches a Manager
// stopped for sign-in needed when it reloads its profiles, as the app
// does when the command line says the profiles changed.
func TestAReloadAfterASignInElsewhereResumesTheProfile(t *testing.T) {
	p := userProfileT("me")
	st := NewMemoryStore()
	if err := st.Save(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	srv := &rotatingServer{live: "rt-0", rotate: true, now: time.Now}
	m := NewManager(ManagerOptions{Fetcher: srv, Store: st})
	defer m.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go m.Run(ctx) // the scheduler, as the app runs it
	if _, _, err := m.LoadProfiles(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Token(context.Background(), p.Name, time.Minute); !errors.Is(err, ErrSignInNeeded) {
		t.Fatalf("before any sign-in: %v", err)
	}
	now := time.Now()
	if _, err := KeepSignIn(context.Background(), st, p, &TokenResult{RefreshToken: "rt-0",
		Token: &Token{AccessToken: "signed-in", TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.LoadProfiles(context.Background()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if ps, _ := m.Snapshot().Find(p.Name); ps != nil && ps.Token != nil && ps.Token.AccessToken == "signed-in" && !ps.SignInNeeded() {
			if srv.calls != 0 {
				t.Errorf("%d requests: the signed-in token was in the store", srv.calls)
			}
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	ps, _ := m.Snapshot().Find(p.Name)
	t.Fatalf("after the reload the profile still says %+v", ps)
}

// The window's Sign in… and Sign out go through the Manager.
func TestTheManagerKeepsASignInAndForgetsASignOut(t *testing.T) {
	p := userProfileT("me")
	ctx := context.Background()
	st, srv, m := loadedSignInManager(t, p)
	if _, err := m.Token(ctx, p.Name, time.Minute); !errors.Is(err, ErrSignInNeeded) {
		t.Fatalf("before the sign-in: %v", err)
	}
	now := time.Now()
	if _, err := m.SignedIn(ctx, p.Name, &TokenResult{RefreshToken: "rt-0",
		Token: &Token{AccessToken: "signed-in", TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	tok, err := m.Token(ctx, p.Name, time.Minute)
	if err != nil || tok.AccessToken != "signed-in" || srv.calls != 0 {
		t.Fatalf("after the sign-in: %v, %v, %d requests", tok, err, srv.calls)
	}
	if ps, _ := m.Snapshot().Find(p.Name); ps.StatusAt(now) != StatusFresh {
		t.Errorf("status %v after the sign-in", ps.StatusAt(now))
	}
	// The stored refresh token renews it.
	tok, err = m.Refresh(ctx, p.Name)
	if err != nil || tok.AccessToken != "at-1" || storedRefresh(t, st, p.Name) != "rt-1" {
		t.Fatalf("refresh after the sign-in: %v, %v", tok, err)
	}
	if err := m.SignedOut(ctx, p.Name); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Token(ctx, p.Name, time.Minute); !errors.Is(err, ErrSignInNeeded) {
		t.Fatalf("after the sign-out: %v", err)
	}
	if storedRefresh(t, st, p.Name) != "" {
		t.Error("the refresh token is still stored after the sign-out")
	}
	if _, err := st.LoadToken(ctx, p.Name); !errors.Is(err, ErrNotFound) {
		t.Errorf("the access token is still cached after the sign-out: %v", err)
	}
}
