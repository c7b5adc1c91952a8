package oauth

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// browserAnswer is a scripted browser for SignIn: it reads the
// authorization URL it is opened with and sends the answer answer makes
// of it to the redirect URI, as a browser redirected there would.
type browserAnswer func(auth url.Values) url.Values

func (a browserAnswer) open(t *testing.T, result chan<- *http.Response) func(context.Context, string) error {
	return func(_ context.Context, raw string) error {
		u, err := url.Parse(raw)
		if err != nil {
			t.Error(err)
			return err
		}
		go func() {
			q := u.Query()
			resp, err := http.Get(q.Get("redirect_uri") + "?" + a(q).Encode())
			if err != nil {
				t.Error(err)
				close(result)
				return
			}
			result <- resp
		}()
		return nil
	}
}

func signInProfile(tokenURL string) tokens.Profile {
	p := publicProfile(tokenURL)
	p.AuthorizationURL = "https://auth.example.com/authorize?tenant=t1"
	p.Scopes = []string{"profile", "api"} // no openid: no ID token to check (idtoken_test.go)
	return p
}

func TestSignInChecksTheAnswerBeforeRedeemingIt(t *testing.T) {
	cases := []struct {
		name   string
		answer browserAnswer
		want   error
	}{
		// Refused at the listener, which waits on for the real answer
		// (forgedanswer_test.go): none comes here, so the wait ends.
		{"wrong state", func(q url.Values) url.Values { return url.Values{"state": {"forged"}, "code": {"c"}} }, context.DeadlineExceeded},
		{"no state", func(q url.Values) url.Values { return url.Values{"code": {"c"}} }, context.DeadlineExceeded},
		{"two states", func(q url.Values) url.Values { return url.Values{"state": {q.Get("state"), "x"}, "code": {"c"}} }, context.DeadlineExceeded},
		// An error= is believed only with this attempt's state.
		{"error with a wrong state", func(q url.Values) url.Values {
			return url.Values{"state": {"forged"}, "error": {"access_denied"}}
		}, context.DeadlineExceeded},
		{"no code", func(q url.Values) url.Values { return url.Values{"state": {q.Get("state")}} }, ErrNoCode},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ep := newTokenEndpoint(t, okToken)
			pages := make(chan *http.Response, 1)
			_, err := newTestClient(ClientOptions{}).SignIn(context.Background(), signInProfile(ep.URL),
				SignInOptions{OpenBrowser: c.answer.open(t, pages), Timeout: 500 * time.Millisecond})
			if !errors.Is(err, c.want) {
				t.Fatalf("SignIn = %v, want %v", err, c.want)
			}
			if ep.Requests() != 0 {
				t.Fatalf("a code from a bad answer was redeemed")
			}
			if page := <-pages; c.want == context.DeadlineExceeded && page.StatusCode != http.StatusBadRequest {
				t.Errorf("the refused answer got HTTP %d", page.StatusCode)
			}
		})
	}
	t.Run("refusal with the right state", func(t *testing.T) {
		pages := make(chan *http.Response, 1)
		answer := browserAnswer(func(q url.Values) url.Values {
			return url.Values{"state": {q.Get("state")}, "error": {"access_denied"}, "error_description": {"the user said no\x1b[31m"}}
		})
		_, err := newTestClient(ClientOptions{}).SignIn(context.Background(), signInProfile("https://auth.example.com/token"),
			SignInOptions{OpenBrowser: answer.open(t, pages), Timeout: 10 * time.Second})
		var ae *AuthorizationError
		if !errors.As(err, &ae) || ae.Code != "access_denied" || strings.ContainsRune(ae.Description, 0x1b) {
			t.Fatalf("SignIn = %#v", err)
		}
	})
}

