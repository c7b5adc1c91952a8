package curlcmd

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/tokens/testenv"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// seen is a token request as the server decoded it.
type seen struct {
	Params  map[string]string // form or JSON body
	BasicID string            // the Basic credential, form-decoded (RFC 6749 §2.3.1)
	Basic   string
	Header  map[string]string // the headers a profile sets
	Type    string            // Content-Type
}

// seenBy is the token request endpoint received last, decoded.
func seenBy(t *testing.T, endpoint *tokentest.Endpoint) seen {
	t.Helper()
	r := endpoint.Last(t)
	rec := seen{Params: map[string]string{}, Header: map[string]string{}, Type: r.Header.Get("Content-Type")}
	for _, h := range []string{"Accept", "User-Agent", "X-Tenant", "X-Api-Key"} {
		rec.Header[h] = r.Header.Get(h)
	}
	rec.Header["Host"] = r.Host
	for k, v := range r.JSON {
		s, ok := v.(string)
		if !ok {
			t.Errorf("server: JSON body %q: %s is not a string", r.Body, k)
		}
		rec.Params[k] = s
	}
	for k := range r.Form {
		rec.Params[k] = r.Form.Get(k)
	}
	if a, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Basic "); ok {
		raw, _ := base64.StdEncoding.DecodeString(a)
		id, secret, _ := strings.Cut(string(raw), ":")
		rec.BasicID, _ = url.QueryUnescape(id)
		rec.Basic, _ = url.QueryUnescape(secret)
	}
	return rec
}

