package tokens

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/tokentray/tokentray/tokens/testenv"
)

// testNow is the simulated time of the JWT tests.

// testNow is the simulated time of the JWT tests.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// rawJWT assembles a JWT from literal JSON segments (unsigned).
func rawJWT(header, claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(header)) + "." + enc([]byte(claims)) + "." + enc([]byte("sig"))
}

func TestDecodeJWT(t *testing.T) {
	exp := testNow.Add(time.Hour)
	tok := testenv.SignedJWT(t, jwt.MapClaims{"iss": "https://issuer", "sub": "svc", "exp": exp.Unix(), "iat": testNow.Unix(),
		"nbf": 1772366400.25, "big": json.Number("12345678901234567890"), "aud": []string{"a", "b"}})
	info, err := DecodeJWT(tok)
	if err != nil {
		t.Fatalf("DecodeJWT: %v", err)
	}
	if info.Header["alg"] != "HS256" || info.Header["typ"] != "JWT" {
		t.Errorf("header = %v", info.Header)
	}
	if info.Claims["iss"] != "https://issuer" || info.Claims["big"] != json.Number("12345678901234567890") {
		t.Errorf("claims = %v", info.Claims)
	}
	if got, ok := info.ExpiresAt(); !ok || !got.Equal(exp) {
		t.Errorf("ExpiresAt = %v, %v", got, ok)
	}
	if got, ok := info.IssuedAt(); !ok || !got.Equal(testNow) {
		t.Errorf("IssuedAt = %v, %v", got, ok)
	}
	if got, ok := info.NotBefore(); !ok || !got.Equal(time.Unix(1772366400, 250e6)) {
		t.Errorf("NotBefore = %v, %v", got, ok)
	}
	if _, ok := info.NumericDate("iss"); ok {
		t.Error("a string claim read as a date")
	}
}

func TestDecodeJWTUnknownAlgorithmStillDisplays(t *testing.T) {
	info, err := DecodeJWT(rawJWT(`{"alg":"ES256K","kid":"k1"}`, `{"exp":100}`))
	if err != nil {
		t.Fatalf("DecodeJWT: %v", err)
	}
	if info.Header["kid"] != "k1" {
		t.Errorf("header = %v", info.Header)
	}
	if got, ok := info.ExpiresAt(); !ok || got.Unix() != 100 {
		t.Errorf("exp = %v, %v", got, ok)
	}
}

func TestDecodeJWTRefusesNonJWT(t *testing.T) {
	cases := map[string]struct{ token, reason string }{
		"opaque":          {"2YotnFZFEjr1zCsicMWpAA", "opaque token"},
		"empty":           {"", "opaque token"},
		"jwe":             {"eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGeipsEdY3mx_etLbbWSrFr05kLzcSr4qKAq7YN7e9jwQRb23nfa6c9d-StnImGyFDbSv04uVuxIp5Zms1gNxKKK2Da14B8S4rzVRltdYwam_lDp5XnZAYpQdb76FdIKLaVmqgfwX7XWRxv2322i-vDxRfqNzo_tETKzpVLzfiwQyeyPGLBIO56YJ7eObdv0je81860ppamavo35UgoRdbYaBcoh9QcfylQr66oc6vFWXRcZ_ZT2LawVCWTIy3brGPi6UklfCpIMfIjf7iGdXKHzg.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaBtQD_A.XFBoMYUZodetZdvTiFvSkQ", "encrypted (JWE) tokens cannot be read by the client"},
		"bad base64":      {"###.###.###", "could not base64 decode header"},
		"header not json": {base64.RawURLEncoding.EncodeToString([]byte("nope")) + ".e30.c2ln", "could not JSON decode header"},
		"header trailing": {base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256"}x`)) + ".e30.c2ln", "could not JSON decode header"},
		"claims base64":   {base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256"}`)) + ".#.c2ln", "could not base64 decode claim"},
		"claims array":    {rawJWT(`{"alg":"HS256"}`, `[1,2]`), "could not JSON decode claim"},
		"claims trailing": {rawJWT(`{"alg":"HS256"}`, `{} {}`), "could not JSON decode claim"},
		"signature":       {rawJWT(`{"alg":"HS256"}`, `{}`) + "#", "could not base64 decode signature"},
		"header null":     {rawJWT(`null`, `{}`), "header is not a JSON object"},
		"no alg":          {rawJWT(`{"typ":"JWT"}`, `{}`), "header has no alg"},
		"alg not text":    {rawJWT(`{"alg":5}`, `{}`), "header has no alg"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			info, err := DecodeJWT(c.token)
			if !errors.Is(err, ErrNotJWT) || info != nil {
				t.Fatalf("DecodeJWT = %v, %v; want ErrNotJWT", info, err)
			}
			if got := strings.TrimPrefix(err.Error(), ErrNotJWT.Error()+": "); got != c.reason {
				t.Errorf("reason %q, want %q", got, c.reason)
			}
		})
	}
}

// notJWTReasons are every text DecodeJWT puts after ErrNotJWT.
var notJWTReasons = []string{"opaque token", "encrypted (JWE) tokens cannot be read by the client",
	"header is not a JSON object", "header has no alg", "could not base64 decode header", "could not JSON decode header",
	"could not base64 decode claim", "could not JSON decode claim", "could not base64 decode signature"}

// FuzzDecodeJWT checks that DecodeJWT never panics, that its two outcomes
// are coherent, and that errors never quote the token.
func FuzzDecodeJWT(f *testing.F) {
	f.Add(rawJWT(`{"alg":"RS256","kid":"x"}`, `{"exp":1772370000,"iat":1772366400}`))
	f.Add("opaque-token")
	f.Add("a.b.c.d.e")
	f.Add(rawJWT(`{"alg":"none"}`, `{"exp":"tomorrow"}`))
	f.Fuzz(func(t *testing.T, token string) {
		info, err := DecodeJWT(token)
		if err != nil {
			if info != nil {
				t.Fatal("both info and error")
			}
			if !errors.Is(err, ErrNotJWT) {
				t.Fatalf("error %v does not wrap ErrNotJWT", err)
			}
			// Every message is a fixed text, so none can quote the token.
			if reason, _ := strings.CutPrefix(err.Error(), ErrNotJWT.Error()+": "); !slices.Contains(notJWTReasons, reason) {
				t.Fatalf("unexpected error text %q", err)
			}
			return
		}
		if strings.Count(token, ".") != 2 {
			t.Fatalf("decoded a token with %d dots", strings.Count(token, "."))
		}
		if info.Header == nil || info.Claims == nil {
			t.Fatal("nil header or claims")
		}
		for _, name := range []string{"exp", "iat", "nbf"} {
			if ts, ok := info.NumericDate(name); ok && (ts.Before(time.Unix(0, 0)) || ts.After(time.Unix(maxNumericDate, 0))) {
				t.Fatalf("%s = %v out of range", name, ts)
			}
		}
		if _, ok := jwtExpiry(token, testNow); ok {
			if exp, _ := jwtExpiry(token, testNow); !exp.After(testNow) {
				t.Fatalf("jwtExpiry %v not after now", exp)
			}
		}
	})
}
