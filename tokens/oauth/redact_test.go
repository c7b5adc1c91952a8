package oauth

import (
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

func TestRedactorCoversEveryEncoding(t *testing.T) {
	secret := `p@ss w+rd/&"<é>` + "0123456789"
	p := tokens.Profile{ClientID: "my client", ClientSecret: secret, PrivateKeyPEM: pkcs8PEM(t, testECKey(t, elliptic.P256())),
		Headers: map[string]string{"X-Api-Key": "header-secret-value", "Accept-Language": "en-GB-oxendict"}}
	assertion := "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJjIn0.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA"
	basic := base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(p.ClientID) + ":" + url.QueryEscape(secret)))
	r := newRedactor(p, assertion, basic)
	j, _ := json.Marshal(secret)
	keyLine := strings.Split(p.PrivateKeyPEM, "\n")[1]
	for name, form := range map[string]string{
		"raw":              secret,
		"form-encoded":     url.QueryEscape(secret),
		"path-escaped":     url.PathEscape(secret),
		"basic (RFC 6749)": basic,
		"basic (raw)":      base64.StdEncoding.EncodeToString([]byte(p.ClientID + ":" + secret)),
		"json-escaped":     string(j[1 : len(j)-1]),
		"html-escaped":     html.EscapeString(secret),
		"lowercase hex":    strings.ToLower(url.QueryEscape(secret)),
		"assertion":        assertion,
		"jwt signature":    "c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA",
		"pem":              p.PrivateKeyPEM,
		"pem line":         keyLine,
		"pem json":         strings.Trim(string(must(json.Marshal(p.PrivateKeyPEM))), `"`),
		"secret header":    "header-secret-value",
	} {
		got := r.apply("before " + form + " after")
		if got != "before "+Redacted+" after" && !(strings.HasPrefix(got, "before ") && !strings.Contains(got, form)) {
			t.Errorf("%s: %q", name, got)
		}
	}
	if got := r.apply("Accept-Language: en-GB-oxendict"); got != "Accept-Language: en-GB-oxendict" {
		t.Errorf("an ordinary header value was redacted: %q", got)
	}
}

// An echo may JSON-escape any character of a secret, as PHP's
// json_encode does ("\/", "\u00e9", with flags "\u003C", and other
// encoders in upper-case hex): the redactor decodes the escapes before it
// matches, so every spelling is redacted. (Before, "Sup3r\/S3cret…" was
// shown.)
func TestRedactorDecodesJSONEscapes(t *testing.T) {
	secret := `Sup3r/S3cret"<é>0123456789/ü😀`
	p := tokens.Profile{ClientID: "c", ClientSecret: secret, Params: map[string]string{"api_key": "p/aram-secret-value"}}
	r := newRedactor(p)
	for _, echoed := range []string{
		`Sup3r\/S3cret\"<\u00e9>0123456789\/\u00fc\ud83d\ude00`,
		`Sup3r\/S3cret\u0022\u003C\u00E9\u003E0123456789\/\u00FC\uD83D\uDE00`,
		`\u0053up3r\u002fS3cret\u0022\u003c\u00e9\u003e0123456789/\u00fc\uD83D\ude00`,
		`p\/aram-secret-value`,
	} {
		for _, text := range []string{`{"error_description":"got ` + echoed + `!"}`, "bare " + echoed + " text"} {
			got := r.apply(text)
			if !strings.Contains(got, Redacted) || strings.Contains(got, "0123456789") || strings.Contains(got, "aram-secret") {
				t.Errorf("%s\n→ %s", text, got)
			}
		}
	}
	if got := r.apply(`{"a":"ordinary \/ text \u00e9"}`); got != `{"a":"ordinary \/ text \u00e9"}` {
		t.Errorf("text without a secret changed: %s", got)
	}
}

