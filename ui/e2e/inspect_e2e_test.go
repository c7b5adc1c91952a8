package e2e

// End-to-end tests of token --verify, list --verify, introspect and revoke:
// the real binary, the real keyring, loopback servers (the demo server, and
// an issuer of our own that signs with a key it does not publish).

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/tokentray/tokentray/tokens/demo"
)

// forgingIssuer publishes key k1 but signs its tokens with another key
// under k1's kid (mode "forge"), or publishes its JWKS at a closed port
// (mode "unreachable") or at one that never answers ("hang"), or signs
// tokens without "exp" ("no-exp"), or signs properly ("good").
type forgingIssuer struct {
	*httptest.Server
	mode     atomic.Pointer[string]
	requests atomic.Int32 // metadata and JWKS requests
}

func newForgingIssuer(t *testing.T) *forgingIssuer {
	t.Helper()
	published, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	forger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	is := &forgingIssuer{}
	is.setMode("good")
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		is.requests.Add(1)
		jwks := is.URL + "/jwks"
		switch *is.mode.Load() {
		case "unreachable":
			jwks = "http://127.0.0.1:1/jwks"
		case "hang":
			jwks = is.URL + "/hang"
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"issuer": is.URL, "token_endpoint": is.URL + "/token", "jwks_uri": jwks})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		is.requests.Add(1)
		b64 := base64.RawURLEncoding.EncodeToString
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{"kty": "RSA", "kid": "k1", "alg": "RS256",
			"n": b64(published.N.Bytes()), "e": b64(big.NewInt(int64(published.E)).Bytes())}}})
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		key := published
		if *is.mode.Load() == "forge" {
			key = forger
		}
		now := time.Now()
		claims := jwt.MapClaims{"iss": is.URL, "sub": "svc", "aud": "api", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
		if *is.mode.Load() == "no-exp" {
			delete(claims, "exp")
		}
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
		tok.Header["kid"] = "k1"
		s, _ := tok.SignedString(key)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600}`, s)
	})
	is.Server = httptest.NewServer(mux)
	t.Cleanup(is.Close)
	return is
}

func (is *forgingIssuer) setMode(m string) { is.mode.Store(&m) }

func TestCLIVerify(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	u := newCLIUser(t)
	is := newForgingIssuer(t)
	u.mustRun("a-secret-long-enough-for-anything", "add", "forged", "--issuer", is.URL, "--client-id", "c", "--audience", "api")

	code, out, errs := u.run("", "token", "forged", "--verify")
	if code != 0 || !strings.Contains(errs, "token valid") || !strings.HasPrefix(out, "ey") {
		t.Fatalf("a good token: exit %d\nstdout %q\nstderr %s", code, out, errs)
	}
	for _, row := range []string{"Signature", "valid", "Expiry (exp)", "Issuer (iss)", "Audience (aud)"} {
		if !strings.Contains(errs, row) {
			t.Errorf("the verdict lacks %q:\n%s", row, errs)
		}
	}

	// Without --verify, list makes no request; with it, each cached token
	// gets a verification member.
	before := is.requests.Load()
	out = u.mustRun("", "list", "--json")
	if strings.Contains(out, "verification") || is.requests.Load() != before {
		t.Errorf("list --json verified (or asked the issuer) without --verify:\n%s", out)
	}
	out = u.mustRun("", "list", "--json", "--verify")
	var entries []struct {
		Name         string `json:"name"`
		Verification *struct {
			Verdict string `json:"verdict"`
			Checks  []struct{ Check, Verdict string }
		} `json:"verification"`
	}
	if err := json.Unmarshal([]byte(out), &entries); err != nil || len(entries) != 1 || entries[0].Verification == nil || entries[0].Verification.Verdict != "valid" || len(entries[0].Verification.Checks) != 6 {
		t.Errorf("list --json --verify: %v\n%s", err, out)
	}

	// A token signed by a key the issuer does not publish: exit 6, the
	// token is still printed.
	is.setMode("forge")
	if code, _, errs := u.run("", "revoke", "forged"); code != 1 || !strings.Contains(errs, "no revocation endpoint is known") {
		t.Errorf("revoke without a revocation endpoint: exit %d: %s", code, errs)
	}
	forged := newCLIUser(t)
	forged.mustRun("a-secret-long-enough-for-anything", "add", "forged", "--issuer", is.URL, "--client-id", "c", "--audience", "api")
	code, out, errs = forged.run("", "token", "forged", "--verify")
	if code != 6 || !strings.Contains(errs, "token invalid") || !strings.Contains(errs, "altered or signed by someone else") || !strings.HasPrefix(out, "ey") {
		t.Errorf("a forged token: exit %d (want 6)\nstdout %q\nstderr %s", code, out, errs)
	}
	if code, _, _ := forged.run("", "list", "--verify"); code != 6 {
		t.Errorf("list --verify with a forged token: exit %d, want 6", code)
	}

	// Keys that cannot be had: exit 7, never valid.
	is.setMode("unreachable")
	u2 := newCLIUser(t)
	u2.mustRun("a-secret-long-enough-for-anything", "add", "forged", "--issuer", is.URL, "--client-id", "c")
	code, out, errs = u2.run("", "token", "forged", "--verify")
	if code != 7 || !strings.Contains(errs, "could not check") || strings.Contains(errs, "token valid") || !strings.HasPrefix(out, "ey") {
		t.Errorf("unreachable keys: exit %d (want 7)\nstdout %q\nstderr %s", code, out, errs)
	}
}

func TestCLIIntrospectRevoke(t *testing.T) {
	t.Parallel()
	requireSession(t, "secret-tool")
	s, err := demo.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p := s.Profiles()[0] // client_secret_basic, a token URL only
	u := newCLIUser(t)
	u.mustRun(p.ClientSecret, "add", "d", "--token-url", p.TokenURL, "--client-id", p.ClientID)

	out := u.mustRun("", "introspect", "d")
	for _, want := range []string{"Active:", "yes", "Client ID:", p.ClientID, "Scope:", "demo.read", `"active": true`} {
		if !strings.Contains(out, want) {
			t.Errorf("introspect lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, p.ClientSecret) {
		t.Error("introspect printed the client secret")
	}
	token := strings.TrimSpace(u.mustRun("", "token", "d"))

	out = u.mustRun("", "revoke", "d")
	if !strings.Contains(out, "Revoked the token of d") {
		t.Errorf("revoke: %s", out)
	}
	var entries []struct {
		Name      string  `json:"name"`
		ExpiresAt *string `json:"expires_at"`
	}
	if err := json.Unmarshal([]byte(u.mustRun("", "list", "--json")), &entries); err != nil || len(entries) != 1 || entries[0].ExpiresAt != nil {
		t.Errorf("after revoke the keyring still holds a token: %+v, %v", entries, err)
	}
	if out := u.mustRun("", "revoke", "d"); !strings.Contains(out, "no cached token") {
		t.Errorf("revoke with nothing cached: %s", out)
	}
	// A new token is fetched on demand, and it is another one.
	if again := strings.TrimSpace(u.mustRun("", "token", "d")); again == token {
		t.Error("the revoked token was served again")
	}

	// A refused revocation changes nothing locally.
	u2 := newCLIUser(t)
	u2.mustRun(p.ClientSecret, "add", "d", "--token-url", p.TokenURL, "--client-id", p.ClientID, "--revocation-url", s.URL()+"/clients/"+s.Profiles()[1].ClientID+"/revoke")
	cached := strings.TrimSpace(u2.mustRun("", "token", "d"))
	code, _, errs := u2.run("", "revoke", "d")
	if code != 1 || !strings.Contains(errs, "not revoked") || !strings.Contains(errs, "invalid_client") {
		t.Errorf("refused revocation: exit %d: %s", code, errs)
	}
	if still := strings.TrimSpace(u2.mustRun("", "token", "d")); still != cached {
		t.Error("a refused revocation dropped the cached token")
	}
}
