package oauth

import (
	"context"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// echoToken answers with a token and echoes the request's credentials in
// response headers, as a broken proxy or a debugging server might.
func echoToken(w http.ResponseWriter, rec recorded) {
	w.Header().Set("X-Echo-Authorization", rec.Header.Get("Authorization"))
	w.Header().Set("X-Echo-Body", string(rec.Body))
	w.Header().Set("Set-Cookie", "session=cookie-value-123456")
	tokentest.WriteJSON(w, 200, map[string]any{"access_token": "eyJhbGciOiJub25lIn0.echo-token-value/with+odd=", "token_type": "Bearer",
		"expires_in": 3600, "refresh_token": "refresh-token-value-abcdef"})
}

// echoRefusal refuses and echoes the whole request in its body.
func echoRefusal(w http.ResponseWriter, rec recorded) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(400)
	fmt.Fprintf(w, "bad request\nAuthorization: %s\n%s\n", rec.Header.Get("Authorization"), rec.Body)
}

// record fetches p and returns the exchanges reported and the requests
// the server saw.
func record(t *testing.T, c *Client, p tokens.Profile) []tokens.LogEntry {
	t.Helper()
	var got []tokens.LogEntry
	ctx := tokens.WithLogRecorder(context.Background(), func(x tokens.LogEntry) { got = append(got, x) })
	_, _ = c.Fetch(ctx, p)
	if len(got) != 1 {
		t.Fatalf("%d exchanges recorded, want 1", len(got))
	}
	return got
}

func TestExchangeRedactsEveryAuthMethod(t *testing.T) {
	const secret = `s3cr+t/"odd&chars ü=and-long-enough-for-HS256`
	key := testECKey(t, elliptic.P256())
	keyPEM := pkcs8PEM(t, key)
	ca, _ := newTestCA(t, "client CA")
	certPEM := ca.issueClient(t, "tokentray-client", key)
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)

	for _, respond := range []struct {
		name string
		fn   func(http.ResponseWriter, recorded)
	}{{"token with echoed headers", echoToken}, {"refusal echoing the request", echoRefusal}} {
		plain := newTokenEndpoint(t, respond.fn)
		mtls := tokentest.NewUnstartedEndpoint(t, tokentest.Respond(respond.fn))
		mtls.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
		quietTLS(mtls.Server)
		mtls.StartTLS()
		t.Cleanup(mtls.Close)
		serverCA := pemBlock("CERTIFICATE", mtls.Certificate().Raw)

		for _, p := range []tokens.Profile{
			{Name: "basic", Auth: tokens.AuthClientSecretBasic, ClientSecret: secret},
			{Name: "post", Auth: tokens.AuthClientSecretPost, ClientSecret: secret},
			{Name: "post-json", Auth: tokens.AuthClientSecretPost, ClientSecret: secret, Body: tokens.BodyJSON},
			{Name: "basic-json", Auth: tokens.AuthClientSecretBasic, ClientSecret: secret, Body: tokens.BodyJSON},
			{Name: "secret-jwt", Auth: tokens.AuthClientSecretJWT, ClientSecret: secret},
			{Name: "key-jwt", Auth: tokens.AuthPrivateKeyJWT, PrivateKeyPEM: keyPEM, Alg: tokens.AlgES256, KeyID: "k1"},
			{Name: "key-jwt-json", Auth: tokens.AuthPrivateKeyJWT, PrivateKeyPEM: keyPEM, Alg: tokens.AlgES256, Body: tokens.BodyJSON},
			{Name: "mtls", Auth: tokens.AuthTLSClient, ClientCertPEM: certPEM, ClientKeyPEM: keyPEM, CABundlePEM: serverCA},
		} {
			t.Run(respond.name+"/"+p.Name, func(t *testing.T) {
				e := plain
				if p.Auth == tokens.AuthTLSClient {
					e = mtls
				}
				p.TokenURL, p.ClientID = e.URL+"/token", "client id+1"
				p.Headers = map[string]string{"X-Api-Key": "header-api-key-value"}
				x := record(t, newTestClient(ClientOptions{}), p)[0]
				seen := e.Last(t)
				text := tokentest.Rendered(x)

				forbidden := []string{"header-api-key-value", "cookie-value-123456"}
				if p.ClientSecret != "" {
					forbidden = append(forbidden, tokentest.SecretForms(p.ClientID, p.ClientSecret)...)
				}
				assertion := seen.Form.Get("client_assertion")
				if seen.JSON != nil {
					assertion, _ = seen.JSON["client_assertion"].(string)
				}
				if assertion != "" {
					forbidden = append(forbidden, assertion, assertion[strings.LastIndexByte(assertion, '.')+1:])
				}
				forbidden = append(forbidden, pemSecrets(keyPEM)[2:]...)
				for _, f := range forbidden {
					if strings.Contains(text, f) {
						t.Errorf("the exchange shows %q:\n%s", f, text)
					}
				}
				if x.Method != "POST" || x.URL != p.TokenURL || x.Status == 0 || x.Duration < 0 {
					t.Errorf("exchange %s %s → %d", x.Method, x.URL, x.Status)
				}
				if p.Auth == tokens.AuthClientSecretBasic && !strings.Contains(text, "Basic [redacted]") {
					t.Errorf("the Authorization header is not shown as Basic [redacted]:\n%s", text)
				}
				if (p.Auth == tokens.AuthClientSecretPost || assertion != "") && !strings.Contains(x.RequestBody, "[redacted]") {
					t.Errorf("request body %q: the credential is not shown redacted", x.RequestBody)
				}
				if !strings.Contains(x.RequestBody, "grant_type") {
					t.Errorf("request body %q lacks grant_type", x.RequestBody)
				}
				if x.Status == 200 {
					tok := "eyJhbGciOiJub25lIn0.echo-token-value/with+odd="
					if strings.Contains(text, tok) || !strings.Contains(x.ResponseBody, tokens.MaskToken(tok)) {
						t.Errorf("response body %q: want %q masked as %q", x.ResponseBody, tok, tokens.MaskToken(tok))
					}
					// A refresh token is a secret: redacted whole, no head or tail.
					if rt := "refresh-token-value-abcdef"; strings.Contains(text, rt[len(rt)-4:]) || !strings.Contains(x.ResponseBody, `"refresh_token":"[redacted]"`) {
						t.Errorf("response body %q: want the refresh token redacted whole", x.ResponseBody)
					}
				}
			})
		}
	}
}

