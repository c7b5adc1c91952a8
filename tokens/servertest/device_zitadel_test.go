package servertest

// The device authorization grant (RFC 8628) against zitadel/oidc v3's
// example OpenID Provider: a real implementation with its own device
// login and consent pages, which a person on "another device" (an HTTP
// client with a cookie jar) goes through while Tokentray polls.
//
// Why zitadel/oidc: Fosite v0.49 (already a test dependency) has no
// RFC 8628 handler; zitadel/oidc's OP serves the device authorization
// endpoint, user codes and the polling answers (authorization_pending,
// slow_down, access_denied, expired_token) with a ready example storage
// and device client, in process.

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
)

const (
	deviceClientID     = "tokentray-device"
	deviceClientSecret = "device-client-secret-0123456789"
)

// newZitadelOP starts the example OP with one device client.
func newZitadelOP(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	srv.Start()
	t.Cleanup(srv.Close)
	issuer := srv.URL
	st := storage.NewStorageWithClients(storage.NewUserStore(issuer),
		map[string]*storage.Client{deviceClientID: storage.DeviceClient(deviceClientID, deviceClientSecret)})
	srv.Config.Handler = exampleop.SetupServer(issuer, st, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	return srv
}

// otherDevice signs in at the verification address as a person would on
// a phone: opens it, logs in as the example user, and allows or denies.
func otherDevice(t *testing.T, issuer string, d oauth.DeviceCode, action string) error {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 20 * time.Second}
	u := d.VerificationURIComplete
	if u == "" {
		u = d.VerificationURI + "?user_code=" + url.QueryEscape(d.UserCode)
	}
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "user_code") {
		return errors.New("no login form on the device page: " + string(page))
	}
	host := strings.Split(strings.TrimPrefix(issuer, "http://"), ":")[0]
	resp, err = c.PostForm(issuer+"/device/login", url.Values{"user_code": {d.UserCode},
		"username": {"test-user@" + host}, "password": {"verysecure"}})
	if err != nil {
		return err
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "confirm?action=allowed") {
		return errors.New("no consent page after the login: " + string(page))
	}
	resp, err = c.Get(issuer + "/device/confirm?action=" + action)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

func deviceSignIn(t *testing.T, action string) (*tokens.TokenResult, []time.Duration, error) {
	srv := newZitadelOP(t)
	// No openid scope: the example storage records the confirming user's
	// name as the subject and then finds no user by it for an ID token.
	p := tokens.Profile{Name: "tv", IssuerURL: srv.URL, ClientID: deviceClientID, ClientSecret: deviceClientSecret,
		Grant: tokens.GrantDeviceCode, Scopes: []string{"offline_access"}}
	var mu sync.Mutex
	var waits []time.Duration
	person := make(chan error, 1)
	res, err := oauth.NewClient(oauth.ClientOptions{}).DeviceSignIn(context.Background(), p, oauth.DeviceOptions{
		Show: func(d oauth.DeviceCode) {
			if d.UserCode == "" || !strings.HasPrefix(d.VerificationURI, srv.URL) {
				t.Errorf("shown %+v", d)
			}
			go func() { person <- otherDevice(t, srv.URL, d, action) }()
		},
		// The server's interval is kept as asked; the test waits a tenth.
		Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			waits = append(waits, d)
			mu.Unlock()
			select {
			case <-time.After(d / 10):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
	})
	if perr := <-person; perr != nil {
		t.Fatalf("the person on the other device: %v", perr)
	}
	return res, waits, err
}

func TestDeviceSignInAgainstZitadel(t *testing.T) {
	res, waits, err := deviceSignIn(t, "allowed")
	if err != nil {
		t.Fatalf("DeviceSignIn: %v (waits %v)", err, waits)
	}
	if res.Token.AccessToken == "" {
		t.Fatal("no access token")
	}
	if len(waits) == 0 || waits[0] != 5*time.Second {
		t.Errorf("waits %v: the server's 5 s interval first", waits)
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] < waits[i-1] {
			t.Errorf("the interval shrank: %v", waits)
		}
	}
}

func TestDeviceSignInDeniedAgainstZitadel(t *testing.T) {
	_, waits, err := deviceSignIn(t, "denied")
	if !errors.Is(err, oauth.ErrDeviceDenied) {
		t.Fatalf("DeviceSignIn after the person denied: %v (waits %v)", err, waits)
	}
}
