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
// Both ask for openid, and each sign-in's ID token passes this client's
// checks (signature by the demo's JWKS, iss whose metadata names the
// token URL, aud, nonce, exp), so the token says who signed in.
func TestDemoSignInProfiles(t *testing.T) {
	ctx := context.Background()
	s, byName := startDemo(t)
	c := NewClient(ClientOptions{})
	signedIn := func(grant string, id *tokens.IDClaims, profile string, wantNonce bool) {
		t.Helper()
		if id == nil {
			t.Fatalf("%s sign-in kept no ID claims", grant)
		}
		if id.Issuer != s.URL()+"/clients/"+profile || id.Subject != demo.DemoUser || id.Name != "Demo User" ||
			id.PreferredUsername != "demo" || id.Email != "demo@example.com" || id.AuthTime.IsZero() || (id.Nonce != "") != wantNonce {
			t.Errorf("%s sign-in ID = %+v, want the demo user from the profile's issuer (nonce %t)", grant, id, wantNonce)
		}
	}

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
	signedIn("device", res.Token.ID, demo.ProfileDevice, false)
	again, err := c.Grant(ctx, tokens.TokenRequest{Profile: dev, RefreshToken: res.RefreshToken, ID: res.Token.ID})
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
	signedIn("browser", res.Token.ID, demo.ProfileSignIn, true)
}
