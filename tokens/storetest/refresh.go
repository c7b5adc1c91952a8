package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// RefreshFor is a refresh token stored for p's sign-in.
func RefreshFor(p tokens.Profile, value string) *tokens.RefreshToken {
	issued := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	return &tokens.RefreshToken{Value: value, SessionFingerprint: p.SessionFingerprint(), IssuedAt: issued, ExpiresAt: issued.Add(8 * time.Hour),
		ID: fullIDClaims(issued)}
}

// refreshContract checks the promises of tokens.RefreshStore.
func refreshContract(t *testing.T, newStore func(t *testing.T) tokens.Store) {
	ctx := context.Background()
	s := newStore(t)
	rs, ok := s.(tokens.RefreshStore)
	if !ok {
		t.Fatalf("%T keeps no refresh tokens (tokens.RefreshStore)", s)
	}
	p := FullProfile("p")
	if err := rs.SaveRefresh(ctx, p.Name, RefreshFor(p, "rt-1")); !errors.Is(err, tokens.ErrNotFound) {
		t.Errorf("SaveRefresh for a missing profile = %v, want ErrNotFound", err)
	}
	if err := s.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.LoadRefresh(ctx, p.Name); !errors.Is(err, tokens.ErrNotFound) {
		t.Errorf("LoadRefresh before any = %v, want ErrNotFound", err)
	}
	unbound := RefreshFor(p, "rt-1")
	unbound.SessionFingerprint = ""
	if err := rs.SaveRefresh(ctx, p.Name, unbound); !errors.Is(err, tokens.ErrUnboundToken) {
		t.Errorf("SaveRefresh without a session = %v, want ErrUnboundToken", err)
	}
	want := RefreshFor(p, "rt-1")
	if err := rs.SaveRefresh(ctx, p.Name, want); err != nil {
		t.Fatal(err)
	}
	mustRefresh(t, rs, p.Name, want)
	// Kept out of everything else the store hands out.
	if err := s.SaveToken(ctx, p.Name, TokenFor(p, "access")); err != nil {
		t.Fatal(err)
	}
	tok, err := s.LoadToken(ctx, p.Name)
	if err != nil {
		t.Fatal(err)
	}
	ps, _, _ := s.Load(ctx)
	if strings.Contains(tokenText(tok), "rt-1") || strings.Contains(tokenText(ps), "rt-1") {
		t.Error("the refresh token comes back with the access token or the profile")
	}
	// A rotated client secret keeps the sign-in.
	rotated := p
	rotated.ClientSecret += "-rotated"
	if err := s.Save(ctx, rotated); err != nil {
		t.Fatal(err)
	}
	mustRefresh(t, rs, p.Name, want)
	// Another client or other scopes do not.
	other := rotated
	other.Scopes = []string{"admin"}
	if err := s.Save(ctx, other); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.LoadRefresh(ctx, p.Name); !errors.Is(err, tokens.ErrNotFound) {
		t.Errorf("LoadRefresh after the scopes changed = %v, want ErrNotFound", err)
	}
	if err := s.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	for range 2 { // deleting a missing one is no error
		if err := rs.DeleteRefresh(ctx, p.Name); err != nil {
			t.Fatalf("DeleteRefresh: %v", err)
		}
	}
	if _, err := rs.LoadRefresh(ctx, p.Name); !errors.Is(err, tokens.ErrNotFound) {
		t.Errorf("LoadRefresh after DeleteRefresh = %v, want ErrNotFound", err)
	}
	MustToken(t, s, p.Name, TokenFor(p, "access"))
	// Gone with the profile: a new profile of the same name is not signed in.
	if err := rs.SaveRefresh(ctx, p.Name, want); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, p.Name); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.LoadRefresh(ctx, p.Name); !errors.Is(err, tokens.ErrNotFound) {
		t.Errorf("LoadRefresh after the profile was deleted and made again = %v, want ErrNotFound", err)
	}
}

func mustRefresh(t *testing.T, rs tokens.RefreshStore, name string, want *tokens.RefreshToken) {
	t.Helper()
	got, err := rs.LoadRefresh(context.Background(), name)
	if err != nil {
		t.Fatalf("LoadRefresh(%q): %v", name, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("LoadRefresh(%q) = %+v, want %+v", name, got, want)
	}
}

func tokenText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