func TestExchangeWithShortSecretWithholdsServerText(t *testing.T) {
	e := newTokenEndpoint(t, echoRefusal)
	for _, auth := range []tokens.AuthMethod{tokens.AuthClientSecretPost, tokens.AuthClientSecretBasic} {
		p := tokens.Profile{Name: "p", TokenURL: e.URL, ClientID: "c", ClientSecret: "abc", Auth: auth}
		x := record(t, newTestClient(ClientOptions{}), p)[0]
		text := tokentest.Rendered(x)
		for _, f := range tokentest.SecretForms("c", "abc") {
			if strings.Contains(text, "="+f) || strings.Contains(text, " "+f) {
				t.Errorf("%s: the exchange shows the short secret as %q:\n%s", auth, f, text)
			}
		}
		if !x.Withheld || x.ResponseBody != "" || x.Status != 400 {
			t.Errorf("%s: Withheld %v, status %d, body %q: want the server's text withheld", auth, x.Withheld, x.Status, x.ResponseBody)
		}
	}
}

func TestExchangeOfFailedRequest(t *testing.T) {
	e := newTokenEndpoint(t, okToken)
	e.Close()
	p := tokens.Profile{Name: "p", TokenURL: e.URL, ClientID: "c", ClientSecret: "a-long-secret"}
	x := record(t, newTestClient(ClientOptions{}), p)[0]
	if x.Status != 0 || x.Err == "" || x.ResponseBody != "" {
		t.Errorf("exchange of a refused connection: status %d, err %q", x.Status, x.Err)
	}
}

func TestExchangeBodyIsCapped(t *testing.T) {
	e := newTokenEndpoint(t, func(w http.ResponseWriter, _ recorded) {
		w.WriteHeader(500)
		fmt.Fprint(w, strings.Repeat("<p>error</p>\n", 10000))
	})
	p := tokens.Profile{Name: "p", TokenURL: e.URL, ClientID: "c", ClientSecret: "a-long-secret"}
	x := record(t, newTestClient(ClientOptions{}), p)[0]
	if len(x.ResponseBody) > tokens.MaxLogBody || !x.BodyCut {
		t.Errorf("response body %d bytes, cut %v: want at most %d and cut", len(x.ResponseBody), x.BodyCut, tokens.MaxLogBody)
	}
}
