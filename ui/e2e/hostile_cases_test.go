package e2e

// The hostile token servers: loopback servers that misbehave on purpose,
// shared by the command-line suite (hostile_cli_test.go, the real binary
// and keyring) and the engine suite (hostile_engine_test.go, the client,
// manager and the window's wording). This file uses the standard library
// only, so the command-line suite also runs against an older binary
// (TOKENTRAY_TEST_BINARY) to show which cases it fails.

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens/tokentest"
)

// hostileClientID is the client every hostile case uses.
const hostileClientID = "hostile-client"

// hostileCase is one misbehaving server and what a user must see.
type hostileCase struct {
	name string
	// auth and body are the profile's client authentication and body
	// encoding ("" for the defaults: client_secret_basic, form).
	auth, body string
	// shortSecret uses a 5-character client secret.
	shortSecret bool
	// serve answers a token request once the good token was issued. req is
	// the request as the server received it (headers and body).
	serve func(w http.ResponseWriter, r *http.Request, req []byte, s *hostileServer)
	// transport, when set, replaces the HTTP server: the profile's token URL
	// is transport(t, s) (TLS failures, hangs below HTTP).
	transport func(t *testing.T, s *hostileServer) string
	// issuer makes the profile discover its token endpoint from the
	// server's metadata (served by serve at the well-known path).
	issuer bool
	// format and minValid are the token command's flags ("" for defaults).
	format, minValid string
	// exit is the token command's expected exit code; want lists phrases
	// of its stderr (or, for exit 0, of its stdout), class "temporary" or
	// "permanent" for failures.
	exit  int
	want  []string
	class string
	// noCache skips the good token fetched first (cases that succeed, or
	// whose --min-valid a cached token would meet).
	noCache bool
	// slow cases need the token command's --timeout (hangs, trickles).
	slow bool
	// headers ("Name: value") and params ("name=value") are the profile's
	// extra headers and body parameters; their values are secrets when
	// their names look secret (X-Api-Key, api_key), and must never be
	// shown in any encoding, whatever their length.
	headers, params []string
}

// extraSecrets lists the values of c's secret-looking headers and params.
func (c hostileCase) extraSecrets() []string {
	var out []string
	for _, h := range c.headers {
		_, v, _ := strings.Cut(h, ":")
		out = append(out, strings.TrimSpace(v))
	}
	for _, p := range c.params {
		_, v, _ := strings.Cut(p, "=")
		out = append(out, v)
	}
	return out
}

// exactLeaks returns the first encoding of one of values (raw,
// form-encoded, base64, JSON-escaped, HTML-escaped) found in text, or "",
// however short the value: for secrets too short for leaks' windows.
func exactLeaks(text string, values ...string) string {
	for _, v := range values {
		j, _ := json.Marshal(v)
		for _, f := range []string{v, url.QueryEscape(v), url.PathEscape(v), base64.StdEncoding.EncodeToString([]byte(v)),
			base64.RawStdEncoding.EncodeToString([]byte(v)), string(j[1 : len(j)-1]), html.EscapeString(v)} {
			if f != "" && strings.Contains(text, f) {
				return f
			}
		}
	}
	return ""
}

// hostileServer is a loopback token endpoint that issues one good token,
// then answers with its case's hostile handler.
type hostileServer struct {
	*httptest.Server
	c        hostileCase
	secret   string
	hostile  atomic.Bool
	requests atomic.Int32
	mu       sync.Mutex
	seen     [][]byte // every request as received, for the leak check
	good     string   // the good token issued
	other    *httptest.Server
	// forms are the encodings of the secret the server saw (assertions).
	forms []string
}

