package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// A page open in the person's browser can reach the loopback port (it
// need only guess it) and send an answer of its own before the real one.
// An answer without this attempt's state is refused on the spot (HTTP
// 400) and the sign-in goes on waiting for its own: a forged answer, or an
// error= from one, cannot end the sign-in, and its code is never redeemed.
func TestAForgedAnswerDoesNotEndTheSignIn(t *testing.T) {
	forged := []url.Values{
		{"state": {"forged"}, "code": {"forged-code-0123"}},
		{"state": {"forged"}, "error": {"access_denied"}},
		{"code": {"forged-code-0123"}},
	}
	for _, bad := range forged {
		t.Run(bad.Encode(), func(t *testing.T) {
			ep := newTokenEndpoint(t, okToken)
			var badStatus int
			open := func(_ context.Context, raw string) error {
				u, err := url.Parse(raw)
				if err != nil {
					return err
				}
				q := u.Query()
				go func() {
					resp, err := http.Get(q.Get("redirect_uri") + "?" + bad.Encode())
					if err != nil {
						t.Error(err)
						return
					}
					resp.Body.Close()
					badStatus = resp.StatusCode
					resp, err = http.Get(q.Get("redirect_uri") + "?" + url.Values{"state": {q.Get("state")}, "code": {"the-real-code-0123"}}.Encode())
					if err != nil {
						t.Error(err)
						return
					}
					resp.Body.Close()
				}()
				return nil
			}
			res, err := newTestClient(ClientOptions{}).SignIn(context.Background(), signInProfile(ep.URL),
				tokens.SignInOptions{OpenBrowser: open, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatalf("SignIn = %v: a forged answer ended the sign-in", err)
			}
			if res.Token.AccessToken == "" || ep.Requests() != 1 || ep.Last(t).Form.Get("code") != "the-real-code-0123" {
				t.Fatalf("redeemed %d codes, the last %q", ep.Requests(), ep.Last(t).Form.Get("code"))
			}
			if badStatus != http.StatusBadRequest {
				t.Errorf("the forged answer got HTTP %d, want 400", badStatus)
			}
		})
	}
	// Only forged answers: the sign-in times out and says how many it
	// refused.
	t.Run("only forged", func(t *testing.T) {
		ep := newTokenEndpoint(t, okToken)
		answer := browserAnswer(func(url.Values) url.Values { return forged[0] })
		pages := make(chan *http.Response, 1)
		_, err := newTestClient(ClientOptions{}).SignIn(context.Background(), signInProfile(ep.URL),
			tokens.SignInOptions{OpenBrowser: answer.open(t, pages), Timeout: 300 * time.Millisecond})
		var te *tokens.SignInTimeoutError
		if !errors.As(err, &te) || te.Refused != 1 || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("SignIn = %v, want a timeout that refused 1 answer", err)
		}
		if ep.Requests() != 0 {
			t.Fatal("a forged code was redeemed")
		}
	})
}
