package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// deviceServer answers the device authorization request, then each poll
// with the next of its answers (an OAuth error code, or "" for a token).
type deviceServer struct {
	*httptest.Server
	mu       sync.Mutex
	answers  []string
	polls    int
	interval any // the interval it names; nil for none
	codes    []string
	idToken  string // the id_token of its token answer; "" for none
}

func newDeviceServer(t *testing.T, interval any, answers ...string) *deviceServer {
	s := &deviceServer{answers: answers, interval: interval}
	mux := http.NewServeMux()
	mux.HandleFunc("/device", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.Form.Get("client_id") != "cli" || r.Form.Get("scope") != "openid api" {
			tokentest.WriteJSON(w, 400, map[string]any{"error": "invalid_request"})
			return
		}
		a := map[string]any{"device_code": "device-code-secret-0123456789", "user_code": "WDJB-MJHT",
			"verification_uri": "https://example.com/device", "verification_uri_complete": "https://example.com/device?user_code=WDJB-MJHT",
			"expires_in": 1800}
		if s.interval != nil {
			a["interval"] = s.interval
		}
		tokentest.WriteJSON(w, 200, a)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		s.mu.Lock()
		defer s.mu.Unlock()
		s.codes = append(s.codes, r.Form.Get("grant_type")+" "+r.Form.Get("device_code"))
		a := "authorization_pending"
		if s.polls < len(s.answers) {
			a = s.answers[s.polls]
		}
		s.polls++
		if a != "" {
			tokentest.WriteJSON(w, 400, map[string]any{"error": a})
			return
		}
		ok := map[string]any{"access_token": "device-access", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "device-refresh-0123456789"}
		if s.idToken != "" {
			ok["id_token"] = s.idToken
		}
		tokentest.WriteJSON(w, 200, ok)
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func deviceProfile(s *deviceServer) tokens.Profile {
	return tokens.Profile{Name: "tv", TokenURL: s.URL + "/token", DeviceAuthorizationURL: s.URL + "/device", ClientID: "cli",
		Auth: tokens.AuthNone, Grant: tokens.GrantDeviceCode, Scopes: []string{"openid", "api"}}
}

// sleeps records the waits asked for and returns at once (or ctx's error).
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func TestDeviceSignInPollsAsRFC8628Says(t *testing.T) {
	srv := newDeviceServer(t, nil, "authorization_pending", "slow_down", "authorization_pending", "")
	var shown DeviceCode
	var sl sleeps
	res, err := newTestClient(ClientOptions{Now: time.Now}).DeviceSignIn(context.Background(), deviceProfile(srv),
		DeviceOptions{Show: func(d DeviceCode) { shown = d }, Sleep: sl.sleep})
	if err != nil {
		t.Fatal(err)
	}
	if res.Token.AccessToken != "device-access" || res.RefreshToken != "device-refresh-0123456789" {
		t.Fatalf("result %+v", res)
	}
	if shown.UserCode != "WDJB-MJHT" || !strings.Contains(shown.VerificationURIComplete, "user_code=WDJB-MJHT") {
		t.Errorf("shown %+v", shown)
	}
	// 5 s by default; slow_down adds 5 s for every later poll.
	if want := []time.Duration{5 * time.Second, 5 * time.Second, 10 * time.Second, 10 * time.Second}; !slices.Equal(sl.d, want) {
		t.Errorf("waits %v, want %v", sl.d, want)
	}
	for _, c := range srv.codes {
		if c != tokens.GrantTypeDeviceCode+" device-code-secret-0123456789" {
			t.Errorf("poll sent %q", c)
		}
	}
}

func TestDeviceSignInUsesTheServersInterval(t *testing.T) {
	srv := newDeviceServer(t, 2, "authorization_pending", "")
	var sl sleeps
	if _, err := newTestClient(ClientOptions{Now: time.Now}).DeviceSignIn(context.Background(), deviceProfile(srv), DeviceOptions{Sleep: sl.sleep}); err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{2 * time.Second, 2 * time.Second}; !slices.Equal(sl.d, want) {
		t.Errorf("waits %v, want %v", sl.d, want)
	}
}

func TestDeviceSignInStops(t *testing.T) {
	for _, c := range []struct {
		answer string
		want   error
	}{{"access_denied", ErrDeviceDenied}, {"expired_token", ErrDeviceExpired}, {"invalid_client", nil}} {
		srv := newDeviceServer(t, nil, "authorization_pending", c.answer)
		var sl sleeps
		_, err := newTestClient(ClientOptions{Now: time.Now}).DeviceSignIn(context.Background(), deviceProfile(srv), DeviceOptions{Sleep: sl.sleep})
		var se *tokens.ServerError
		if err == nil || (c.want != nil && !errors.Is(err, c.want)) || !errors.As(err, &se) || se.Code != c.answer {
			t.Errorf("%s: %v", c.answer, err)
		}
		if srv.polls != 2 {
			t.Errorf("%s: %d polls, want it to stop after 2", c.answer, srv.polls)
		}
	}
	// Cancel stops it.
	srv := newDeviceServer(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	var sl sleeps
	polls := 0
	_, err := newTestClient(ClientOptions{Now: time.Now}).DeviceSignIn(ctx, deviceProfile(srv), DeviceOptions{Sleep: func(ctx context.Context, d time.Duration) error {
		if polls++; polls == 3 {
			cancel()
		}
		return sl.sleep(ctx, d)
	}})
	if !errors.Is(err, context.Canceled) || srv.polls != 2 {
		t.Errorf("cancelled: %v after %d polls", err, srv.polls)
	}
	// The codes' own lifetime ends it too, by the client's clock.
	srv = newDeviceServer(t, nil)
	start := time.Now()
	now := start
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	_, err = newTestClient(ClientOptions{Now: clock}).DeviceSignIn(context.Background(), deviceProfile(srv), DeviceOptions{Sleep: func(_ context.Context, d time.Duration) error {
		mu.Lock()
		now = now.Add(10 * time.Minute)
		mu.Unlock()
		return nil
	}})
	if !errors.Is(err, ErrDeviceExpired) || srv.polls != 2 {
		t.Errorf("past expires_in: %v after %d polls", err, srv.polls)
	}
}

func TestDeviceSignInRefusesAVerificationAddressInClear(t *testing.T) {
	_, err := deviceAnswer([]byte(`{"device_code":"d","user_code":"U","verification_uri":"http://evil.example.com/device"}`), time.Now())
	if err == nil {
		t.Fatal("an http verification address was accepted")
	}
}

// TestDeviceSignInChecksTheIDToken: a device sign-in's ID token is
// checked as a browser sign-in's, without a nonce (the device grant sends
// none): a good one's claims are kept, an unsigned one fails the sign-in
// (it was returned unchecked before).
func TestDeviceSignInChecksTheIDToken(t *testing.T) {
	is := newTestIssuer(t)
	srv := newDeviceServer(t, nil, "")
	is.extra = map[string]any{"token_endpoint": srv.URL + "/token"}
	claims := jwt.MapClaims{"iss": is.URL, "sub": "tv-user", "aud": "cli", "exp": time.Now().Add(time.Hour).Unix()}
	srv.idToken = sign(t, issuerKey(t, 0), "k1", claims)
	var sl sleeps
	res, err := newTestClient(ClientOptions{Now: time.Now}).DeviceSignIn(context.Background(), deviceProfile(srv), DeviceOptions{Sleep: sl.sleep})
	if err != nil || res.Token.ID == nil || res.Token.ID.Subject != "tv-user" || res.IDToken != "" {
		t.Fatalf("DeviceSignIn = %+v, %v", res, err)
	}
	srv = newDeviceServer(t, nil, "")
	is.extra = map[string]any{"token_endpoint": srv.URL + "/token"}
	srv.idToken, err = jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	res, err = newTestClient(ClientOptions{Now: time.Now}).DeviceSignIn(context.Background(), deviceProfile(srv), DeviceOptions{Sleep: sl.sleep})
	var ie *tokens.IDTokenError
	if !errors.As(err, &ie) || ie.Check != tokens.IDTokenSignature || res != nil {
		t.Fatalf("an unsigned ID token: %+v, %v", res, err)
	}
}
