package oauth

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/testenv"
)

func resp(status int, contentType, body string) httpResponse {
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return httpResponse{Status: status, Header: h, Body: []byte(body)}
}

func TestParseTokenResponseSuccess(t *testing.T) {
	cases := []struct {
		name        string
		r           httpResponse
		wantType    string
		wantScope   string
		wantExpires time.Duration
		wantSource  tokens.ExpirySource
		wantExtra   map[string]any
	}{
		{"json number", resp(200, "application/json; charset=utf-8", `{"access_token":"a","token_type":"Bearer","expires_in":3599}`),
			"Bearer", "", 3599 * time.Second, tokens.ExpiryFromExpiresIn, nil},
		{"numeric string expires_in", resp(200, "application/json", `{"access_token":"a","expires_in":"3599"}`),
			"Bearer", "", 3599 * time.Second, tokens.ExpiryFromExpiresIn, nil},
		{"fractional expires_in", resp(200, "application/json", `{"access_token":"a","expires_in":1.5}`),
			"Bearer", "", 1500 * time.Millisecond, tokens.ExpiryFromExpiresIn, nil},
		{"form-encoded (GitHub style)", resp(200, "application/x-www-form-urlencoded; charset=utf-8", "access_token=gho_abc&scope=repo%2Cgist&token_type=bearer&expires_in=28800"),
			"Bearer", "repo,gist", 8 * time.Hour, tokens.ExpiryFromExpiresIn, nil},
		{"form body labelled text/plain", resp(201, "text/plain", "access_token=x&token_type=bearer"),
			"Bearer", "", tokens.DefaultAssumedLifetime, tokens.ExpiryAssumed, nil},
		{"json without content type", resp(200, "", ` {"access_token":"a","expires_in":10} `),
			"Bearer", "", 10 * time.Second, tokens.ExpiryFromExpiresIn, nil},
		{"extra fields kept, numbers exact", resp(200, "application/json", `{"access_token":"a","expires_in":60,"ext_expires_in":3600,"id":12345678901234567890,"nested":{"k":"v"}}`),
			"Bearer", "", time.Minute, tokens.ExpiryFromExpiresIn,
			map[string]any{"ext_expires_in": json.Number("3600"), "id": json.Number("12345678901234567890"), "nested": map[string]any{"k": "v"}}},
		{"unusable expires_in falls back and is kept", resp(200, "application/json", `{"access_token":"a","expires_in":"soon"}`),
			"Bearer", "", tokens.DefaultAssumedLifetime, tokens.ExpiryAssumed, map[string]any{"expires_in": "soon"}},
		{"zero expires_in is not a lifetime", resp(200, "application/json", `{"access_token":"a","expires_in":0}`),
			"Bearer", "", tokens.DefaultAssumedLifetime, tokens.ExpiryAssumed, map[string]any{"expires_in": json.Number("0")}},
		{"scope as array", resp(200, "application/json", `{"access_token":"a","scope":["read","write"],"expires_in":5}`),
			"Bearer", "read write", 5 * time.Second, tokens.ExpiryFromExpiresIn, nil},
		// Secrets are not kept "for display" (issue 24: the refresh token was).
		{"refresh and id tokens dropped", resp(200, "application/json", `{"access_token":"a","expires_in":5,"refresh_token":"rt-secret","Id_Token":"x.y.z","tenant":"t"}`),
			"Bearer", "", 5 * time.Second, tokens.ExpiryFromExpiresIn, map[string]any{"tenant": "t"}},
		{"refresh token dropped from a form answer", resp(200, "application/x-www-form-urlencoded", "access_token=a&refresh_token=rt-secret&expires_in=5"),
			"Bearer", "", 5 * time.Second, tokens.ExpiryFromExpiresIn, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := parseTokenResponse(tc.r, testNow, 0, nil)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if tok.TokenType != tc.wantType || tok.Scope != tc.wantScope || tok.ExpirySource != tc.wantSource {
				t.Errorf("token = %+v", tok)
			}
			if got := tok.ExpiresAt.Sub(tok.IssuedAt); got != tc.wantExpires || !tok.IssuedAt.Equal(testNow) {
				t.Errorf("lifetime %v (issued %v), want %v", got, tok.IssuedAt, tc.wantExpires)
			}
			gotExtra, _ := json.Marshal(tok.Extra)
			wantExtra, _ := json.Marshal(tc.wantExtra)
			if string(gotExtra) != string(wantExtra) {
				t.Errorf("Extra = %s, want %s", gotExtra, wantExtra)
			}
		})
	}
}

