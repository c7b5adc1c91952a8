package tokens

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// idServer is a rotating server whose refresh answers carry an ID token
// the Granter has checked (as oauth.Client does) against the request's ID:
// answer says what the check found.
type idServer struct {
	rotatingServer
	answer func(signedIn *IDClaims) (*IDClaims, error)
	mu     sync.Mutex
	asked  []*IDClaims // the request's ID at each refresh
}

func (s *idServer) Grant(ctx context.Context, r TokenRequest) (*TokenResult, error) {
	s.mu.Lock()
	s.asked = append(s.asked, r.ID)
	s.mu.Unlock()
	res, err := s.rotatingServer.Grant(ctx, r) // the server rotates whatever the client thinks of its answer
	if err != nil {
		return nil, err
	}
	if res.Token.ID, err = s.answer(r.ID); err != nil {
		return nil, err
	}
	return res, nil
}

// signedInAsAda stores p signed in with refresh token rt by Ada.
func signedInAsAda(t *testing.T, p Profile, rt string) (Store, *IDClaims) {
	t.Helper()
	st := NewMemoryStore()
	ctx := context.Background()
	if err := st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	ada := &IDClaims{Issuer: "https://auth.example.com", Subject: "ada", Name: "Ada Lovelace", Nonce: "n-0"}
	if err := st.(RefreshStore).SaveRefresh(ctx, p.Name, &RefreshToken{Value: rt, SessionFingerprint: p.SessionFingerprint(), ID: ada}); err != nil {
		t.Fatal(err)
	}
	return st, ada
}

// A refresh's ID token is checked against who signed in (the request
// carries the kept claims: it did not before, the test failed first), and
// a good one's claims are kept, with the refresh token or without one.
func TestARefreshKeepsTheClaimsOfItsCheckedIDToken(t *testing.T) {
	for _, rotate := range []bool{true, false} {
		p := userProfileT("me")
		st, ada := signedInAsAda(t, p, "rt-0")
		renamed := *ada
		renamed.Name = "Ada King"
		srv := &idServer{rotatingServer: rotatingServer{live: "rt-0", rotate: rotate, now: time.Now},
			answer: func(*IDClaims) (*IDClaims, error) { return &renamed, nil }}
		tok, err := SharedToken(context.Background(), p, time.Minute, SharedTokenOptions{Cache: st, Fetcher: srv})
		if err != nil {
			t.Fatal(err)
		}
		if len(srv.asked) != 1 || !srv.asked[0].Equal(ada) {
			t.Fatalf("rotate=%v: the refresh request carried %+v, want the sign-in's claims", rotate, srv.asked)
		}
		if tok.ID == nil || tok.ID.Name != "Ada King" {
			t.Fatalf("rotate=%v: the token says %+v, want the refresh's ID token's claims", rotate, tok.ID)
		}
		rt, err := st.(RefreshStore).LoadRefresh(context.Background(), p.Name)
		if err != nil || rt.ID == nil || rt.ID.Name != "Ada King" || rt.ID.Nonce != "n-0" {
			t.Fatalf("rotate=%v: the stored sign-in says %+v (%v), want the new claims", rotate, rt, err)
		}
	}
}

