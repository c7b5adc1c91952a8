package tokens

import (
	"context"
	"testing"
	"time"
)

// On a clock that ticks coarsely (Wine's, some VMs'), Refresh can start in
// the same tick the cached token was issued in. That token is not "issued
// since the refresh began": Refresh must still fetch. It returned the
// cached token instead (make test-windows failed on it, for sign-in
// profiles whose dead refresh token then went unnoticed).
func TestRefreshInTheTickTheTokenWasIssuedStillFetches(t *testing.T) {
	clock := newClock() // never advanced: every reading is the same tick
	srv := newServer(clock, time.Hour)
	st := NewMemoryStore()
	p := profile("svc")
	if err := st.Save(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	m := NewManager(ManagerOptions{Fetcher: srv, Cache: st, Now: clock.Now})
	defer m.Close()
	m.SetProfiles([]Profile{p})
	first, err := m.Token(context.Background(), p.Name, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	again, err := m.Refresh(context.Background(), p.Name)
	if err != nil || again.AccessToken == first.AccessToken || srv.Calls() != 2 {
		t.Fatalf("Refresh in the same tick: %v, %v after %d fetches; want a new token", again, err, srv.Calls())
	}
}