func TestParseTokenResponseRefusals(t *testing.T) {
	cases := []struct {
		name string
		r    httpResponse
		want tokens.ServerError
	}{
		{"200 without access_token", resp(200, "application/json", `{"token_type":"Bearer"}`),
			tokens.ServerError{Status: 200, Problem: tokens.ProblemNoToken, Detail: "(fields: token_type)"}},
		{"200 empty object", resp(200, "application/json", `{}`),
			tokens.ServerError{Status: 200, Problem: tokens.ProblemNoToken, Detail: "(empty object)"}},
		{"200 with an OAuth error (GitHub style)", resp(200, "application/x-www-form-urlencoded", "error=bad_verification_code&error_description=The+code+is+wrong"),
			tokens.ServerError{Status: 200, Code: "bad_verification_code", Description: "The code is wrong"}},
		{"access_token not a string", resp(200, "application/json", `{"access_token":42}`),
			tokens.ServerError{Status: 200, Problem: tokens.ProblemTokenSyntax, Detail: "it is not a string"}},
		{"blank access_token", resp(200, "application/json", `{"access_token":"  "}`),
			tokens.ServerError{Status: 200, Problem: tokens.ProblemTokenSyntax, Detail: "it contains white space at byte 1"}},
		{"200 html", resp(200, "text/html", `<html>login page</html>`),
			tokens.ServerError{Status: 200, Problem: tokens.ProblemHTML, ContentType: "text/html", Excerpt: "login page"}},
		{"200 json array", resp(200, "application/json", `["a"]`),
			tokens.ServerError{Status: 200, Problem: tokens.ProblemInvalidJSON, ContentType: "application/json", Detail: "response is not a JSON object"}},
		{"trailing data", resp(200, "application/json", `{"access_token":"a"}{"x":1}`),
			tokens.ServerError{Status: 200, Problem: tokens.ProblemInvalidJSON, ContentType: "application/json", Detail: "response has data after the JSON object"}},
		{"400 rfc6749 error", resp(400, "application/json", `{"error":"invalid_scope","error_description":"scope x is unknown","error_uri":"https://e/x"}`),
			tokens.ServerError{Status: 400, Code: "invalid_scope", Description: "scope x is unknown", URI: "https://e/x"}},
		{"401 error without content type", resp(401, "", `{"error":"invalid_client"}`),
			tokens.ServerError{Status: 401, Code: "invalid_client"}},
		{"403 json that is not an OAuth error", resp(403, "application/json", `{"message":"Forbidden"}`),
			tokens.ServerError{Status: 403, Excerpt: `{"message":"Forbidden"}`}},
		{"500 empty body", resp(500, "", ""), tokens.ServerError{Status: 500}},
		{"html with entities and comments", resp(504, "text/html", "<!DOCTYPE html><title>Gateway&nbsp;Timeout</title>\r\n<p>upstream &amp; co &lt;3</p>"),
			tokens.ServerError{Status: 504, Problem: tokens.ProblemHTML, Excerpt: "Gateway Timeout upstream & co <3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := parseTokenResponse(tc.r, testNow, 0, nil)
			var se *tokens.ServerError
			if !errors.As(err, &se) || tok != nil {
				t.Fatalf("got %v, %v; want *ServerError", tok, err)
			}
			if *se != tc.want {
				t.Errorf("ServerError = %+v\nwant          %+v", *se, tc.want)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	cases := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"30", 30 * time.Second},
		{" 7 ", 7 * time.Second},
		{"0", 0},
		{"-5", 0},
		{"soon", 0},
		{testNow.Add(2 * time.Minute).Format(http.TimeFormat), 2 * time.Minute},
		{testNow.Add(-time.Minute).Format(http.TimeFormat), 0},
		{testNow.Add(45 * time.Second).Format(time.RFC850), 45 * time.Second},
	}
	for _, tc := range cases {
		if got := parseRetryAfter(tc.in, testNow); got != tc.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"  lots \n\n of\t\tspace  ", "lots of space"},
		{"ctrl\x00\x1b[31mchars\x7f", "ctrlchars"},
		{"<SCRIPT>alert(1)</SCRIPT><STYLE>p{}</STYLE><b>bold</b>", "bold"},
		{"bad utf8 \xff\xfe here", "bad utf8 here"},
		{"unterminated <tag", "unterminated"},
		{"İİ<b>x</b>", "İİ x"},
	}
	for _, tc := range cases {
		if got := excerpt([]byte(tc.in), nil); got != tc.want {
			t.Errorf("excerpt(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	long := excerpt([]byte(strings.Repeat("ab ", 1000)), nil)
	if n := utf8.RuneCountInString(long); n != maxExcerptRunes+1 || !strings.HasSuffix(long, "…") {
		t.Errorf("long excerpt has %d runes (%q…)", n, long[:20])
	}
}

// FuzzParseTokenResponse checks that no answer makes the parser panic and
// that every result is coherent.
func FuzzParseTokenResponse(f *testing.F) {
	f.Add(200, "application/json", "", []byte(`{"access_token":"a","expires_in":"3599"}`))
	f.Add(400, "application/json", "10", []byte(`{"error":"invalid_client"}`))
	f.Add(502, "text/html", "", []byte(`<html><body>Bad gateway</body></html>`))
	f.Add(200, "application/x-www-form-urlencoded", "", []byte(`access_token=x&expires_in=10`))
	f.Fuzz(func(t *testing.T, status int, contentType, retryAfter string, body []byte) {
		h := http.Header{}
		h.Set("Content-Type", contentType)
		h.Set("Retry-After", retryAfter)
		tok, err := parseTokenResponse(httpResponse{Status: status, Header: h, Body: body}, testNow, time.Hour, nil)
		if (tok == nil) == (err == nil) {
			t.Fatalf("got token %v and error %v", tok, err)
		}
		if err != nil {
			var se *tokens.ServerError
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not a *ServerError", err)
			}
			if se.Status != status || se.RetryAfter < 0 {
				t.Fatalf("ServerError %+v for status %d", se, status)
			}
			if n := utf8.RuneCountInString(se.Excerpt); n > maxExcerptRunes+1 {
				t.Fatalf("excerpt has %d runes", n)
			}
			for _, r := range se.Excerpt {
				if !unicode.IsPrint(r) && r != ' ' {
					t.Fatalf("excerpt contains %U", r)
				}
			}
			return
		}
		if status < 200 || status > 299 {
			t.Fatalf("status %d gave a token", status)
		}
		if strings.TrimSpace(tok.AccessToken) == "" {
			t.Fatal("empty access token")
		}
		if !tok.IssuedAt.Equal(testNow) || !tok.ExpiresAt.After(tok.IssuedAt) {
			t.Fatalf("issued %v, expires %v", tok.IssuedAt, tok.ExpiresAt)
		}
		switch tok.ExpirySource {
		case tokens.ExpiryFromExpiresIn, tokens.ExpiryFromJWT, tokens.ExpiryAssumed:
		default:
			t.Fatalf("expiry source %q", tok.ExpirySource)
		}
		if tok.ExpirySource == tokens.ExpiryAssumed && tok.Lifetime() != time.Hour {
			t.Fatalf("assumed lifetime %v, want 1h", tok.Lifetime())
		}
		if c := tok.ExpiryConflict; c != nil {
			earlier := c.FromExpiresIn
			if c.FromJWT.Before(earlier) {
				earlier = c.FromJWT
			}
			if !tok.ExpiresAt.Equal(earlier) {
				t.Fatalf("conflict %+v but ExpiresAt %v", c, tok.ExpiresAt)
			}
		}
		if _, ok := tok.Extra["access_token"]; ok {
			t.Fatal("access_token duplicated into Extra")
		}
	})
}

func BenchmarkParseTokenResponse(b *testing.B) {
	r := resp(200, "application/json", `{"access_token":"`+testenv.SignedJWT(b, map[string]any{"exp": testNow.Add(time.Hour).Unix()})+`","token_type":"Bearer","expires_in":3600,"scope":"a b"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseTokenResponse(r, testNow, 0, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExcerptPathological feeds the excerpt builder 64 KiB of unclosed
// <script> tags; it must stay linear.
func BenchmarkExcerptPathological(b *testing.B) {
	body := []byte(strings.Repeat("<script>", 8<<10))
	b.ReportAllocs()
	for b.Loop() {
		excerpt(body, nil)
	}
}
