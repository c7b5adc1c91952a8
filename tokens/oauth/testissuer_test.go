package oauth

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// testIssuer is a loopback authorization server for verification tests:
// metadata at /.well-known/openid-configuration, a JWKS at /jwks whose keys
// a test rotates, and a count of JWKS fetches.
type testIssuer struct {
	*httptest.Server
	mu           sync.Mutex
	keys         map[string]*rsa.PrivateKey // published, by kid
	cacheControl string
	jwksURI      string // override of the metadata's jwks_uri
	jwksStatus   int    // when set, /jwks answers this status and no keys (an outage)
	extra        map[string]any
	jwksFetches  atomic.Int32
}

var (
	issuerKeysOnce sync.Once
	issuerKeys     [3]*rsa.PrivateKey
)

// issuerKey returns one of three RSA keys made once per test binary.
func issuerKey(t *testing.T, i int) *rsa.PrivateKey {
	t.Helper()
	issuerKeysOnce.Do(func() {
		for j := range issuerKeys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			issuerKeys[j] = k
		}
	})
	return issuerKeys[i]
}

func newTestIssuer(t *testing.T) *testIssuer { return startTestIssuer(t, false) }

// newTLSTestIssuer is newTestIssuer over https with httptest's own
// certificate, which only a profile holding it as its CA bundle trusts
// (caPEM).
func newTLSTestIssuer(t *testing.T) *testIssuer { return startTestIssuer(t, true) }

// caPEM is the PEM of the TLS issuer's certificate, as a CA bundle.
func (is *testIssuer) caPEM() string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: is.Certificate().Raw}))
}

func startTestIssuer(t *testing.T, overTLS bool) *testIssuer {
	t.Helper()
	is := &testIssuer{keys: map[string]*rsa.PrivateKey{"k1": issuerKey(t, 0)}, cacheControl: "max-age=3600"}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		is.mu.Lock()
		doc := map[string]any{"issuer": is.URL, "token_endpoint": is.URL + "/token", "jwks_uri": is.URL + "/jwks"}
		if is.jwksURI != "" {
			doc["jwks_uri"] = is.jwksURI
		}
		for k, v := range is.extra {
			doc[k] = v
		}
		is.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(doc)
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		is.jwksFetches.Add(1)
		is.mu.Lock()
		if st := is.jwksStatus; st != 0 {
			is.mu.Unlock()
			w.WriteHeader(st)
			return
		}
		var keys []map[string]string
		for kid, k := range is.keys {
			keys = append(keys, map[string]string{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
				"n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())})
		}
		cc := is.cacheControl
		is.mu.Unlock()
		if cc != "" {
			w.Header().Set("Cache-Control", cc)
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": keys})
	})
	is.Server = httptest.NewUnstartedServer(mux)
	if overTLS {
		quietTLS(is.Server)
		is.StartTLS()
	} else {
		is.Start()
	}
	t.Cleanup(is.Close)
	return is
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// publish replaces the published keys.
func (is *testIssuer) publish(keys map[string]*rsa.PrivateKey) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.keys = keys
}

// claims are a valid token's claims at now for audience "api".
func (is *testIssuer) claims(now time.Time) jwt.MapClaims {
	return jwt.MapClaims{"iss": is.URL, "sub": "svc", "aud": "api", "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix()}
}

// sign makes an RS256 JWT with kid signed by key.
func sign(t *testing.T, key *rsa.PrivateKey, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