// The values of tokens.SecretFields are secrets whoever sent them, in JSON
// and in forms, whatever their length; similar names are left alone.
func TestRedactorHidesSecretFieldValues(t *testing.T) {
	for in, want := range map[string]string{
		`{"refresh_token":"rt-1","code" : "abc","Device_Code":"d\"x","id_token":"x.y.z"}`: `{"refresh_token":"[redacted]","code" : "[redacted]","Device_Code":"[redacted]","id_token":"[redacted]"}`,
		`grant_type=refresh_token&refresh_token=rt-1&code_verifier=v1`:                    `grant_type=refresh_token&refresh_token=[redacted]&code_verifier=[redacted]`,
		`https://app.example/cb?state=s&code=abc`:                                         `https://app.example/cb?state=s&code=[redacted]`,
		`{"error_code":"x","token_type":"Bearer","codes":"c"} error_code=x`:               `{"error_code":"x","token_type":"Bearer","codes":"c"} error_code=x`,
	} {
		if got := (*redactor)(nil).apply(in); got != want {
			t.Errorf("%s\n got %s\nwant %s", in, got, want)
		}
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestShortSecretWithholdsServerText(t *testing.T) {
	// "abc" is too short to find safely: it would match inside ordinary
	// words, so the server's text goes, whole, and the error says so.
	r := newRedactor(tokens.Profile{ClientID: "c", ClientSecret: "abc"})
	tok, err := parseTokenResponse(httpResponse{Status: 400, Header: http.Header{"Content-Type": {"application/json"}},
		Body: []byte(`{"error":"invalid_client","error_description":"secret abc is wrong, abcdef","error_uri":"https://e/abc"}`)}, time.Now(), 0, r)
	se, ok := err.(*tokens.ServerError)
	if tok != nil || !ok {
		t.Fatalf("%v, %v", tok, err)
	}
	if se.Code != "invalid_client" || se.Description != "" || se.URI != "" || !se.Withheld {
		t.Errorf("%+v", se)
	}
	// A long secret is removed, and ordinary text around it is untouched.
	r = newRedactor(tokens.Profile{ClientID: "c", ClientSecret: "a-long-secret"})
	_, err = parseTokenResponse(httpResponse{Status: 500, Body: []byte("abc a-long-secret abc")}, time.Now(), 0, r)
	if se := err.(*tokens.ServerError); se.Excerpt != "abc [redacted] abc" || se.Withheld {
		t.Errorf("%+v", se)
	}
}

func TestCheckAccessToken(t *testing.T) {
	for _, ok := range []string{"abc", "a.b.c", "AZaz09-._~+/", "abc==", "eyJ.eyJ.sig"} {
		if err := tokens.CheckAccessToken(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for in, want := range map[string]string{
		"":          "empty",
		"==":        "padding",
		"a\r\nb":    "line break at byte 2",
		"a b":       "white space",
		"a\x00b":    "control character",
		"a=b":       `"=" at byte 2`,
		"tok\u00e9": "non-ASCII",
		`a"b`:       `"\""`,
	} {
		err := tokens.CheckAccessToken(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

func TestTokenType(t *testing.T) {
	for body, want := range map[string]struct {
		typ      string
		assumed  bool
		isBearer bool
	}{
		`{"access_token":"a","token_type":"bearer"}`:             {"Bearer", false, true},
		`{"access_token":"a","token_type":"BEARER"}`:             {"Bearer", false, true},
		`{"access_token":"a"}`:                                   {"Bearer", true, true},
		`{"access_token":"a","token_type":"mac"}`:                {"mac", false, false},
		`{"access_token":"a","token_type":"DPoP"}`:               {"DPoP", false, false},
		`{"access_token":"a","token_type":"N_A\u001b[2J\u202e"}`: {"N_A", false, false},
	} {
		tok, err := parseTokenResponse(httpResponse{Status: 200, Body: []byte(body)}, time.Now(), 0, nil)
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if tok.TokenType != want.typ || tok.TokenTypeAssumed != want.assumed || tok.IsBearer() != want.isBearer {
			t.Errorf("%s: type %q assumed %v bearer %v", body, tok.TokenType, tok.TokenTypeAssumed, tok.IsBearer())
		}
		if _, err := tok.BearerValue(); (err == nil) != want.isBearer {
			t.Errorf("%s: BearerValue error %v", body, err)
		}
	}
}

func TestServerErrorClass(t *testing.T) {
	for _, tc := range []struct {
		se   tokens.ServerError
		want tokens.ErrorClass
	}{
		{tokens.ServerError{Status: 400, Code: "temporarily_unavailable"}, tokens.Transient},
		{tokens.ServerError{Status: 400, Code: "server_error"}, tokens.Transient},
		{tokens.ServerError{Status: 503, Code: "invalid_client"}, tokens.Permanent},
		{tokens.ServerError{Status: 400, Code: "invalid_client"}, tokens.Permanent},
		{tokens.ServerError{Status: 401, Code: "unauthorized_client"}, tokens.Permanent},
		{tokens.ServerError{Status: 400, Code: "invalid_scope"}, tokens.Permanent},
		{tokens.ServerError{Status: 400, Code: "invalid_grant"}, tokens.Permanent},
		{tokens.ServerError{Status: 400, Code: "unsupported_grant_type"}, tokens.Permanent},
		{tokens.ServerError{Status: 400, Code: "invalid_request"}, tokens.Permanent},
		{tokens.ServerError{Status: 429, Code: "slow_down"}, tokens.Transient},
		{tokens.ServerError{Status: 500}, tokens.Transient},
		{tokens.ServerError{Status: 408}, tokens.Transient},
		{tokens.ServerError{Status: 404}, tokens.Permanent},
		{tokens.ServerError{Status: 302, Problem: tokens.ProblemRedirect}, tokens.Permanent},
		{tokens.ServerError{Status: 200, Problem: tokens.ProblemHTML}, tokens.Transient},
		{tokens.ServerError{Status: 200, Problem: tokens.ProblemInvalidJSON}, tokens.Transient},
		{tokens.ServerError{Status: 200, Code: "bad_verification_code"}, tokens.Permanent},
	} {
		if got := tokens.Classify(&tc.se); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc.se, got, tc.want)
		}
	}
}

func TestCheckName(t *testing.T) {
	for _, ok := range []string{"dev-api", "Prod API (eu)", "日本語", "emoji 👩‍💻"} {
		if err := tokens.CheckName(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for in, want := range map[string]string{
		"":                       "required",
		"a/b":                    "slashes",
		"esc\x1b[31m":            "control characters (found U+001B)",
		"del\x7f":                "control characters (found U+007F)",
		"c1\u0085":               "control characters (found U+0085)",
		"rlo\u202egnp.exe":       "bidirectional text controls (found U+202E)",
		"iso\u2066x":             "bidirectional text controls (found U+2066)",
		"ls\u2028x":              "line separators",
		"zw\u200bx":              "invisible format characters",
		strings.Repeat("n", 101): "100-byte limit",
		"bad\xffutf8":            "UTF-8",
	} {
		err := tokens.CheckName(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

func TestProfileLimits(t *testing.T) {
	p := tokens.Profile{Name: "p", TokenURL: "https://a.example/t", ClientID: "c", ClientSecret: "s",
		CABundlePEM: "-----BEGIN CERTIFICATE-----\n" + strings.Repeat("A", tokens.MaxCABundleLen) + "\n-----END CERTIFICATE-----",
		Scopes:      make([]string, tokens.MaxScopes+1),
		Params:      map[string]string{"k": strings.Repeat("v", tokens.MaxParamLen+1)},
		Audience:    "aud\x1b[2J",
	}
	ve, ok := p.Validate().(*tokens.ValidationError)
	if !ok {
		t.Fatalf("validate: %v", p.Validate())
	}
	for _, f := range []string{tokens.FieldCABundle, tokens.FieldScopes, tokens.FieldParams, tokens.FieldAudience} {
		if ve.Field(f) == nil {
			t.Errorf("no problem reported for %s: %v", f, ve)
		}
	}
}

func TestCheckMinValid(t *testing.T) {
	now := time.Now()
	tok := &tokens.Token{AccessToken: "a", IssuedAt: now, ExpiresAt: now.Add(2 * time.Minute), ExpirySource: tokens.ExpiryFromExpiresIn}
	if err := tokens.CheckMinValid(tok, now, time.Minute); err != nil {
		t.Fatal(err)
	}
	le, ok := tokens.CheckMinValid(tok, now, 10*time.Minute).(*tokens.LifetimeError)
	if !ok || le.Lifetime != 2*time.Minute || le.MinValid != 10*time.Minute {
		t.Fatalf("%+v", le)
	}
}

// A secret straddling the 64 KiB cut of a tag-heavy page must not leave a
// piece behind after the tags are stripped.
func TestRedactionBeforeEveryCut(t *testing.T) {
	secret := "straddling-secret-0123456789abcdef"
	r := newRedactor(tokens.Profile{ClientID: "c", ClientSecret: secret})
	pad := strings.Repeat("<i>", (64<<10-10)/3)
	body := pad + "x" + secret + "</i>"
	_, err := parseTokenResponse(httpResponse{Status: 502, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(body)}, time.Now(), 0, r)
	se := err.(*tokens.ServerError)
	for i := 0; i+8 <= len(secret); i++ {
		if strings.Contains(se.Excerpt, secret[i:i+8]) {
			t.Fatalf("excerpt %q holds part of the secret", se.Excerpt)
		}
	}
}

func TestPrintableDropsEscapeSequences(t *testing.T) {
	for in, want := range map[string]string{
		"a\x1b[2Jb":                 "ab",
		"red\x1b[31;1mtext\x1b[0m":  "redtext",
		"t\x1b]0;evil title\x07end": "tend",
		"o\x1b]8;;http://x\x1b\\k":  "ok",
		"line1\r\nline2\u202e":      "line1 line2",
		"esc at end\x1b":            "esc at end",
	} {
		if got := tokens.Printable(in, 100); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkRedactorApply: the redaction of a server answer of 16 KiB and
// of 1 MiB (the response limit), JSON with escapes (so the unescaped view
// is built) and the secret echoed once.
func BenchmarkRedactorApply(b *testing.B) {
	secret := `Sup3r/S3cret"<é>0123456789`
	r := newRedactor(tokens.Profile{ClientID: "c", ClientSecret: secret, Headers: map[string]string{"X-Api-Key": "header-secret-value"}})
	for _, size := range []int{16 << 10, 1 << 20} {
		var body strings.Builder
		body.WriteString(`{"error":"invalid_client","error_description":"got Sup3r\/S3cret\u0022\u003c\u00e9\u003e0123456789","log":[`)
		for body.Len() < size {
			body.WriteString(`"GET \/api\/v1\/items?x=1 \u00e9t\u00e9 200",`)
		}
		body.WriteString(`""]}`)
		text := body.String()
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				if out := r.apply(text); strings.Contains(out, "0123456789") {
					b.Fatal("secret shown")
				}
			}
		})
	}
}