func TestSignInSendsPKCEAndTheStateAndRedeemsTheCode(t *testing.T) {
	ep := newTokenEndpoint(t, okToken)
	pages := make(chan *http.Response, 1)
	var asked url.Values
	answer := browserAnswer(func(q url.Values) url.Values {
		asked = q
		return url.Values{"state": {q.Get("state")}, "code": {"the-code-0123456789"}}
	})
	var shown string
	res, err := newTestClient(ClientOptions{}).SignIn(context.Background(), signInProfile(ep.URL),
		SignInOptions{OpenBrowser: answer.open(t, pages), ShowURL: func(u string) { shown = u }, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.Token.AccessToken == "" || shown == "" {
		t.Fatalf("result %+v, shown %q", res, shown)
	}
	if asked.Get("code_challenge_method") != "S256" || len(asked.Get("state")) < 22 || asked.Get("tenant") != "t1" ||
		asked.Get("response_type") != "code" || asked.Get("client_id") != "cli" || asked.Get("scope") != "profile api" || asked.Has("nonce") {
		t.Errorf("authorization request %v", asked)
	}
	redirect, _ := url.Parse(asked.Get("redirect_uri"))
	if redirect.Scheme != "http" || redirect.Hostname() != "127.0.0.1" || redirect.Path != "/callback" {
		t.Errorf("redirect URI %s", redirect)
	}
	f := ep.Last(t).Form
	if s256(f.Get("code_verifier")) != asked.Get("code_challenge") || f.Get("redirect_uri") != asked.Get("redirect_uri") || f.Get("code") != "the-code-0123456789" {
		t.Errorf("token request %v does not redeem the code with its verifier", f)
	}
	page := <-pages
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != 200 || !strings.Contains(string(body), "You can close this tab") || strings.Contains(string(body), "the-code") {
		t.Errorf("page %d %s", page.StatusCode, body)
	}
	// The listener is gone once the sign-in ends.
	if _, err := http.Get(asked.Get("redirect_uri")); err == nil {
		t.Error("the listener still answers after the sign-in")
	}
}

// Each attempt has its own verifier and state.
func TestSignInAttemptsDoNotShareTheirSecrets(t *testing.T) {
	ep := newTokenEndpoint(t, okToken)
	seen := map[string]bool{}
	for range 2 {
		pages := make(chan *http.Response, 1)
		answer := browserAnswer(func(q url.Values) url.Values {
			for _, k := range []string{"state", "code_challenge"} {
				if seen[q.Get(k)] {
					t.Errorf("%s reused", k)
				}
				seen[q.Get(k)] = true
			}
			return url.Values{"state": {q.Get("state")}, "code": {"c0123456789"}}
		})
		if _, err := newTestClient(ClientOptions{}).SignIn(context.Background(), signInProfile(ep.URL),
			SignInOptions{OpenBrowser: answer.open(t, pages), Timeout: 10 * time.Second}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTheCallbackTakesOneAnswerFromItsOwnHost(t *testing.T) {
	cb, err := listenCallback(0, "s")
	if err != nil {
		t.Fatal(err)
	}
	defer cb.close()
	if !strings.HasPrefix(cb.host, "127.0.0.1:") {
		t.Fatalf("listening on %s", cb.host)
	}
	get := func(host, path string) int {
		req, _ := http.NewRequest(http.MethodGet, "http://"+cb.host+path, nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// A page that reached the port through another name (DNS rebinding).
	if code := get("evil.example.com:"+strings.Split(cb.host, ":")[1], "/callback?state=x&code=y"); code != http.StatusMisdirectedRequest {
		t.Errorf("another Host: HTTP %d", code)
	}
	if code := get(cb.host, "/favicon.ico"); code != http.StatusNotFound {
		t.Errorf("another path: HTTP %d", code)
	}
	select {
	case q := <-cb.answers:
		t.Fatalf("an answer from another Host or path was taken: %v", q)
	default:
	}
	if code := get(cb.host, "/callback?state=s&code=first"); code != 200 {
		t.Fatalf("the answer: HTTP %d", code)
	}
	if code := get(cb.host, "/callback?state=s&code=second"); code != http.StatusGone {
		t.Errorf("a second answer: HTTP %d", code)
	}
	q, err := cb.wait(context.Background())
	if err != nil || q.Get("code") != "first" {
		t.Fatalf("answer %v, %v", q, err)
	}
}

func TestATakenRedirectPortIsSaidClearly(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	p := signInProfile("https://auth.example.com/token")
	p.RedirectPort = port
	_, err = newTestClient(ClientOptions{}).SignIn(context.Background(), p, SignInOptions{})
	var pt *PortTakenError
	if !errors.As(err, &pt) || pt.Port != port || !strings.Contains(err.Error(), strconv.Itoa(port)) {
		t.Fatalf("SignIn on a taken port = %v", err)
	}
}

func TestSignInChecksIssPerRFC9207WhenTheMetadataPromisesIt(t *testing.T) {
	ep := tokentest.NewEndpoint(t)
	mux := http.NewServeMux()
	var issuer string
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		tokentest.WriteJSON(w, 200, map[string]any{"issuer": issuer, "token_endpoint": issuer + "/token",
			"authorization_endpoint": issuer + "/authorize", "authorization_response_iss_parameter_supported": true})
	})
	mux.Handle("/token", ep.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	issuer = srv.URL
	p := tokens.Profile{Name: "me", IssuerURL: issuer, ClientID: "cli", Auth: tokens.AuthNone, Grant: tokens.GrantAuthorizationCode}
	for _, c := range []struct {
		iss  []string
		want error
	}{{nil, ErrIssuerMismatch}, {[]string{"https://mix-up.example.com"}, ErrIssuerMismatch}, {[]string{issuer}, nil}} {
		pages := make(chan *http.Response, 1)
		answer := browserAnswer(func(q url.Values) url.Values {
			return url.Values{"state": {q.Get("state")}, "code": {"c0123456789"}, "iss": c.iss}
		})
		_, err := newTestClient(ClientOptions{}).SignIn(context.Background(), p, SignInOptions{OpenBrowser: answer.open(t, pages), Timeout: 10 * time.Second})
		if !errors.Is(err, c.want) {
			t.Errorf("iss %v: SignIn = %v, want %v", c.iss, err, c.want)
		}
	}
}