func newHostileServer(t *testing.T, c hostileCase, secret string) *hostileServer {
	s := &hostileServer{c: c, secret: secret, good: "good-" + randomHex(20)}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/.well-known/") {
			issuer := "http://" + r.Host
			if s.hostile.Load() && c.issuer {
				c.serve(w, r, nil, s)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]string{"issuer": issuer, "token_endpoint": issuer + "/token"})
			return
		}
		s.requests.Add(1)
		dump, _ := httputil.DumpRequest(r, true)
		s.mu.Lock()
		s.seen = append(s.seen, dump)
		if a := formValue(r, dump, "client_assertion"); a != "" {
			s.forms = append(s.forms, a)
		}
		s.mu.Unlock()
		if !s.hostile.Load() || c.issuer {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600}`, s.good)
			return
		}
		c.serve(w, r, dump, s)
	})
	s.Server = httptest.NewServer(handler)
	s.other = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1000) // a redirect target must never be contacted
		http.Error(w, "not here", 500)
	}))
	t.Cleanup(s.other.Close)
	t.Cleanup(s.Close)
	return s
}

// formValue reads a body field of a form or JSON request dump.
func formValue(r *http.Request, dump []byte, key string) string {
	_, body, _ := bytes.Cut(dump, []byte("\r\n\r\n"))
	if strings.Contains(r.Header.Get("Content-Type"), "json") {
		var m map[string]string
		json.Unmarshal(body, &m)
		return m[key]
	}
	v, _ := url.ParseQuery(string(body))
	return v.Get(key)
}

// secretForms lists what must never be shown: every encoding of the
// secret that went on the wire (raw, form-encoded, Basic of both,
// JSON-escaped, HTML-escaped), the assertions the server saw and the key.
func (s *hostileServer) secretForms(keyPEM string) []string {
	sec := s.secret
	forms := []string{sec, url.QueryEscape(sec), url.PathEscape(sec),
		base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(hostileClientID) + ":" + url.QueryEscape(sec))),
		base64.StdEncoding.EncodeToString([]byte(hostileClientID + ":" + sec)),
		html.EscapeString(sec)}
	j, _ := json.Marshal(sec)
	forms = append(forms, string(j[1:len(j)-1]))
	s.mu.Lock()
	forms = append(forms, s.forms...)
	s.mu.Unlock()
	for line := range strings.Lines(keyPEM) {
		if l := strings.TrimSpace(line); len(l) > 20 && !strings.HasPrefix(l, "-----") {
			forms = append(forms, l)
		}
	}
	return forms
}

// leaks returns the first piece (16 bytes, or a whole shorter form) of a
// secret form found in text, or "".
func leaks(text string, forms []string) string {
	const window = 16
	for _, f := range forms {
		if len(f) <= window {
			if len(f) >= 8 && strings.Contains(text, f) {
				return f
			}
			continue
		}
		for i := 0; i+window <= len(f); i++ {
			if strings.Contains(text, f[i:i+window]) {
				return f[i : i+window]
			}
		}
	}
	return ""
}

// hostileSecret is a client secret whose encodings all differ: it has
// characters that form encoding, JSON and HTML escape, and is random.
func hostileSecret(short bool) string {
	if short {
		return "k&9" + randomHex(1)
	}
	return `S3c+r/e t&"<x>` + randomHex(12) + "=é"
}

func oauthErr(status int, code, desc string, headers ...string) func(http.ResponseWriter, *http.Request, []byte, *hostileServer) {
	return func(w http.ResponseWriter, _ *http.Request, _ []byte, _ *hostileServer) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		tokentest.WriteJSON(w, status, map[string]string{"error": code, "error_description": desc})
	}
}

func raw(status int, contentType, body string, headers ...string) func(http.ResponseWriter, *http.Request, []byte, *hostileServer) {
	return func(w http.ResponseWriter, _ *http.Request, _ []byte, _ *hostileServer) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		} else {
			w.Header()["Content-Type"] = nil
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	}
}

func tokenJSON(fields string) func(http.ResponseWriter, *http.Request, []byte, *hostileServer) {
	return raw(200, "application/json", "{"+fields+"}")
}

