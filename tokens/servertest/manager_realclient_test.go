package servertest

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-oauth2/oauth2/v4/server"
	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/tokens/testenv"
)

// countingTransport counts requests sent through it.
type countingTransport struct {
	n atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// TestManagerWithRealClientAndServer runs the Manager with the real Client
// against a go-oauth2 authorization server over loopback: shared fetches,
// a proactive refresh by Run once the simulated clock reaches its due
// time, and a permanent refusal.
func TestManagerWithRealClientAndServer(t *testing.T) {
	hs := goOAuth2Server(t, func(srv *server.Server) { srv.SetClientInfoHandler(basicFormDecoded) })
	clock := testenv.NewClock(t0)
	rt := &countingTransport{}
	m := tokens.NewManager(tokens.ManagerOptions{
		Fetcher: oauth.NewClient(oauth.ClientOptions{Now: clock.Now, HTTPClient: &http.Client{Transport: rt}}),
		Now:     clock.Now,
		// Run re-reads the settable clock this often, so the proactive
		// refresh starts soon after the clock is moved to its due time.
		CheckInterval: 5 * time.Millisecond,
	})
	defer m.Close()
	good := goOAuth2Profile(hs, tokens.AuthClientSecretBasic)
	bad := goOAuth2Profile(hs, tokens.AuthClientSecretBasic)
	bad.Name, bad.ClientSecret = "wrong-secret", "not the secret"
	m.SetProfiles([]tokens.Profile{good, bad})

	var wg sync.WaitGroup
	toks := make([]*tokens.Token, 20)
	for i := range toks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := m.Token(context.Background(), good.Name, time.Minute)
			if err != nil {
				t.Error(err)
			}
			toks[i] = tok
		}()
	}
	wg.Wait()
	if n := rt.n.Load(); n != 1 {
		t.Fatalf("20 concurrent callers sent %d token requests", n)
	}
	for _, tok := range toks {
		if tok != toks[0] {
			t.Fatal("callers got different tokens")
		}
	}
	if got := callAPI(t, hs, toks[0]); got != goOAuth2ClientID {
		t.Fatalf("API resolved %q", got)
	}
	ps, _ := m.Snapshot().Find(good.Name)
	if want := t0.Add(goOAuth2Lifetime - tokens.DefaultRefreshLead); !ps.NextRefresh.Equal(want) {
		t.Fatalf("next refresh +%v, want +%v", ps.NextRefresh.Sub(t0), want.Sub(t0))
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go m.Run(ctx)
	clock.Set(ps.NextRefresh)
	// The old token stays valid (for the lead) until the refreshed one is
	// in, so wait for the engine to serve a new one.
	var fresh *tokens.Token
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if fresh, err = m.Token(context.Background(), good.Name, time.Minute); err != nil || fresh != toks[0] {
			break
		}
	}
	if err != nil || fresh == toks[0] || rt.n.Load() != 2 {
		t.Fatalf("proactive refresh: err %v, new token %v, requests %d", err, fresh != toks[0], rt.n.Load())
	}
	if got := callAPI(t, hs, fresh); got != goOAuth2ClientID {
		t.Fatalf("API resolved %q with the refreshed token", got)
	}

	_, err = m.Token(context.Background(), bad.Name, 0)
	var se *tokens.ServerError
	if !errors.As(err, &se) || se.Code != "invalid_client" {
		t.Fatalf("wrong secret: %v", err)
	}
	if ps, _ := m.Snapshot().Find(bad.Name); !ps.Stopped {
		t.Fatalf("refused profile not stopped: %+v", ps)
	}
	before := rt.n.Load()
	if _, err := m.Token(context.Background(), bad.Name, 0); !errors.As(err, &se) || rt.n.Load() != before {
		t.Fatalf("stopped profile asked the server again (%v)", err)
	}
}

// t0 is the simulated start time of the engine test.
var t0 = time.Date(2030, 1, 2, 3, 0, 0, 0, time.UTC)
