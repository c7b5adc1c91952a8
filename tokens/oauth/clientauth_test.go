package oauth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

var (
	rsaOnce sync.Once
	rsaTest *rsa.PrivateKey
)

// testRSAKey is generated once per test binary: RSA generation is slow.
func testRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	rsaOnce.Do(func() {
		var err error
		if rsaTest, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return rsaTest
}

func testECKey(t *testing.T, curve elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func pemBlock(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func pkcs8PEM(t *testing.T, k crypto.Signer) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pemBlock("PRIVATE KEY", der)
}

func sec1PEM(t *testing.T, k *ecdsa.PrivateKey) string {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pemBlock("EC PRIVATE KEY", der)
}

// testCA is a throw-away certificate authority.
type testCA struct {
	cert    *x509.Certificate
	key     *ecdsa.PrivateKey
	certPEM string
}

var serial atomic.Int64

func nextSerial() *big.Int { return big.NewInt(serial.Add(1)) }

func newTestCA(t *testing.T, cn string) (*testCA, string) {
	t.Helper()
	key := testECKey(t, elliptic.P256())
	tmpl := &x509.Certificate{SerialNumber: nextSerial(), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, certPEM: pemBlock("CERTIFICATE", der)}, sec1PEM(t, key)
}

// issueClient returns a client certificate for key, valid 2020–2040.
func (ca *testCA) issueClient(t *testing.T, cn string, key crypto.Signer) string {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: nextSerial(), Subject: pkix.Name{CommonName: cn},
		NotBefore: ca.cert.NotBefore, NotAfter: ca.cert.NotAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return pemBlock("CERTIFICATE", der)
}

// verifyAssertion checks a client assertion the way an authorization server
// does and returns its claims and header.
func verifyAssertion(t *testing.T, form url.Values, endpoint, clientID, alg string, key any) (jwt.MapClaims, map[string]any) {
	t.Helper()
	if got := form.Get("client_assertion_type"); got != ClientAssertionType {
		t.Errorf("client_assertion_type = %q", got)
	}
	if got := form.Get("client_id"); got != clientID {
		t.Errorf("client_id = %q, want %q", got, clientID)
	}
	if form.Has("client_secret") {
		t.Error("assertion request also sent client_secret")
	}
	claims := jwt.MapClaims{}
	p := jwt.NewParser(jwt.WithValidMethods([]string{alg}), jwt.WithAudience(endpoint), jwt.WithIssuer(clientID),
		jwt.WithSubject(clientID), jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithTimeFunc(fixedClock))
	tok, err := p.ParseWithClaims(form.Get("client_assertion"), claims, func(*jwt.Token) (any, error) { return key, nil })
	if err != nil {
		t.Fatalf("server rejects the assertion: %v", err)
	}
	if _, ok := claims["aud"].(string); !ok {
		t.Errorf("aud = %#v, want a single string", claims["aud"])
	}
	iat, _ := claims.GetIssuedAt()
	exp, _ := claims.GetExpirationTime()
	if !iat.Equal(testNow) {
		t.Errorf("iat = %v, want the injected now %v", iat.Time, testNow)
	}
	if life := exp.Sub(iat.Time); life <= 0 || life > 5*time.Minute {
		t.Errorf("assertion lifetime %v, want (0, 5m]", life)
	}
	if jti, _ := claims["jti"].(string); len(jti) < 16 {
		t.Errorf("jti = %q, want a random identifier", jti)
	}
	return claims, tok.Header
}

func TestFetchClientSecretJWT(t *testing.T) {
	e := newTokenEndpoint(t, okToken)
	secret := strings.Repeat("k", 40)
	p := tokens.Profile{Name: "hs", TokenURL: e.URL + "/token", ClientID: "hs-client", ClientSecret: secret, Auth: tokens.AuthClientSecretJWT}
	c := newTestClient(ClientOptions{})
	fetchOK(t, c, p)
	fetchOK(t, c, p)
	reqs := e.Received()
	if reqs[0].Header.Get("Authorization") != "" {
		t.Error("client_secret_jwt sent an Authorization header")
	}
	c1, h1 := verifyAssertion(t, reqs[0].Form, p.TokenURL, p.ClientID, "HS256", []byte(secret))
	c2, _ := verifyAssertion(t, reqs[1].Form, p.TokenURL, p.ClientID, "HS256", []byte(secret))
	if c1["jti"] == c2["jti"] {
		t.Errorf("two assertions share jti %v", c1["jti"])
	}
	if _, ok := h1["kid"]; ok {
		t.Error("HS256 assertion has a kid header")
	}
	// The wrong secret must not verify (the check above is meaningful).
	p2 := jwt.NewParser(jwt.WithTimeFunc(fixedClock))
	if _, err := p2.Parse(reqs[0].Form.Get("client_assertion"), func(*jwt.Token) (any, error) { return []byte(strings.Repeat("x", 40)), nil }); err == nil {
		t.Error("assertion verified with a wrong secret")
	}
}

func TestFetchPrivateKeyJWT(t *testing.T) {
	rsaKey := testRSAKey(t)
	ecKey := testECKey(t, elliptic.P256())
	cases := []struct {
		name, alg, keyPEM, kid string
		pub                    any
	}{
		{"RS256 PKCS#1", tokens.AlgRS256, pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey)), "rsa-1", &rsaKey.PublicKey},
		{"RS256 PKCS#8 default alg", "", pkcs8PEM(t, rsaKey), "", &rsaKey.PublicKey},
		{"PS256 PKCS#8", tokens.AlgPS256, pkcs8PEM(t, rsaKey), "ps-1", &rsaKey.PublicKey},
		{"ES256 SEC1 with EC PARAMETERS block", tokens.AlgES256,
			"-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + sec1PEM(t, ecKey), "ec-1", &ecKey.PublicKey},
		{"ES256 PKCS#8", tokens.AlgES256, pkcs8PEM(t, ecKey), "", &ecKey.PublicKey},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTokenEndpoint(t, okToken)
			p := tokens.Profile{Name: "pk", TokenURL: e.URL + "/oauth2/token", ClientID: "pk-client", Auth: tokens.AuthPrivateKeyJWT,
				PrivateKeyPEM: tc.keyPEM, KeyID: tc.kid, Alg: tc.alg}
			c := newTestClient(ClientOptions{})
			fetchOK(t, c, p)
			fetchOK(t, c, p)
			alg := tc.alg
			if alg == "" {
				alg = tokens.AlgRS256
			}
			reqs := e.Received()
			c1, h := verifyAssertion(t, reqs[0].Form, p.TokenURL, p.ClientID, alg, tc.pub)
			c2, _ := verifyAssertion(t, reqs[1].Form, p.TokenURL, p.ClientID, alg, tc.pub)
			if c1["jti"] == c2["jti"] {
				t.Error("jti repeated")
			}
			if kid, _ := h["kid"].(string); kid != tc.kid {
				t.Errorf("kid = %q, want %q", kid, tc.kid)
			}
		})
	}
}

