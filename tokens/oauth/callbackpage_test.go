package oauth

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// The page the loopback listener serves is the same few words whatever
// the browser brings: no redirect (a Location, a meta refresh, a script),
// nothing of the query reflected, so an answer that names somewhere to go
// (redirect_uri, next, return_to) sends the browser nowhere: no open
// redirect. The same holds for its refusals.
func TestTheCallbackPageRedirectsNowhereAndEchoesNothing(t *testing.T) {
	cb, err := listenCallback(0, "s")
	if err != nil {
		t.Fatal(err)
	}
	defer cb.close()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	evil := url.Values{"state": {"s"}, "code": {"c"}, "redirect_uri": {"https://evil.example.com/a"}, "next": {"https://evil.example.com/b"},
		"return_to": {"//evil.example.com/c"}, "error_description": {"<script>location='https://evil.example.com/d'</script>"}}
	// An answer refused for its state, the answer, then a second one.
	for i, c := range []struct {
		state string
		want  int
	}{{"forged", http.StatusBadRequest}, {"s", 200}, {"s", http.StatusGone}} {
		evil.Set("state", c.state)
		want := c.want
		resp, err := noFollow.Get("http://" + cb.host + callbackPath + "?" + evil.Encode())
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || resp.Header.Get("Location") != "" || resp.Header.Get("Refresh") != "" {
			t.Errorf("request %d: HTTP %d, Location %q, Refresh %q", i, resp.StatusCode, resp.Header.Get("Location"), resp.Header.Get("Refresh"))
		}
		low := strings.ToLower(string(body))
		for _, bad := range []string{"evil", "http-equiv", "<script", "location"} {
			if strings.Contains(low, bad) {
				t.Errorf("request %d: the page holds %q: %s", i, bad, body)
			}
		}
		if page := map[int]string{0: refusedHTML, 1: doneHTML}[i]; page != "" && string(body) != page {
			t.Errorf("request %d: the page is not the fixed one: %s", i, body)
		}
	}
}

// With no answer the sign-in gives up after its limit (a short one here;
// 3 minutes by default, as issue #26 promises), says so with a typed
// error, and its listener is gone.
func TestASignInWithoutAnAnswerGivesUpAndCloses(t *testing.T) {
	if DefaultSignInTimeout != 3*time.Minute {
		t.Fatalf("DefaultSignInTimeout = %v, want 3 minutes", DefaultSignInTimeout)
	}
	var redirect string
	opened := func(_ context.Context, raw string) error {
		u, _ := url.Parse(raw)
		redirect = u.Query().Get("redirect_uri")
		return nil // a browser that never comes back
	}
	start := time.Now()
	_, err := newTestClient(ClientOptions{}).SignIn(context.Background(), signInProfile("https://auth.example.com/token"),
		SignInOptions{OpenBrowser: opened, Timeout: 100 * time.Millisecond})
	var te *tokens.SignInTimeoutError
	if !errors.As(err, &te) || te.After != 100*time.Millisecond || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("SignIn = %v, want a *SignInTimeoutError after 100ms", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("it gave up after %v", took)
	}
	u, _ := url.Parse(redirect)
	if c, err := net.DialTimeout("tcp", u.Host, time.Second); err == nil {
		c.Close()
		t.Errorf("the listener on %s still accepts connections after giving up", u.Host)
	}
}