// echo answers status with the request dump in the given shape.
func echo(status int, shape string) func(http.ResponseWriter, *http.Request, []byte, *hostileServer) {
	return func(w http.ResponseWriter, r *http.Request, req []byte, s *hostileServer) {
		dump := string(req)
		switch shape {
		case "text":
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(status)
			w.Write(req)
		case "html":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			fmt.Fprintf(w, "<html><body><h1>Bad request</h1><pre>%s</pre></body></html>", html.EscapeString(dump))
		case "json-description":
			tokentest.WriteJSON(w, status, map[string]string{"error": "invalid_request", "error_description": "could not parse " + dump})
		case "decoded-basic":
			id, sec, _ := r.BasicAuth()
			w.WriteHeader(status)
			fmt.Fprintf(w, "client %s:%s rejected; raw secret %s", id, sec, s.secret)
		case "straddle":
			// The secret straddles the 200-character excerpt limit.
			w.WriteHeader(status)
			fmt.Fprintf(w, "%s client_secret=%s and more", strings.Repeat("x", 185), s.secret)
		case "key":
			w.WriteHeader(status)
			fmt.Fprintf(w, "your key was %q", hostileKeyPEM)
		}
	}
}

// hostileKeyPEM is the private_key_jwt key of the cases that use one.
var hostileKeyPEM = func() string {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}()

// listen returns a loopback listener closed at cleanup.
func listen(t *testing.T) net.Listener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// hang accepts connections and never answers.
func hang(t *testing.T, _ *hostileServer) string {
	l := listen(t)
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	return "http://" + l.Addr().String() + "/token"
}

// shortKey and longKey are the values of secret-looking headers and params:
// one too short to search for (6 bytes), one long enough to redact.
var (
	shortKey = "q!" + randomHex(2)
	longKey  = "k3y/" + randomHex(10) + "+&"
)

