package oauth

import (
	"context"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/demo"
)

// The demo server's profiles (a token URL each, no issuer) verify, introspect
// and revoke through the metadata of their tokens' iss: what demo mode shows.
func TestDemoProfilesVerifyIntrospectRevoke(t *testing.T) {
	ctx := context.Background()
	s, _ := startDemo(t)
	c := NewClient(ClientOptions{})
	for _, p := range s.Profiles()[:2] { // healthy (basic, form) and json (post, JSON, audience)
		tok, err := c.Fetch(ctx, p)
		if err != nil {
			t.Fatalf("%s: Fetch: %v", p.Name, err)
		}
		v := c.Verify(ctx, p, tok)
		if v.Verdict() != tokens.VerdictValid {
			t.Errorf("%s: verdict %s: %+v", p.Name, v.Verdict(), v.Checks)
		}
		in, err := c.Introspect(ctx, p, tok)
		if err != nil || !in.Active || in.ClientID != p.ClientID {
			t.Fatalf("%s: Introspect = %+v, %v", p.Name, in, err)
		}
		if err := c.Revoke(ctx, p, tok); err != nil {
			t.Fatalf("%s: Revoke: %v", p.Name, err)
		}
		if in, err := c.Introspect(ctx, p, tok); err != nil || in.Active {
			t.Errorf("%s: after revoking, Introspect = %+v, %v", p.Name, in, err)
		}
	}
}

// startDemo starts the demo server for the test and returns it with its
// profiles by name.
func startDemo(t *testing.T) (*demo.Server, map[string]tokens.Profile) {
	t.Helper()
	s, err := demo.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	byName := map[string]tokens.Profile{}
	for _, p := range s.Profiles() {
		byName[p.Name] = p
	}
	return s, byName
}
