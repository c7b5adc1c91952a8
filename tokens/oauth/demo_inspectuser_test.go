package oauth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/demo"
)

// A user's token (the demo's device sign-in, and its refresh) verifies,
// introspects and revokes as a client credentials token does, with the
// same profile: issue #26, "every surface". Signing out revokes the
// refresh token, which then refreshes no more.
func TestAUserTokenVerifiesIntrospectsAndRevokes(t *testing.T) {
	ctx := context.Background()
	_, byName := startDemo(t)
	c := NewClient(ClientOptions{})
	dev := byName[demo.ProfileDevice]
	signedIn, err := c.DeviceSignIn(ctx, dev, DeviceOptions{Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatalf("device sign-in: %v", err)
	}
	refreshed, err := c.Grant(ctx, tokens.TokenRequest{Profile: dev, RefreshToken: signedIn.RefreshToken})
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	for what, tok := range map[string]*tokens.Token{"signed in": signedIn.Token, "refreshed": refreshed.Token} {
		if v := c.Verify(ctx, dev, tok); v.Verdict() != tokens.VerdictValid {
			t.Errorf("%s: verdict %s: %+v", what, v.Verdict(), v.Checks)
		}
		in, err := c.Introspect(ctx, dev, tok)
		if err != nil || !in.Active || in.ClientID != dev.ClientID {
			t.Fatalf("%s: Introspect = %+v, %v", what, in, err)
		}
		if err := c.Revoke(ctx, dev, tok); err != nil {
			t.Fatalf("%s: Revoke: %v", what, err)
		}
		if in, err := c.Introspect(ctx, dev, tok); err != nil || in.Active {
			t.Errorf("%s: after revoking, Introspect = %+v, %v", what, in, err)
		}
	}
	// Signing out: the demo's refresh tokens are opaque, so a profile with
	// a token URL only finds the revocation endpoint from the issuer its
	// sign-in named, the access token's iss (as Revoke found it): nothing
	// without it, revoked with it (a logout told no server before; this
	// failed first).
	if err := c.RevokeRefresh(ctx, dev, refreshed.RefreshToken); !errors.Is(err, tokens.ErrNoEndpoint) {
		t.Fatalf("RevokeRefresh without an issuer: %v, want ErrNoEndpoint", err)
	}
	st := tokens.NewMemoryStore()
	if err := st.Save(ctx, dev); err != nil {
		t.Fatal(err)
	}
	if _, err := tokens.KeepSignIn(ctx, st, dev, refreshed); err != nil {
		t.Fatal(err)
	}
	if revoked, err := tokens.SignOut(ctx, st, dev, c.RevokeRefresh); err != nil || !revoked {
		t.Fatalf("SignOut of a profile with a token URL only: revoked %v, %v", revoked, err)
	}
	_, err = c.Grant(ctx, tokens.TokenRequest{Profile: dev, RefreshToken: refreshed.RefreshToken})
	var se *tokens.ServerError
	if !errors.As(err, &se) || se.Code != "invalid_grant" {
		t.Fatalf("a refresh with the revoked refresh token: %v, want invalid_grant", err)
	}
	// With the issuer named, the endpoint is in its metadata.
	again, err := c.DeviceSignIn(ctx, dev, DeviceOptions{Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatalf("device sign-in: %v", err)
	}
	named := dev
	named.IssuerURL, named.TokenURL, named.DeviceAuthorizationURL = jwtIssuer(refreshed.Token), "", ""
	if err := c.RevokeRefresh(ctx, named, again.RefreshToken); err != nil {
		t.Fatalf("RevokeRefresh with the issuer named: %v", err)
	}
	if _, err = c.Grant(ctx, tokens.TokenRequest{Profile: dev, RefreshToken: again.RefreshToken}); !errors.As(err, &se) || se.Code != "invalid_grant" {
		t.Fatalf("a refresh with the refresh token revoked through the issuer: %v, want invalid_grant", err)
	}
}
