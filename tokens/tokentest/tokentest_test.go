package tokentest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// fetch asks e for a token with the real client, as the app would.
func fetch(t *testing.T, e *tokentest.Endpoint, id, secret string, scopes ...string) (*tokens.Token, error) {
	t.Helper()
	p := tokentest.Profile("p")
	p.TokenURL, p.ClientID, p.ClientSecret, p.Scopes = e.URL+"/token", id, secret, scopes
	return oauth.NewClient(oauth.ClientOptions{}).Fetch(context.Background(), p)
}

func lifetime(tok *tokens.Token) time.Duration { return tok.ExpiresAt.Sub(tok.IssuedAt) }

func TestEndpointIssuesTokensToItsClientOnly(t *testing.T) {
	e := tokentest.NewEndpoint(t, tokentest.RequireClient("c", "s"))
	var se *tokens.ServerError
	if _, err := fetch(t, e, "c", "wrong"); !errors.As(err, &se) || se.Status != 401 || se.Code != "invalid_client" {
		t.Fatalf("wrong secret: %v", err)
	}
	tok, err := fetch(t, e, "c", "s")
	if err != nil || lifetime(tok) != time.Hour || !strings.HasPrefix(tok.AccessToken, "tok-2-") {
		t.Fatalf("token %+v, %v: want tok-2-… living an hour", tok, err)
	}
	e.SetLifetime(120)
	e.SetSecret("rotated")
	if _, err := fetch(t, e, "c", "s"); err == nil {
		t.Fatal("the old secret still works after SetSecret")
	}
	if tok, err = fetch(t, e, "c", "rotated"); err != nil || lifetime(tok) != 2*time.Minute {
		t.Fatalf("after SetLifetime(120): %+v, %v", tok, err)
	}
	if e.Requests() != 4 || len(e.Received()) != 4 || e.Last(t).Form.Get("grant_type") != "client_credentials" {
		t.Fatalf("%d requests, recorded %+v", e.Requests(), e.Received())
	}
	if issued := e.Issued(); len(issued) != 2 || issued[1] != tok.AccessToken {
		t.Fatalf("issued %q, last token %q", issued, tok.AccessToken)
	}
}

func TestEndpointAnswersFormsEchoesScopeAndFails(t *testing.T) {
	e := tokentest.NewEndpoint(t, tokentest.FormAnswers(), tokentest.EchoScope())
	e.SetToken("fixed", "bearer")
	tok, err := fetch(t, e, "any", "a-long-enough-secret", "a", "b")
	if err != nil || tok.AccessToken != "fixed" || tok.Scope != "a b" || lifetime(tok) != time.Hour {
		t.Fatalf("form answer: %+v, %v", tok, err)
	}
	e.Fail(400, "invalid_scope", "no such scope")
	var se *tokens.ServerError
	if _, err := fetch(t, e, "any", "a-long-enough-secret"); !errors.As(err, &se) || se.Status != 400 || se.Code != "invalid_scope" || se.Description != "no such scope" {
		t.Fatalf("Fail: %v (%#v)", err, se)
	}
	e.Fail(0, "", "")
	if _, err := fetch(t, e, "any", "a-long-enough-secret"); err != nil {
		t.Fatalf("after Fail(0): %v", err)
	}
}

func TestEndpointHoldsRequestsUntilReleased(t *testing.T) {
	e := tokentest.NewEndpoint(t)
	release := e.Hold()
	done := make(chan error, 1)
	go func() { _, err := fetch(t, e, "c", "s"); done <- err }()
	e.WaitEntered(t)
	if e.Requests() != 1 || len(e.Issued()) != 0 {
		t.Fatalf("held: %d requests, issued %q; want one request, no token yet", e.Requests(), e.Issued())
	}
	select {
	case err := <-done:
		t.Fatalf("a held request was answered: %v", err)
	default:
	}
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestCountingFetcherCounts(t *testing.T) {
	f := &tokentest.CountingFetcher{}
	for i := 1; i <= 2; i++ {
		tok, err := f.Fetch(context.Background(), tokentest.Profile("x"))
		if err != nil || tok.AccessToken != "at-id-x-"+string(rune('0'+i)) || !tok.ValidFor(time.Now(), 59*time.Minute) {
			t.Fatalf("fetch %d: %+v, %v", i, tok, err)
		}
	}
	if f.Requests() != 2 {
		t.Fatalf("%d requests, want 2", f.Requests())
	}
	if err := tokentest.Profile("x").Validate(); err != nil {
		t.Fatalf("Profile is not a valid profile: %v", err)
	}
}
