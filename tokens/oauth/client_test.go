package oauth

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

func TestFetchClientSecretBasicSendsFormAndHeaders(t *testing.T) {
	e := newTokenEndpoint(t, func(w http.ResponseWriter, _ recorded) {
		tokentest.WriteJSON(w, 200, map[string]any{"access_token": "tok-1", "token_type": "Bearer", "expires_in": 3600,
			"scope": "read write", "tenant": "acme"})
	})
	p := tokens.Profile{Name: "basic", TokenURL: e.URL + "/oauth/token", ClientID: "my client:1", ClientSecret: "s3cr%t&x+y",
		Scopes: []string{"read", "", "write"}, Audience: "https://api.example.com", Resource: "urn:res",
		Params: map[string]string{"tenant": "acme"}, Headers: map[string]string{"X-Tenant": "acme", "Host": "auth.internal"}}
	tok := fetchOK(t, newTestClient(ClientOptions{}), p)

	rec := e.Last(t)
	auth := rec.Header.Get("Authorization")
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(auth, "Basic "))
	if err != nil || !strings.HasPrefix(auth, "Basic ") {
		t.Fatalf("Authorization = %q, want Basic credentials", auth)
	}
	// RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic.
	if want := "my+client%3A1:s3cr%25t%26x%2By"; string(raw) != want {
		t.Errorf("basic credentials = %q, want %q", raw, want)
	}
	user, pass, _ := strings.Cut(string(raw), ":")
	if u, _ := url.QueryUnescape(user); u != p.ClientID {
		t.Errorf("decoded user = %q", u)
	}
	if s, _ := url.QueryUnescape(pass); s != p.ClientSecret {
		t.Error("decoded password differs from the secret")
	}
	wantForm := url.Values{"grant_type": {"client_credentials"}, "scope": {"read write"},
		"audience": {"https://api.example.com"}, "resource": {"urn:res"}, "tenant": {"acme"}}
	if got := rec.Form.Encode(); got != wantForm.Encode() {
		t.Errorf("form = %s, want %s", got, wantForm.Encode())
	}
	if got := rec.Header.Get("Accept"); got != "application/json" {
		t.Errorf("Accept = %q", got)
	}
	if got := rec.Header.Get("X-Tenant"); got != "acme" {
		t.Errorf("X-Tenant = %q", got)
	}
	if rec.Host != "auth.internal" {
		t.Errorf("Host = %q, want the configured auth.internal", rec.Host)
	}

	if tok.AccessToken != "tok-1" || tok.TokenType != "Bearer" || tok.Scope != "read write" {
		t.Errorf("token = %+v", tok)
	}
	if !tok.IssuedAt.Equal(testNow) || !tok.ExpiresAt.Equal(testNow.Add(time.Hour)) || tok.ExpirySource != tokens.ExpiryFromExpiresIn {
		t.Errorf("times: issued %v expires %v source %s", tok.IssuedAt, tok.ExpiresAt, tok.ExpirySource)
	}
	if tok.Extra["tenant"] != "acme" || len(tok.Extra) != 1 {
		t.Errorf("Extra = %v, want only tenant", tok.Extra)
	}
}

func TestFetchClientSecretPost(t *testing.T) {
	e := newTokenEndpoint(t, okToken)
	p := tokens.Profile{Name: "post", TokenURL: e.URL, ClientID: "cid", ClientSecret: "secret-value", Auth: tokens.AuthClientSecretPost}
	fetchOK(t, newTestClient(ClientOptions{}), p)
	rec := e.Last(t)
	if rec.Header.Get("Authorization") != "" {
		t.Error("client_secret_post sent an Authorization header")
	}
	want := url.Values{"grant_type": {"client_credentials"}, "client_id": {"cid"}, "client_secret": {"secret-value"}}
	if rec.Form.Encode() != want.Encode() {
		t.Errorf("form = %v, want %v", rec.Form, want)
	}
}

