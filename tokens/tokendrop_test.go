package tokens

import (
	"context"
	"testing"
)

// A dropped (revoked) token leaves memory and the cache together; the
// next Token fetches a new one; a token that is no longer current is not
// dropped in its place.
func TestDropTokenForgetsItEverywhere(t *testing.T) {
	e, st := writeEnv(t)
	ctx := context.Background()
	if err := e.m.SaveProfile(ctx, "", profile("a")); err != nil {
		t.Fatal(err)
	}
	revoked := e.token("a", 0)
	e.m.settle() // the fetch writes the cache after handing out the token
	if cached, err := st.LoadToken(ctx, "a"); err != nil || cached.AccessToken != revoked.AccessToken {
		t.Fatalf("the token was not cached: %v, %v", cached, err)
	}
	if err := e.m.DropToken(ctx, "a", revoked); err != nil {
		t.Fatal(err)
	}
	if tok := e.state("a").Token; tok != nil {
		t.Fatalf("the Manager still holds the dropped token %q", tok.AccessToken)
	}
	if cached, err := st.LoadToken(ctx, "a"); err == nil {
		t.Fatalf("the cache still holds %q", cached.AccessToken)
	}
	fresh := e.token("a", 0)
	e.m.settle()
	if fresh.AccessToken == revoked.AccessToken || e.srv.Calls() != 2 {
		t.Fatalf("after dropping: token %q after %d fetches, want a new one", fresh.AccessToken, e.srv.Calls())
	}
	// Dropping the old token again leaves the new one alone.
	if err := e.m.DropToken(ctx, "a", revoked); err != nil {
		t.Fatal(err)
	}
	if got := e.state("a").Token; got == nil || got.AccessToken != fresh.AccessToken {
		t.Fatalf("dropping a stale token removed the current one: %v", got)
	}
	if cached, err := st.LoadToken(ctx, "a"); err != nil || cached.AccessToken != fresh.AccessToken {
		t.Fatalf("cache after dropping a stale token: %v, %v", cached, err)
	}
}