func hostileCases() []hostileCase {
	refused := []string{"the server said"}
	return []hostileCase{
		// Echoed secrets, every auth method and body encoding.
		{name: "echo text basic", serve: echo(400, "text"), exit: 1, want: []string{"HTTP 400"}, class: "permanent"},
		{name: "echo text post form", auth: "client_secret_post", serve: echo(400, "text"), exit: 1, want: []string{"HTTP 400"}, class: "permanent"},
		{name: "echo text post json", auth: "client_secret_post", body: "json", serve: echo(400, "text"), exit: 1, want: []string{"HTTP 400"}, class: "permanent"},
		{name: "echo html 500", auth: "client_secret_post", serve: echo(500, "html"), exit: 1, want: []string{"HTTP 500", "HTML page"}, class: "temporary"},
		{name: "echo json description basic", serve: echo(400, "json-description"), exit: 1, want: []string{"invalid_request"}, class: "permanent"},
		{name: "echo json description json body", auth: "client_secret_post", body: "json", serve: echo(400, "json-description"), exit: 1, want: []string{"invalid_request"}, class: "permanent"},
		{name: "echo decoded basic", serve: echo(401, "decoded-basic"), exit: 1, want: []string{"HTTP 401", "[redacted]"}, class: "permanent"},
		{name: "echo straddling the excerpt cut", auth: "client_secret_post", serve: echo(400, "straddle"), exit: 1, want: []string{"HTTP 400"}, class: "permanent"},
		{name: "echo client_secret_jwt assertion", auth: "client_secret_jwt", serve: echo(400, "text"), exit: 1, want: []string{"HTTP 400"}, class: "permanent"},
		{name: "echo private_key_jwt assertion", auth: "private_key_jwt", serve: echo(400, "json-description"), exit: 1, want: []string{"invalid_request"}, class: "permanent"},
		{name: "echo private key material", auth: "private_key_jwt", serve: echo(400, "key"), exit: 1, want: []string{"HTTP 400"}, class: "permanent"},
		{name: "echo 200 html captive portal", serve: echo(200, "html"), exit: 1, want: []string{"HTML page", "captive portal"}, class: "temporary"},
		{name: "echo short secret withheld", auth: "client_secret_post", shortSecret: true, serve: echo(400, "text"), exit: 1, want: []string{"HTTP 400", "too short"}, class: "permanent"},
		// Secrets sent besides the client secret: headers and params named
		// like credentials; secrets echoed as the OAuth error code.
		{name: "echo short api key header withheld", headers: []string{"X-Api-Key: " + shortKey}, serve: echo(400, "text"), exit: 1, want: []string{"HTTP 400", "too short"}, class: "permanent"},
		{name: "echo api_key param", auth: "client_secret_post", params: []string{"api_key=" + longKey}, serve: echo(400, "text"), exit: 1, want: []string{"HTTP 400", "[redacted]"}, class: "permanent"},
		{name: "echo api_key param json body", auth: "client_secret_post", body: "json", params: []string{"api_key=" + longKey}, serve: echo(400, "json-description"), exit: 1, want: []string{"invalid_request", "[redacted]"}, class: "permanent"},
		{name: "echo short session token param withheld", params: []string{"Session-Token=" + shortKey}, serve: echo(400, "json-description"), exit: 1, want: []string{"too short"}, class: "permanent"},
		{name: "echo secret-looking header in json", headers: []string{"X-Client-Password: " + longKey}, serve: echo(400, "json-description"), exit: 1, want: []string{"invalid_request", "[redacted]"}, class: "permanent"},
		{name: "short secret echoed as the error code", shortSecret: true, serve: func(w http.ResponseWriter, _ *http.Request, _ []byte, s *hostileServer) {
			tokentest.WriteJSON(w, 400, map[string]string{"error": s.secret})
		}, exit: 1, want: []string{"HTTP 400", "too short"}, class: "permanent"},
		{name: "secret echoed as the error code", serve: func(w http.ResponseWriter, _ *http.Request, _ []byte, s *hostileServer) {
			tokentest.WriteJSON(w, 401, map[string]string{"error": s.secret, "error_description": "bad " + s.secret})
		}, exit: 1, want: []string{"HTTP 401", "[redacted]"}, class: "permanent"},
		{name: "redirect with the secret in Location", serve: func(w http.ResponseWriter, r *http.Request, _ []byte, s *hostileServer) {
			http.Redirect(w, r, s.other.URL+"/token?client_secret="+url.QueryEscape(s.secret), http.StatusFound)
		}, exit: 1, want: []string{"redirects (HTTP 302)", "127.0.0.1"}, class: "permanent"},

		// OAuth error codes and statuses.
		{name: "400 invalid_client", serve: oauthErr(400, "invalid_client", "unknown client"), exit: 1, want: append(refused, "invalid_client", "check the client ID"), class: "permanent"},
		{name: "401 invalid_client www-authenticate", serve: oauthErr(401, "invalid_client", "", "WWW-Authenticate", `Basic realm="x"`), exit: 1, want: []string{"invalid_client"}, class: "permanent"},
		{name: "400 unauthorized_client", serve: oauthErr(400, "unauthorized_client", ""), exit: 1, want: []string{"unauthorized_client"}, class: "permanent"},
		{name: "400 invalid_scope", serve: oauthErr(400, "invalid_scope", "no such scope"), exit: 1, want: []string{"invalid_scope", "scopes"}, class: "permanent"},
		{name: "400 invalid_grant", serve: oauthErr(400, "invalid_grant", ""), exit: 1, want: []string{"invalid_grant"}, class: "permanent"},
		{name: "400 unsupported_grant_type", serve: oauthErr(400, "unsupported_grant_type", ""), exit: 1, want: []string{"unsupported_grant_type"}, class: "permanent"},
		{name: "400 invalid_request", serve: oauthErr(400, "invalid_request", "missing x"), exit: 1, want: []string{"invalid_request"}, class: "permanent"},
		{name: "400 temporarily_unavailable", serve: oauthErr(400, "temporarily_unavailable", "maintenance"), exit: 1, want: []string{"temporarily_unavailable"}, class: "temporary"},
		{name: "400 server_error", serve: oauthErr(400, "server_error", "oops"), exit: 1, want: []string{"server_error"}, class: "temporary"},
		{name: "503 retry-after seconds", serve: raw(503, "text/plain", "down", "Retry-After", "30"), exit: 1, want: []string{"HTTP 503", "retry after 30 s"}, class: "temporary"},
		{name: "429 retry-after", serve: oauthErr(429, "slow_down", "too many", "Retry-After", "120"), exit: 1, want: []string{"slow_down", "retry after 2 min"}, class: "temporary"},
		{name: "429 retry-after date", serve: func(w http.ResponseWriter, r *http.Request, req []byte, s *hostileServer) {
			w.Header().Set("Retry-After", time.Now().Add(95*time.Second).UTC().Format(http.TimeFormat))
			w.WriteHeader(429)
		}, exit: 1, want: []string{"HTTP 429", "retry after 1 min 3"}, class: "temporary"},
		{name: "500 empty", serve: raw(500, "", ""), exit: 1, want: []string{"HTTP 500"}, class: "temporary"},
		{name: "502 html", serve: raw(502, "text/html", "<html><title>Bad Gateway</title></html>"), exit: 1, want: []string{"HTTP 502", "Bad Gateway"}, class: "temporary"},
		{name: "408", serve: raw(408, "text/plain", "timeout"), exit: 1, want: []string{"HTTP 408"}, class: "temporary"},
		{name: "404 html", serve: raw(404, "text/html", "<html><body>Not Found</body></html>"), exit: 1, want: []string{"HTTP 404", "HTML page"}, class: "permanent"},
		{name: "error code with escapes", serve: raw(400, "application/json", `{"error":"invalid_client\u001b[2J\u202e","error_description":"line1\r\ntokentray token: ok\u001b[31m"}`), exit: 1, want: []string{"malformed error code", "invalid_client: line1 tokentray token: ok (HTTP 400)"}, class: "permanent"},

		// 200 answers that are not token responses.
		{name: "200 invalid json", serve: raw(200, "application/json", `{"access_token": "abc`), exit: 1, want: []string{"invalid JSON"}, class: "temporary"},
		{name: "200 text/plain", serve: raw(200, "text/plain", "hello there"), exit: 1, want: []string{"content type text/plain"}, class: "temporary"},
		{name: "200 empty body", serve: raw(200, "application/json", ""), exit: 1, want: []string{"empty body"}, class: "temporary"},
		{name: "200 without access_token", serve: tokenJSON(`"token_type":"Bearer","expires_in":60`), exit: 1, want: []string{"without an access token", "expires_in, token_type"}, class: "temporary"},
		{name: "200 access_token CRLF header injection", format: "header", serve: tokenJSON(`"access_token":"abc\r\nX-Evil: 1","token_type":"Bearer","expires_in":3600`), exit: 1, want: []string{"not a valid bearer token", "line break"}, class: "temporary"},
		{name: "200 access_token with space", serve: tokenJSON(`"access_token":"abc def","token_type":"Bearer"`), exit: 1, want: []string{"white space"}, class: "temporary"},
		{name: "200 access_token number", serve: tokenJSON(`"access_token":12345,"token_type":"Bearer"`), exit: 1, want: []string{"not a string"}, class: "temporary"},
		{name: "200 access_token non-ascii", serve: tokenJSON(`"access_token":"tok\u00e9n","token_type":"Bearer"`), exit: 1, want: []string{"non-ASCII"}, class: "temporary"},
		{name: "200 larger than 1 MiB", serve: raw(200, "application/json", `{"access_token":"`+strings.Repeat("a", 2<<20)+`"}`), exit: 1, want: []string{"more than 1 MiB"}, class: "temporary"},

		// Token types.
		{name: "type mac as header", format: "header", noCache: true, serve: tokenJSON(`"access_token":"mac_abc","token_type":"mac","expires_in":3600`), exit: 1, want: []string{`type "mac", not Bearer`}},
		{name: "type DPoP as bearer", format: "bearer", noCache: true, serve: tokenJSON(`"access_token":"dpop_abc","token_type":"DPoP","expires_in":3600`), exit: 1, want: []string{`type "DPoP", not Bearer`}},
		{name: "type N_A as header", format: "header", noCache: true, serve: tokenJSON(`"access_token":"na_abc","token_type":"N_A","expires_in":3600`), exit: 1, want: []string{`type "N_A", not Bearer`}},
		{name: "type mac raw still works", format: "raw", noCache: true, serve: tokenJSON(`"access_token":"mac_abc","token_type":"mac","expires_in":3600`), exit: 0, want: []string{"mac_abc\n"}},
		{name: "type mac in json", format: "json", noCache: true, serve: tokenJSON(`"access_token":"mac_abc","token_type":"mac","expires_in":3600`), exit: 0, want: []string{`"token_type":"mac"`}},
		{name: "type bearer lowercase", format: "header", noCache: true, serve: tokenJSON(`"access_token":"low_abc","token_type":"bearer","expires_in":3600`), exit: 0, want: []string{"Authorization: Bearer low_abc\n"}},
		{name: "type missing taken as Bearer", format: "header", noCache: true, serve: tokenJSON(`"access_token":"none_abc","expires_in":3600`), exit: 0, want: []string{"Authorization: Bearer none_abc\n"}},

		// Lifetimes.
		{name: "lifetime 120s under --min-valid 10m", minValid: "10m", noCache: true, serve: tokenJSON(`"access_token":"short_abc","token_type":"Bearer","expires_in":120`), exit: 5, want: []string{"live 2 min", "10 min"}},
		{name: "lifetime 30s under the default --min-valid", noCache: true, serve: tokenJSON(`"access_token":"short_abc","token_type":"Bearer","expires_in":30`), exit: 5, want: []string{"live 30 s"}},
		{name: "lifetime 0", format: "json", noCache: true, serve: tokenJSON(`"access_token":"zero_abc","token_type":"Bearer","expires_in":0`), exit: 0, want: []string{`"expiry_source":"assumed"`}},
		{name: "lifetime negative", format: "json", noCache: true, serve: tokenJSON(`"access_token":"neg_abc","token_type":"Bearer","expires_in":-60`), exit: 0, want: []string{`"expiry_source":"assumed"`}},
		{name: "lifetime string", format: "json", noCache: true, serve: tokenJSON(`"access_token":"str_abc","token_type":"Bearer","expires_in":"3600"`), exit: 0, want: []string{`"expires_in":359`, `"expiry_source":"expires_in"`}},
		{name: "lifetime huge", format: "json", noCache: true, serve: tokenJSON(`"access_token":"huge_abc","token_type":"Bearer","expires_in":1e300`), exit: 0, want: []string{`"expiry_source":"expires_in"`}},
		{name: "lifetime missing", format: "json", noCache: true, serve: tokenJSON(`"access_token":"miss_abc","token_type":"Bearer"`), exit: 0, want: []string{`"expires_in":299`, `"expiry_source":"assumed"`}},

		// Transport failures: TLS, hangs, trickles, resets.
		{name: "tls untrusted certificate", transport: func(t *testing.T, _ *hostileServer) string {
			srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
			t.Cleanup(srv.Close)
			return srv.URL + "/token"
		}, exit: 1, want: []string{"not trusted", "--ca"}, class: "permanent"},
		{name: "tls to a plain http server", transport: func(t *testing.T, s *hostileServer) string {
			return strings.Replace(s.URL, "http://", "https://", 1) + "/token"
		}, exit: 1, want: []string{"cannot reach"}, class: "temporary"},
		{name: "tls handshake hangs", transport: func(t *testing.T, s *hostileServer) string {
			return strings.Replace(hang(t, s), "http://", "https://", 1)
		}, slow: true, exit: 1, want: []string{"did not answer in time"}, class: "temporary"},
		{name: "hang", transport: hang, slow: true, exit: 1, want: []string{"did not answer in time"}, class: "temporary"},
		{name: "trickle body", serve: func(w http.ResponseWriter, r *http.Request, _ []byte, _ *hostileServer) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(200)
			for i := 0; i < 100; i++ {
				if _, err := w.Write([]byte(" ")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(200 * time.Millisecond):
				}
			}
		}, slow: true, exit: 1, want: []string{"did not answer in time"}, class: "temporary"},
		{name: "connection closed without answer", serve: func(w http.ResponseWriter, _ *http.Request, _ []byte, _ *hostileServer) {
			c, _, _ := w.(http.Hijacker).Hijack()
			c.Close()
		}, exit: 1, want: []string{"cannot reach"}, class: "temporary"},

		// Discovery.
		{name: "discovery issuer mismatch", issuer: true, serve: func(w http.ResponseWriter, r *http.Request, _ []byte, s *hostileServer) {
			tokentest.WriteJSON(w, 200, map[string]string{"issuer": "https://evil.example", "token_endpoint": s.other.URL + "/token"})
		}, exit: 1, want: []string{"discovery refused", "evil.example"}, class: "permanent"},
	}
}