// runCurl runs command with sh -c in an empty directory, with env (and
// PATH) as its only environment, and returns its stdout and the directory.
func runCurl(t *testing.T, command string, env map[string]string) (string, string) {
	t.Helper()
	for _, tool := range []string{"sh", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			if testenv.InCI() {
				t.Fatalf("%s is not installed (.ci/deps.sh test installs it)", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
	dir := t.TempDir()
	cmd := exec.Command("sh", "-c", command)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the command failed: %v\nstderr: %s\ncommand:\n%s", err, stderr.String(), command)
	}
	return string(out), dir
}

// hostileSecret holds every character that is special to a shell, to
// curl's config files, to JSON or to form encoding.
const hostileSecret = "s'e\"c$(touch pwned)`touch pwned2`\\ +%&=ü\t;|*?\nx$HOME"

func TestCurlReproducesTheRequest(t *testing.T) {
	srv := tokentest.NewEndpoint(t)
	base := tokens.Profile{Name: "dev-api", TokenURL: srv.URL + "/oauth/token", ClientID: "client id+1",
		Scopes: []string{"api.read", "api.write"}, Audience: "https://api.example.com",
		Params: map[string]string{"tenant": "t1"}, Headers: map[string]string{"X-Tenant": "acme", "X-Api-Key": "api-key-value"}}
	for _, tc := range []struct {
		name    string
		auth    tokens.AuthMethod
		body    tokens.BodyEncoding
		secret  string
		private bool
		plain   bool // no secret header: the secret alone on curl's stdin
	}{
		{"post form, the secret alone", tokens.AuthClientSecretPost, tokens.BodyForm, hostileSecret, false, true},
		{"basic form, the secret alone", tokens.AuthClientSecretBasic, tokens.BodyForm, hostileSecret, false, true},
		{"client_secret_jwt form, the assertion alone", tokens.AuthClientSecretJWT, tokens.BodyForm, strings.Repeat("k", 32), false, true},
		{"basic form", tokens.AuthClientSecretBasic, tokens.BodyForm, "plain-secret-1234", false, false},
		{"basic form, secret needing form encoding", tokens.AuthClientSecretBasic, tokens.BodyForm, hostileSecret, false, false},
		{"basic JSON", tokens.AuthClientSecretBasic, tokens.BodyJSON, hostileSecret, false, false},
		{"post form", tokens.AuthClientSecretPost, tokens.BodyForm, hostileSecret, false, false},
		{"post JSON", tokens.AuthClientSecretPost, tokens.BodyJSON, hostileSecret, false, false},
		{"client_secret_jwt form", tokens.AuthClientSecretJWT, tokens.BodyForm, strings.Repeat("k", 32), false, false},
		{"private_key_jwt JSON", tokens.AuthPrivateKeyJWT, tokens.BodyJSON, "", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := base
			p.Auth, p.Body, p.ClientSecret = tc.auth, tc.body, tc.secret
			if tc.plain {
				p.Headers = map[string]string{"X-Tenant": "acme"}
			}
			if tc.private {
				p.PrivateKeyPEM, p.Alg = testKeyPEM(t), tokens.AlgES256
			}
			if _, err := oauth.NewClient(oauth.ClientOptions{}).Fetch(context.Background(), p); err != nil {
				t.Fatalf("Tokentray's own request: %v", err)
			}
			want := seenBy(t, srv)

			command, err := Command(p.Name, oauth.Shape(p, p.TokenURL))
			if err != nil {
				t.Fatal(err)
			}
			const assertion = "eyJhbGciOiJFUzI1NiJ9.fresh.assertion"
			out, dir := runCurl(t, command, map[string]string{EnvSecret: tc.secret, EnvAssertion: assertion, "HEADER_X_API_KEY": "api-key-value"})
			if !strings.Contains(out, `"access_token":"tok-`) {
				t.Fatalf("curl printed %q, want a token", out)
			}
			got := seenBy(t, srv)
			if a := got.Params["client_assertion"]; a != "" {
				if a != assertion {
					t.Errorf("client_assertion %q, want $%s", a, EnvAssertion)
				}
				got.Params["client_assertion"] = want.Params["client_assertion"]
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("curl's request differs from Tokentray's:\n got %+v\nwant %+v\ncommand:\n%s", got, want, command)
			}
			if tc.secret != "" && strings.Contains(command, tc.secret) {
				t.Error("the command holds the secret")
			}
			noFiles(t, dir)
		})
	}
}

func TestCurlQuotesHostileValues(t *testing.T) {
	srv := tokentest.NewEndpoint(t)
	// Values a profile may hold (Validate refuses control characters, and
	// so does Command: TestCurlRefusesControlCharacters); the secret, from
	// the environment, may hold anything.
	evil := "a'b\"c$(touch pwned)`touch pwned2`\\n$HOME;|&*?%+=[1-2]{x,y}@-"
	for _, body := range []tokens.BodyEncoding{tokens.BodyForm, tokens.BodyJSON} {
		t.Run(string(body), func(t *testing.T) {
			p := tokens.Profile{Name: "evil'$(touch pwned)\nname", TokenURL: srv.URL + "/t?x='$(touch%20pwned)`id`'", ClientID: evil,
				Auth: tokens.AuthClientSecretPost, Body: body, ClientSecret: hostileSecret, Scopes: []string{evil}, Audience: evil,
				Params: map[string]string{evil: evil}, Headers: map[string]string{"X-Tenant": "x'$(touch pwned)`touch pwned2`\"", "Host": "api.internal"}}
			command, err := Command(p.Name, oauth.Shape(p, p.TokenURL))
			if err != nil {
				t.Fatal(err)
			}
			out, dir := runCurl(t, command, map[string]string{EnvSecret: hostileSecret})
			if !strings.Contains(out, `"access_token"`) {
				t.Fatalf("curl printed %q, want a token", out)
			}
			noFiles(t, dir)
			got := seenBy(t, srv)
			want := map[string]string{"grant_type": "client_credentials", "client_id": evil, "client_secret": hostileSecret,
				"scope": evil, "audience": evil, evil: evil}
			if !maps.Equal(got.Params, want) || got.Header["X-Tenant"] != p.Headers["X-Tenant"] || got.Header["Host"] != p.Headers["Host"] {
				t.Errorf("the server got %+v\nwant params %+v and the headers as given", got, want)
			}
		})
	}
}

// noFiles fails when the command created anything in its directory (an
// injected touch would).
func noFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		t.Errorf("the command created %s: something was injected", filepath.Join(dir, e.Name()))
	}
}

func TestCurlForCertificatesAndAssertions(t *testing.T) {
	p := tokens.Profile{Name: "m", TokenURL: "https://auth.example.com/token", ClientID: "c", Auth: tokens.AuthTLSClient,
		ClientCertPEM: "cert", ClientKeyPEM: "key", CABundlePEM: "ca"}
	command, err := Command(p.Name, oauth.Shape(p, p.TokenURL))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`--cert "$CLIENT_CERT_FILE"`, `--key "$CLIENT_KEY_FILE"`, `--cacert "$CA_FILE"`, "--data-urlencode 'client_id=c'"} {
		if !strings.Contains(command, want) {
			t.Errorf("mTLS command lacks %q:\n%s", want, command)
		}
	}
	p.Auth, p.PrivateKeyPEM, p.Alg, p.KeyID = tokens.AuthPrivateKeyJWT, "k", tokens.AlgRS256, "key-1"
	command, _ = Command(p.Name, oauth.Shape(p, p.TokenURL))
	for _, want := range []string{"made fresh", "$CLIENT_ASSERTION", `printf %s "$CLIENT_ASSERTION" |`, "--data-urlencode 'client_assertion@-'", oauth.ClientAssertionType} {
		if !strings.Contains(command, want) {
			t.Errorf("private_key_jwt command lacks %q:\n%s", want, command)
		}
	}
}

func testKeyPEM(t *testing.T) string {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}