func TestPrivateKeyJWTConfigErrors(t *testing.T) {
	rsaPEM := pkcs8PEM(t, testRSAKey(t))
	p384 := sec1PEM(t, testECKey(t, elliptic.P384()))
	ca, _ := newTestCA(t, "ca")
	cases := []struct{ name, alg, keyPEM, want string }{
		{"broken base64", tokens.AlgRS256, "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n", "no PEM private key"},
		{"broken DER", tokens.AlgRS256, pemBlock("PRIVATE KEY", []byte("not a key at all")), "cannot parse"},
		{"encrypted", tokens.AlgRS256, pemBlock("ENCRYPTED PRIVATE KEY", []byte{0x30, 0x00}), "encrypted"},
		{"certificate instead of key", tokens.AlgRS256, ca.certPEM, "no PEM private key"},
		{"RSA key for ES256", tokens.AlgES256, rsaPEM, "ES256 needs an EC P-256 key, got an RSA-2048 key"},
		{"P-384 key for ES256", tokens.AlgES256, p384, "got an EC P-384 key"},
		{"EC key for RS256", tokens.AlgRS256, p384, "RS256 needs an RSA key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTokenEndpoint(t, okToken)
			_, err := newTestClient(ClientOptions{}).Fetch(context.Background(),
				tokens.Profile{Name: "pk", TokenURL: e.URL, ClientID: "c", Auth: tokens.AuthPrivateKeyJWT, PrivateKeyPEM: tc.keyPEM, Alg: tc.alg})
			if !errors.Is(err, tokens.ErrConfig) || tokens.Classify(err) != tokens.Permanent {
				t.Fatalf("err = %v, want ErrConfig (permanent)", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) || !strings.Contains(msg, tokens.FieldPrivateKey) || strings.Contains(msg, "tokens: ") {
				t.Errorf("err = %q, want it to name %s and say %q", msg, tokens.FieldPrivateKey, tc.want)
			}
			for _, line := range strings.Split(tc.keyPEM, "\n") {
				if len(line) > 20 && !strings.HasPrefix(line, "-----") && strings.Contains(msg, line) {
					t.Error("error quotes key material")
				}
			}
			if n := len(e.Received()); n != 0 {
				t.Errorf("%d requests sent with an unusable key", n)
			}
		})
	}
}

