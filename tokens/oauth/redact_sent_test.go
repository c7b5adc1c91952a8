package oauth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// echoEndpoint answers every token request with status and the request as
// the server saw it, headers and body, in the OAuth error's description
// (JSON-escaped), and code as the error code ("" echoes the client secret
// received as the code).
func echoEndpoint(t *testing.T, status int, code string) *tokenEndpoint {
	return newTokenEndpoint(t, func(w http.ResponseWriter, rec recorded) {
		var dump strings.Builder
		for k, vs := range rec.Header {
			for _, v := range vs {
				dump.WriteString(k + ": " + v + "\n")
			}
		}
		dump.Write(rec.Body)
		c := code
		if c == "" {
			c = rec.Form.Get("client_secret")
		}
		tokentest.WriteJSON(w, status, map[string]string{"error": c, "error_description": "could not parse " + dump.String()})
	})
}

// forms lists the encodings of v an echo can show.
func forms(v string) []string {
	j, _ := json.Marshal(v)
	return []string{v, url.QueryEscape(v), url.PathEscape(v), base64.StdEncoding.EncodeToString([]byte(v)), string(j[1 : len(j)-1]), html.EscapeString(v)}
}

// TestEchoedSentSecretsNeverShown: every sensitive value a request sends
// (the client secret, headers and params named like credentials) is absent
// from the error in every encoding; when one is too short to search for,
// the server's text, error code included, is withheld.
func TestEchoedSentSecretsNeverShown(t *testing.T) {
	long := "long/secret+value&" + "0123456789"
	for _, c := range []struct {
		name     string
		p        tokens.Profile
		secrets  []string
		withheld bool
		code     string // the server's error code; "" echoes the client secret as the code
	}{
		{"short api key header", tokens.Profile{ClientSecret: long, Headers: map[string]string{"X-Api-Key": "6bytes"}}, []string{long, "6bytes"}, true, "invalid_request"},
		{"api_key param", tokens.Profile{ClientSecret: long, Params: map[string]string{"api_key": "param-value-0123456789"}}, []string{long, "param-value-0123456789"}, false, "invalid_request"},
		{"secret-looking params and headers, any case", tokens.Profile{ClientSecret: long,
			Params:  map[string]string{"MY_PASSWORD": "pw-value-0123456789", "client_assertion_x": "as-value-0123456789", "refresh_TOKEN": "rt-value-0123456789"},
			Headers: map[string]string{"X-Credential": "cr-value-0123456789"}},
			[]string{"pw-value-0123456789", "as-value-0123456789", "rt-value-0123456789", "cr-value-0123456789"}, false, "invalid_request"},
		{"short secret echoed as the error code", tokens.Profile{ClientSecret: "5byte", Auth: tokens.AuthClientSecretPost}, []string{"5byte"}, true, ""},
		{"secret echoed as the error code", tokens.Profile{ClientSecret: long, Auth: tokens.AuthClientSecretPost}, []string{long}, false, ""},
		{"short param json body", tokens.Profile{ClientSecret: long, Body: tokens.BodyJSON, Params: map[string]string{"apikey": "k1"}}, []string{"k1"}, true, "invalid_request"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := echoEndpoint(t, 400, c.code)
			p := c.p
			p.Name, p.ClientID, p.TokenURL = "echo", "echo-client", e.URL+"/token"
			_, err := newTestClient(ClientOptions{}).Fetch(context.Background(), p)
			var se *tokens.ServerError
			if !errors.As(err, &se) {
				t.Fatalf("not a ServerError: %v", err)
			}
			shown := err.Error() + "\n" + se.Code + se.Description + se.Excerpt + se.URI + se.Detail
			for _, s := range c.secrets {
				for _, f := range forms(s) {
					if strings.Contains(shown, f) {
						t.Errorf("%q (a form of %q) shown:\n%s", f, s, shown)
					}
				}
			}
			if se.Withheld != c.withheld {
				t.Errorf("withheld %v, want %v:\n%s", se.Withheld, c.withheld, shown)
			}
			if c.code == "invalid_request" && se.Code != "invalid_request" {
				t.Errorf("the standard error code was lost: %q", se.Code)
			}
		})
	}
}

// TestRedactorLeavesOrdinaryParams: parameters whose names do not look
// secret are sent and shown as they are.
func TestRedactorLeavesOrdinaryParams(t *testing.T) {
	r := newRedactor(tokens.Profile{ClientSecret: "a-long-secret", Params: map[string]string{"tenant": "x"}, Headers: map[string]string{"Accept-Language": "en"}})
	if r.withhold {
		t.Error("short ordinary values withhold the server's text")
	}
	if got := r.apply("tenant x, language en"); got != "tenant x, language en" {
		t.Errorf("%q", got)
	}
}

// TestNetworkErrorHidesQueryValues: Go's *url.Error prints the request
// URL; the token URL's query values must not reach the error.
func TestNetworkErrorHidesQueryValues(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens: the dial fails
	p := tokens.Profile{Name: "net", ClientID: "c", ClientSecret: "a-long-secret", TokenURL: "http://" + addr + "/token?tenant=tenant-value-123"}
	_, err = newTestClient(ClientOptions{}).Fetch(context.Background(), p)
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), "tenant-value-123") {
		t.Errorf("the query's value is in the error: %v", err)
	}
	if !strings.Contains(err.Error(), addr) {
		t.Errorf("the error lost the host: %v", err)
	}
}