func TestFetchJSONBodyEncoding(t *testing.T) {
	e := newTokenEndpoint(t, okToken)
	p := tokens.Profile{Name: "json", TokenURL: e.URL, ClientID: "cid", ClientSecret: "secret-value", Auth: tokens.AuthClientSecretPost,
		Body: tokens.BodyJSON, Scopes: []string{"a", "b"}, Audience: "aud-1", Params: map[string]string{"x": "1"}}
	fetchOK(t, newTestClient(ClientOptions{}), p)
	rec := e.Last(t)
	want := map[string]any{"grant_type": "client_credentials", "client_id": "cid", "client_secret": "secret-value",
		"scope": "a b", "audience": "aud-1", "x": "1"}
	if len(rec.JSON) != len(want) {
		t.Errorf("JSON body = %v, want %v", rec.JSON, want)
	}
	for k, v := range want {
		if rec.JSON[k] != v {
			t.Errorf("JSON %s = %v, want %v", k, rec.JSON[k], v)
		}
	}
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	e := newTokenEndpoint(t, func(w http.ResponseWriter, _ recorded) { <-release })
	defer close(release) // before e.Close (cleanup), so the handler returns
	c := newTestClient(ClientOptions{Timeout: 50 * time.Millisecond})
	_, err := c.Fetch(context.Background(), tokens.Profile{Name: "p", TokenURL: e.URL, ClientID: "c", ClientSecret: "s"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if tokens.Classify(err) != tokens.Transient {
		t.Error("timeout should be transient")
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = newTestClient(ClientOptions{}).Fetch(ctx, tokens.Profile{Name: "p", TokenURL: e.URL, ClientID: "c", ClientSecret: "s"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context canceled", err)
	}
}

func TestFetchBodyLimit(t *testing.T) {
	// A valid token response padded to exactly tokens.MaxResponseBytes is read;
	// one byte more is refused.
	body := func(size int) []byte {
		head := `{"access_token":"big","expires_in":60,"pad":"`
		tail := `"}`
		return []byte(head + strings.Repeat("a", size-len(head)-len(tail)) + tail)
	}
	var size atomic.Int64
	e := newTokenEndpoint(t, func(w http.ResponseWriter, _ recorded) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body(int(size.Load())))
	})
	c := newTestClient(ClientOptions{})
	p := tokens.Profile{Name: "p", TokenURL: e.URL, ClientID: "c", ClientSecret: "s"}

	size.Store(tokens.MaxResponseBytes)
	if tok := fetchOK(t, c, p); tok.AccessToken != "big" {
		t.Errorf("token = %q", tok.AccessToken)
	}
	size.Store(tokens.MaxResponseBytes + 1)
	_, err := c.Fetch(context.Background(), p)
	if !errors.Is(err, tokens.ErrResponseTooLarge) {
		t.Errorf("err = %v, want tokens.ErrResponseTooLarge", err)
	}
}

func TestFetchServerErrors(t *testing.T) {
	const secret = "super-secret-value-123"
	cases := []struct {
		name    string
		respond func(w http.ResponseWriter)
		check   func(t *testing.T, se *tokens.ServerError)
		class   tokens.ErrorClass
	}{
		{"rfc6749 json error", func(w http.ResponseWriter) {
			tokentest.WriteJSON(w, 401, map[string]string{"error": "invalid_client", "error_description": "Client authentication failed", "error_uri": "https://docs/err"})
		}, func(t *testing.T, se *tokens.ServerError) {
			if se.Status != 401 || se.Code != "invalid_client" || se.Description != "Client authentication failed" || se.URI != "https://docs/err" {
				t.Errorf("ServerError = %+v", se)
			}
		}, tokens.Permanent},
		{"html from a proxy", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			fmt.Fprint(w, "<html><head><style>body{color:red}</style><script>var x=1;</script></head>\n<body><h1>502   Bad\tGateway</h1>\x07<p>nginx</p></body></html>")
		}, func(t *testing.T, se *tokens.ServerError) {
			if se.Status != 502 || se.Code != "" || se.Excerpt != "502 Bad Gateway nginx" {
				t.Errorf("ServerError = %+v, want excerpt %q", se, "502 Bad Gateway nginx")
			}
		}, tokens.Transient},
		{"long text is capped", func(w http.ResponseWriter) {
			w.WriteHeader(500)
			fmt.Fprint(w, strings.Repeat("error ", 500))
		}, func(t *testing.T, se *tokens.ServerError) {
			if n := len([]rune(se.Excerpt)); n > maxExcerptRunes+1 || !strings.HasSuffix(se.Excerpt, "…") {
				t.Errorf("excerpt has %d runes: %q", n, se.Excerpt)
			}
		}, tokens.Transient},
		{"retry-after seconds", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "120")
			tokentest.WriteJSON(w, 429, map[string]string{"error": "slow_down"})
		}, func(t *testing.T, se *tokens.ServerError) {
			if se.RetryAfter != 2*time.Minute || se.Code != "slow_down" {
				t.Errorf("ServerError = %+v", se)
			}
		}, tokens.Transient},
		{"retry-after http date", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", testNow.Add(90*time.Second).Format(http.TimeFormat))
			w.WriteHeader(503)
		}, func(t *testing.T, se *tokens.ServerError) {
			if se.RetryAfter != 90*time.Second {
				t.Errorf("RetryAfter = %v, want 90s", se.RetryAfter)
			}
		}, tokens.Transient},
		{"200 without access_token", func(w http.ResponseWriter) {
			tokentest.WriteJSON(w, 200, map[string]any{"token_type": "Bearer", "expires_in": 60})
		}, func(t *testing.T, se *tokens.ServerError) {
			if se.Status != 200 || se.Problem != tokens.ProblemNoToken || !strings.Contains(se.Detail, "expires_in, token_type") {
				t.Errorf("ServerError = %+v", se)
			}
		}, tokens.Transient},
		{"secret echoed by a broken proxy is redacted", func(w http.ResponseWriter) {
			w.WriteHeader(400)
			fmt.Fprintf(w, "<pre>bad request: client_secret=%s</pre>", secret)
		}, func(t *testing.T, se *tokens.ServerError) {
			if se.Excerpt != "bad request: client_secret=[redacted]" {
				t.Errorf("excerpt = %q, want the secret redacted", se.Excerpt)
			}
		}, tokens.Permanent},
		{"secret in an error description is redacted", func(w http.ResponseWriter) {
			tokentest.WriteJSON(w, 401, map[string]string{"error": "invalid_client", "error_description": "secret " + secret + " is wrong"})
		}, func(t *testing.T, se *tokens.ServerError) {
			if se.Description != "secret [redacted] is wrong" {
				t.Errorf("description = %q, want the secret redacted", se.Description)
			}
		}, tokens.Permanent},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTokenEndpoint(t, func(w http.ResponseWriter, _ recorded) { tc.respond(w) })
			_, err := newTestClient(ClientOptions{}).Fetch(context.Background(),
				tokens.Profile{Name: "p", TokenURL: e.URL, ClientID: "c", ClientSecret: secret, Auth: tokens.AuthClientSecretPost})
			var se *tokens.ServerError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v (%T), want *ServerError", err, err)
			}
			tc.check(t, se)
			if got := tokens.Classify(err); got != tc.class {
				t.Errorf("Classify = %v, want %v", got, tc.class)
			}
			if tokens.RetryAfter(err) != se.RetryAfter {
				t.Error("RetryAfter(err) disagrees with the ServerError")
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error string contains the secret: %v", err)
			}
		})
	}
}

func TestEchoedBasicCredentialsAreRedacted(t *testing.T) {
	e := newTokenEndpoint(t, func(w http.ResponseWriter, rec recorded) {
		w.WriteHeader(403)
		fmt.Fprintf(w, "denied: Authorization: %s", rec.Header.Get("Authorization"))
	})
	p := tokens.Profile{Name: "p", TokenURL: e.URL, ClientID: "c", ClientSecret: "basic-secret"}
	_, err := newTestClient(ClientOptions{}).Fetch(context.Background(), p)
	creds := base64.StdEncoding.EncodeToString([]byte("c:basic-secret"))
	if err == nil || strings.Contains(err.Error(), creds) || !strings.Contains(err.Error(), "Basic [redacted]") {
		t.Errorf("err = %v, want the echoed Basic credentials redacted", err)
	}
}

// BenchmarkFetch measures one token request over a reused loopback
// connection (request building, TLS-free transport lookup, parsing).
func BenchmarkFetch(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		okToken(w, recorded{})
	}))
	defer srv.Close()
	c := newTestClient(ClientOptions{})
	p := tokens.Profile{Name: "p", TokenURL: srv.URL, ClientID: "c", ClientSecret: "s", Scopes: []string{"read"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Fetch(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
}