func TestFetchTLSClientAuth(t *testing.T) {
	ca, _ := newTestCA(t, "client CA")
	ecKey := testECKey(t, elliptic.P256())
	certPEM := ca.issueClient(t, "tokentray-client", ecKey)
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)

	e := tokentest.NewUnstartedEndpoint(t, tokentest.Respond(okToken))
	e.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	quietTLS(e.Server)
	e.StartTLS()
	t.Cleanup(e.Close)
	serverCA := pemBlock("CERTIFICATE", e.Certificate().Raw)

	for name, keyPEM := range map[string]string{"SEC1 key": sec1PEM(t, ecKey), "PKCS#8 key": pkcs8PEM(t, ecKey)} {
		t.Run(name, func(t *testing.T) {
			p := tokens.Profile{Name: "mtls", TokenURL: e.URL + "/token", ClientID: "mtls-client", Auth: tokens.AuthTLSClient,
				ClientCertPEM: certPEM, ClientKeyPEM: keyPEM, CABundlePEM: serverCA}
			tok := fetchOK(t, newTestClient(ClientOptions{}), p)
			rec := e.Last(t)
			if rec.PeerCN != "tokentray-client" {
				t.Errorf("server saw client certificate %q, want tokentray-client", rec.PeerCN)
			}
			if rec.Form.Get("client_id") != "mtls-client" || rec.Form.Has("client_secret") || rec.Header.Get("Authorization") != "" {
				t.Errorf("form %v / Authorization %q: want client_id only", rec.Form, rec.Header.Get("Authorization"))
			}
			if tok.AccessToken == "" {
				t.Error("no token")
			}
		})
	}

	base := tokens.Profile{Name: "mtls", TokenURL: e.URL, ClientID: "c", Auth: tokens.AuthTLSClient, ClientCertPEM: certPEM,
		ClientKeyPEM: sec1PEM(t, ecKey), CABundlePEM: serverCA}
	t.Run("expired certificate", func(t *testing.T) {
		later := func() time.Time { return time.Date(2041, 1, 1, 0, 0, 0, 0, time.UTC) }
		_, err := newTestClient(ClientOptions{Now: later}).Fetch(context.Background(), base)
		if !errors.Is(err, tokens.ErrConfig) || !strings.Contains(err.Error(), "expired") {
			t.Errorf("err = %v, want ErrConfig about expiry", err)
		}
	})
	t.Run("key does not match certificate", func(t *testing.T) {
		p := base
		p.ClientKeyPEM = sec1PEM(t, testECKey(t, elliptic.P256()))
		_, err := newTestClient(ClientOptions{}).Fetch(context.Background(), p)
		if !errors.Is(err, tokens.ErrConfig) || !strings.Contains(err.Error(), tokens.FieldClientCert) {
			t.Errorf("err = %v, want ErrConfig naming %s", err, tokens.FieldClientCert)
		}
	})
	t.Run("bad key", func(t *testing.T) {
		p := base
		p.ClientKeyPEM = pemBlock("PRIVATE KEY", []byte("junk"))
		_, err := newTestClient(ClientOptions{}).Fetch(context.Background(), p)
		if !errors.Is(err, tokens.ErrConfig) || !strings.Contains(err.Error(), tokens.FieldClientKey) {
			t.Errorf("err = %v, want ErrConfig naming %s", err, tokens.FieldClientKey)
		}
	})
	t.Run("server requires a certificate the client lacks", func(t *testing.T) {
		p := base
		p.Auth, p.ClientSecret = tokens.AuthClientSecretBasic, "s"
		if _, err := newTestClient(ClientOptions{}).Fetch(context.Background(), p); err == nil {
			t.Error("fetch without client certificate succeeded against a server requiring one")
		}
	})
}