// A refresh whose ID token fails its check fails, and keeps nothing of the
// answer: the last good access token stays, and so does the refresh token
// used, even though the server already rotated it. The answer's refresh
// token is bound to whoever the bad ID token names; kept, the next refresh
// (which need not carry an ID token) would hand out that person's tokens
// unchecked. With the spent one, a rotating server refuses the next
// refresh (invalid_grant, sign-in needed; its reuse detection may revoke
// the family, the new refresh token included), which is the safe end.
func TestARefreshWithABadIDTokenKeepsNothingOfTheAnswer(t *testing.T) {
	p := userProfileT("me")
	st, _ := signedInAsAda(t, p, "rt-0")
	srv := &idServer{rotatingServer: rotatingServer{live: "rt-0", rotate: true, now: time.Now},
		answer: func(*IDClaims) (*IDClaims, error) { return nil, &IDTokenError{Check: IDTokenSubject, Refresh: true} }}
	last := &Token{AccessToken: "at-good", TokenType: "Bearer", IssuedAt: time.Now(), ExpiresAt: time.Now().Add(30 * time.Second),
		RequestFingerprint: p.RequestFingerprint()}
	if err := st.SaveToken(context.Background(), p.Name, last); err != nil {
		t.Fatal(err)
	}
	_, err := SharedToken(context.Background(), p, time.Minute, SharedTokenOptions{Cache: st, Fetcher: srv})
	var ie *IDTokenError
	if !errors.As(err, &ie) || ie.Check != IDTokenSubject {
		t.Fatalf("SharedToken: %v, want the refresh's subject check", err)
	}
	if got := storedRefresh(t, st, p.Name); got != "rt-0" {
		t.Fatalf("the store holds refresh token %q, want the sign-in's rt-0", got)
	}
	if tok, err := st.LoadToken(context.Background(), p.Name); err != nil || tok.AccessToken != "at-good" {
		t.Fatalf("cached: %v, %v; want the last good token", tok, err)
	}
	// The next refresh sends the spent one: the server refuses it.
	_, err = SharedToken(context.Background(), p, time.Minute, SharedTokenOptions{Cache: st, Fetcher: srv})
	if !errors.Is(err, ErrSignInNeeded) {
		t.Fatalf("the next refresh: %v, want sign-in needed", err)
	}
}

// A refresh refused for its ID token is not a passing fault: the server
// answers every refresh of this sign-in that way, so retrying it with
// backoff forever helps no one. The person must sign in again to say who
// they are: sign-in needed (session ended, the ID token's error as the
// cause), a permanent stop, and the last good token stays (issue #26
// review: it was classed temporary and retried; the test failed first).
func TestARefreshRefusedForItsIDTokenNeedsASignIn(t *testing.T) {
	p := userProfileT("me")
	st, _ := signedInAsAda(t, p, "rt-0")
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	srv := &idServer{rotatingServer: rotatingServer{live: "rt-0", now: clock},
		answer: func(*IDClaims) (*IDClaims, error) { return nil, &IDTokenError{Check: IDTokenSubject, Refresh: true} }}
	last := &Token{AccessToken: "at-good", TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(10 * time.Minute),
		RequestFingerprint: p.RequestFingerprint()}
	if err := st.SaveToken(context.Background(), p.Name, last); err != nil {
		t.Fatal(err)
	}
	m := NewManager(ManagerOptions{Fetcher: srv, Cache: st, Now: clock})
	defer m.Close()
	m.SetProfiles([]Profile{p})
	if tok, err := m.Token(context.Background(), p.Name, time.Minute); err != nil || tok.AccessToken != "at-good" { // the cached one
		t.Fatalf("Token: %v, %v", tok, err)
	}
	_, err := m.Refresh(context.Background(), p.Name)
	var ie *IDTokenError
	var sn *SignInNeededError
	if !errors.As(err, &sn) || !sn.Ended() || !errors.As(err, &ie) || ie.Check != IDTokenSubject {
		t.Fatalf("Refresh: %v, want sign-in needed (session ended) caused by the subject check", err)
	}
	if Classify(err) != Permanent || Classify(ie) != Permanent {
		t.Errorf("classed %v (the ID token's error alone %v), want permanent", Classify(err), Classify(ie))
	}
	ps, _ := m.Snapshot().Find(p.Name)
	if ps == nil || !ps.Stopped || !ps.SignInNeeded() || ps.Token == nil || ps.Token.AccessToken != "at-good" {
		t.Fatalf("state after the refused refresh: %+v", ps)
	}
	// The sign-in's refresh token stays, for a sign-out to revoke it.
	if got := storedRefresh(t, st, p.Name); got != "rt-0" {
		t.Errorf("the store holds refresh token %q, want the sign-in's rt-0", got)
	}
}
