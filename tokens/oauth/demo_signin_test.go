package oauth

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/demo"
)

// The demo server's sign-in profiles work with this client as `tokentray
// --demo` uses them: the device grant (polling through
// authorization_pending), the browser sign-in (the "browser" follows the
// auto-approving /authorize to the loopback callback) and rotating refresh.
func TestDemoSignInProfiles(t *testing.T) {
	ctx := context.Background()
	_, byName := startDemo(t)
	c := NewClient(ClientOptions{})

	dev := byName[demo.ProfileDevice]
	var shown tokens.DeviceCode
	polls := 0
	res, err := c.DeviceSignIn(ctx, dev, DeviceOptions{
		Show:  func(d tokens.DeviceCode) { shown = d },
		Sleep: func(context.Context, time.Duration) error { polls++; return nil },
	})
	if err != nil {
		t.Fatalf("device sign-in: %v", err)
	}
	if shown.UserCode == "" || shown.VerificationURIComplete == "" || shown.Interval != time.Second {
		t.Errorf("shown %+v", shown)
	}
	if polls != demo.DevicePendingPolls+1 || res.RefreshToken == "" {
		t.Errorf("%d polls, refresh token %t; want %d polls and a refresh token", polls, res.RefreshToken != "", demo.DevicePendingPolls+1)
	}
	again, err := c.Grant(ctx, tokens.TokenRequest{Profile: dev, RefreshToken: res.RefreshToken})
	if err != nil || again.RefreshToken == "" || again.RefreshToken == res.RefreshToken {
		t.Fatalf("refresh = %+v, %v; want a rotated refresh token", again, err)
	}

	web := byName[demo.ProfileSignIn]
	res, err = c.SignIn(ctx, web, SignInOptions{OpenBrowser: func(ctx context.Context, u string) error {
		go func() {
			resp, err := http.Get(u) // follows the redirect to the callback
			if err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}, Timeout: 10 * time.Second})
	if err != nil || res.RefreshToken == "" {
		t.Fatalf("browser sign-in = %+v, %v", res, err)
	}
}
