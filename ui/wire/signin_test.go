package wire_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
	"github.com/tokentray/tokentray/ui/platform/instance"
)

// signInServer is an authorization server that consents at once:
// /authorize sends the browser back with a code, /token redeems it for
// access-N and a refresh token, /revoke accepts any token.
type signInServer struct {
	*httptest.Server
	mu sync.Mutex
	n  int
}

// issued is how many tokens the server issued.
func (s *signInServer) issued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func newSignInServer(t *testing.T) *signInServer {
	s := &signInServer{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {"the-code"}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.n++
		n := s.n
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"access-%d","token_type":"Bearer","expires_in":3600,"refresh_token":"refresh-%d-0123456789"}`, n, n)
	})
	mux.HandleFunc("POST /revoke", func(w http.ResponseWriter, r *http.Request) {})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// TestLoginAndLogoutTellTheApp: after `tokentray logout` the running app
// neither holds nor hands out the signed-out access token, and after
// `tokentray login` it hands out the new sign-in's token, not the one
// of the sign-in before (which may have been another account's).
func TestLoginAndLogoutTellTheApp(t *testing.T) {
	service, sock := session(t)
	tokentest.CurlBrowser(t)
	srv := newSignInServer(t)
	mustRun(t, "", "add", "lat", "--grant", "authorization_code", "--auth", "none", "--client-id", "cli",
		"--authorization-url", srv.URL+"/authorize", "--token-url", srv.URL+"/token", "--revocation-url", srv.URL+"/revoke")
	mustRun(t, "", "login", "lat")
	a := startApp(t, service, sock)
	if tok, err := a.mgr.Token(context.Background(), "lat", 0); err != nil || tok.AccessToken != "access-1" {
		t.Fatalf("the app's token after the first login: %v, %v", tok, err)
	}
	askUntil(t, sock, "access-1")

	// Signed in again (perhaps as someone else): the app drops the old
	// sign-in's token and, once it reloads, hands out the new one.
	mustRun(t, "", "login", "lat")
	if ps, _ := a.mgr.Snapshot().Find("lat"); ps.Token == nil || ps.Token.AccessToken != "access-2" {
		t.Fatalf("after a new login the app holds %+v, not the new sign-in's token", ps.Token)
	}
	a.reload(t)
	if tok, err := a.mgr.Token(context.Background(), "lat", 0); err != nil || tok.AccessToken != "access-2" || srv.issued() != 2 {
		t.Fatalf("the app's token after the second login: %v, %v; want access-2", tok, err)
	}
	askUntil(t, sock, "access-2")

	// Signed out: the app forgets the token at once.
	mustRun(t, "", "logout", "lat")
	if got, err := ask(t, sock, 0); !errors.Is(err, instance.ErrNoAnswer) {
		t.Fatalf("after logout: the app answered %q, %v", got, err)
	}
	if ps, _ := a.mgr.Snapshot().Find("lat"); ps.Token != nil {
		t.Fatalf("after logout the app still holds %s", ps.Token.AccessToken)
	}
	// …and says not signed in at once (it said "no token yet"), stopped.
	if ps, _ := a.mgr.Snapshot().Find("lat"); ps.StatusAt(time.Now()) != tokens.StatusNotSignedIn || !ps.Stopped {
		t.Fatalf("after logout the app says %v (stopped %v), want not signed in", ps.StatusAt(time.Now()), ps.Stopped)
	}
	a.reload(t)
	if ps, _ := a.mgr.Snapshot().Find("lat"); ps.Token != nil || ps.StatusAt(time.Now()) != tokens.StatusNotSignedIn {
		t.Fatalf("after logout and a reload the app holds %v, says %v", ps.Token, ps.StatusAt(time.Now()))
	}
	issued := srv.issued()

	// Signed in again while the app holds no token: fresh at once.
	mustRun(t, "", "login", "lat")
	if ps, _ := a.mgr.Snapshot().Find("lat"); ps.StatusAt(time.Now()) != tokens.StatusFresh || ps.Token.AccessToken != fmt.Sprintf("access-%d", issued+1) {
		t.Fatalf("after logging in again the app says %v with %+v", ps.StatusAt(time.Now()), ps.Token)
	}
}
