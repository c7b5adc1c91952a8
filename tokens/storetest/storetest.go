// Package storetest is the contract every tokens.Store keeps, as a test
// suite: the memory store and the keyring store both run Run, so a promise
// of the Store interface is checked once for all of them. It also holds the
// fixtures those suites share (a profile and a token with every field set).
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// FullProfile sets every Profile field to a distinctive non-zero value, so a
// round trip proves that each one survives. TestFullProfileSetsEveryField
// fails when a field is added to Profile but not here.
func FullProfile(name string) tokens.Profile {
	return tokens.Profile{
		Name:             name,
		TokenURL:         "https://auth.example.com/oauth/token",
		IssuerURL:        "https://issuer.example.com",
		ClientID:         "client-1", // the same for every name: FullToken is fetched for any of them
		Auth:             tokens.AuthPrivateKeyJWT,
		ClientSecret:     "s3cr3t-ünïcødé-\"quoted\"-<html>&",
		PrivateKeyPEM:    "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
		KeyID:            "kid-1",
		Alg:              tokens.AlgPS256,
		ClientCertPEM:    "-----BEGIN CERTIFICATE-----\ncert\n-----END CERTIFICATE-----\n",
		ClientKeyPEM:     "-----BEGIN EC PRIVATE KEY-----\nkey\n-----END EC PRIVATE KEY-----\n",
		Scopes:           []string{"read", "write:all"},
		Audience:         "https://api.example.com",
		Resource:         "https://resource.example.com",
		Params:           map[string]string{"tenant": "t1", "x": "y z"},
		Headers:          map[string]string{"X-Api-Key": "k", "X-Trace": "1"},
		Body:             tokens.BodyJSON,
		CABundlePEM:      "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n",
		RefreshLead:      90 * time.Second,
		AssumedLifetime:  42 * time.Minute,
		ManualRefresh:    true,
		EndpointOrigins:  []string{"https://login.example.com"},
		GitHosts:         []string{"git.example.com", "[::1]:8080"},
		IntrospectionURL: "https://issuer.example.com/introspect",
		RevocationURL:    "https://issuer.example.com/revoke",

		Grant:                  tokens.GrantAuthorizationCode,
		AuthorizationURL:       "https://auth.example.com/authorize",
		DeviceAuthorizationURL: "https://auth.example.com/device",
		RedirectPort:           8400,
	}
}

// FullToken sets every Token field; it was fetched with FullProfile's
// request (whatever the name). Extra holds what JSON decoding yields
// (float64, string, bool, nested maps and slices), and the times are UTC
// without a monotonic reading, so a stored token compares DeepEqual.
func FullToken(access string) *tokens.Token {
	issued := time.Date(2026, 5, 1, 12, 0, 0, 123456789, time.UTC)
	return &tokens.Token{
		AccessToken:      access,
		TokenType:        "Bearer",
		TokenTypeAssumed: true,
		Scope:            "read write:all",
		IssuedAt:         issued,
		ExpiresAt:        issued.Add(time.Hour),
		ExpirySource:     tokens.ExpiryFromJWT,
		ExpiryConflict: &tokens.ExpiryConflict{
			FromExpiresIn: issued.Add(2 * time.Hour),
			FromJWT:       issued.Add(time.Hour),
		},
		Extra: map[string]any{"id_token": "x.y.z", "n": float64(3), "ok": true,
			"nested": map[string]any{"list": []any{"a", float64(1)}}},
		RequestFingerprint: FullProfile("").RequestFingerprint(),
		ID:                 fullIDClaims(issued),
	}
}

// fullIDClaims are ID token claims with every field set.
func fullIDClaims(at time.Time) *tokens.IDClaims {
	return &tokens.IDClaims{Issuer: "https://login.example.com", Subject: "user-42", Name: "Ada Lovelace",
		PreferredUsername: "ada", Email: "ada@example.com", AuthTime: at.Truncate(time.Second), Nonce: "nonce-0123456789abcdef"}
}

// TokenFor is FullToken fetched with p's request.
func TokenFor(p tokens.Profile, access string) *tokens.Token {
	t := FullToken(access)
	t.RequestFingerprint = p.RequestFingerprint()
	return t
}

// Run checks the promises of the Store interface, each as a subtest.
// newStore returns an empty store each time it is called.
func Run(t *testing.T, newStore func(t *testing.T) tokens.Store) {
	ctx := context.Background()

	t.Run("EmptyStore", func(t *testing.T) {
		s := newStore(t)
		ps, broken, err := s.Load(ctx)
		if err != nil || len(ps) != 0 || len(broken) != 0 {
			t.Fatalf("Load of an empty store = %v, %v, %v", ps, broken, err)
		}
		if err := s.Delete(ctx, "nope"); !errors.Is(err, tokens.ErrNotFound) {
			t.Fatalf("Delete(missing) = %v, want ErrNotFound", err)
		}
		if _, err := s.LoadToken(ctx, "nope"); !errors.Is(err, tokens.ErrNotFound) {
			t.Fatalf("LoadToken(missing) = %v, want ErrNotFound", err)
		}
	})

	t.Run("DeleteToken", func(t *testing.T) {
		s := newStore(t)
		d, ok := s.(tokens.TokenDropper)
		if !ok {
			t.Fatalf("%T cannot delete tokens (tokens.TokenDropper)", s)
		}
		p := FullProfile("p")
		if err := s.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveToken(ctx, p.Name, TokenFor(p, "revoked")); err != nil {
			t.Fatal(err)
		}
		for range 2 { // deleting a missing token is no error
			if err := d.DeleteToken(ctx, p.Name); err != nil {
				t.Fatalf("DeleteToken: %v", err)
			}
		}
		if _, err := s.LoadToken(ctx, p.Name); !errors.Is(err, tokens.ErrNotFound) {
			t.Errorf("LoadToken after DeleteToken = %v, want ErrNotFound", err)
		}
		MustLoad(t, s, p)
	})

	t.Run("RoundTripSortedAndReplace", func(t *testing.T) {
		s := newStore(t)
		b, a := FullProfile("beta"), FullProfile("alpha")
		a.Auth, a.Scopes, a.Params, a.Headers = tokens.AuthClientSecretBasic, nil, nil, nil
		for _, p := range []tokens.Profile{b, a} {
			if err := s.Save(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		MustLoad(t, s, a, b)
		b2 := FullProfile("beta")
		b2.ClientID, b2.Scopes = "changed", []string{"only"}
		if err := s.Save(ctx, b2); err != nil {
			t.Fatal(err)
		}
		MustLoad(t, s, a, b2)
	})

	t.Run("NamesNeedingEscapes", func(t *testing.T) {
		s := newStore(t)
		names := []string{"a/b", "a%2Fb", "a", "ä ö/ü", "x/0/1"}
		var want []tokens.Profile
		for _, n := range names {
			p := tokens.Profile{Name: n, ClientID: "id of " + n}
			if err := s.Save(ctx, p); err != nil {
				t.Fatal(err)
			}
			want = append(want, p)
		}
		sortProfiles(want)
		MustLoad(t, s, want...)
		if err := s.Delete(ctx, "a/b"); err != nil {
			t.Fatal(err)
		}
		MustLoad(t, s, want[0], want[1], want[3], want[4])
	})

	t.Run("EmptyNameRefused", func(t *testing.T) {
		s := newStore(t)
		if err := s.Save(ctx, tokens.Profile{ClientID: "x"}); err == nil {
			t.Fatal("Save of a nameless profile succeeded")
		}
		MustLoad(t, s)
	})

	t.Run("Tokens", func(t *testing.T) {
		s := newStore(t)
		p := FullProfile("p")
		if err := s.SaveToken(ctx, "p", FullToken("early")); !errors.Is(err, tokens.ErrNotFound) {
			t.Fatalf("SaveToken for a missing profile = %v, want ErrNotFound", err)
		}
		if err := s.SaveToken(ctx, "p", nil); err == nil {
			t.Fatal("SaveToken(nil) succeeded")
		}
		if err := s.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LoadToken(ctx, "p"); !errors.Is(err, tokens.ErrNotFound) {
			t.Fatalf("LoadToken before SaveToken = %v, want ErrNotFound", err)
		}
		for _, access := range []string{"first", "second"} {
			if err := s.SaveToken(ctx, "p", FullToken(access)); err != nil {
				t.Fatal(err)
			}
			MustToken(t, s, "p", FullToken(access))
		}
		// Saving the same profile again keeps the token; changing it does not.
		if err := s.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
		MustToken(t, s, "p", FullToken("second"))
		p.Scopes = []string{"other"}
		if err := s.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
		if tok, err := s.LoadToken(ctx, "p"); !errors.Is(err, tokens.ErrNotFound) {
			t.Fatalf("LoadToken after the profile changed = %v, %v; want ErrNotFound", tok, err)
		}
		if err := s.SaveToken(ctx, "p", TokenFor(p, "third")); err != nil {
			t.Fatal(err)
		}
		MustToken(t, s, "p", TokenFor(p, "third"))
		if err := s.Delete(ctx, "p"); err != nil {
			t.Fatal(err)
		}
		// A profile of the same name later must not inherit the token.
		if err := s.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LoadToken(ctx, "p"); !errors.Is(err, tokens.ErrNotFound) {
			t.Fatalf("LoadToken after Delete and re-create = %v, want ErrNotFound", err)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		s := newStore(t)
		a, b := FullProfile("a"), FullProfile("b")
		for _, p := range []tokens.Profile{a, b} {
			if err := s.Save(ctx, p); err != nil {
				t.Fatal(err)
			}
			if err := s.SaveToken(ctx, p.Name, FullToken("tok-"+p.Name)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Delete(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		MustLoad(t, s, b)
		MustToken(t, s, "b", FullToken("tok-b"))
		if err := s.Delete(ctx, "a"); !errors.Is(err, tokens.ErrNotFound) {
			t.Fatalf("second Delete = %v, want ErrNotFound", err)
		}
		if err := s.Delete(ctx, "b"); err != nil {
			t.Fatal(err)
		}
		MustLoad(t, s)
	})

	t.Run("CallersCannotMutateStoredState", func(t *testing.T) {
		s := newStore(t)
		p := FullProfile("p")
		tok := FullToken("t")
		if err := s.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveToken(ctx, "p", tok); err != nil {
			t.Fatal(err)
		}
		// Mutate what was saved...
		p.Scopes[0], p.Params["tenant"], p.Headers["X-Trace"] = "evil", "evil", "evil"
		tok.Extra["n"] = "evil"
		tok.Extra["nested"].(map[string]any)["list"].([]any)[0] = "evil"
		tok.ExpiryConflict.FromJWT = time.Time{}
		// ...and what was loaded.
		ps, _, err := s.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ps[0].Scopes[1], ps[0].Params["x"] = "evil", "evil"
		got, err := s.LoadToken(ctx, "p")
		if err != nil {
			t.Fatal(err)
		}
		got.Extra["ok"] = false
		got.ExpiryConflict.FromExpiresIn = time.Time{}
		MustLoad(t, s, FullProfile("p"))
		MustToken(t, s, "p", FullToken("t"))
	})

	t.Run("RefreshTokens", func(t *testing.T) { refreshContract(t, newStore) })

	t.Run("Concurrent", func(t *testing.T) {
		s := newStore(t)
		const workers, rounds = 4, 3
		var wg sync.WaitGroup
		errs := make(chan error, workers*rounds*8)
		for w := range workers {
			wg.Go(func() {
				for r := range rounds {
					own := fmt.Sprintf("w%d", w)
					p := FullProfile(own)
					p.ClientID = fmt.Sprintf("round-%d", r)
					shared := tokens.Profile{Name: "shared", ClientID: own}
					for _, err := range []error{
						s.Save(ctx, p),
						s.Save(ctx, shared),
						s.SaveToken(ctx, own, TokenFor(p, fmt.Sprintf("%s-%d", own, r))),
					} {
						if err != nil {
							errs <- err
						}
					}
					ps, broken, err := s.Load(ctx)
					if err != nil || len(broken) != 0 {
						errs <- fmt.Errorf("Load during writes: %v, broken %v", err, broken)
					}
					for _, q := range ps {
						if q.Name == "shared" && !strings.HasPrefix(q.ClientID, "w") {
							errs <- fmt.Errorf("mixed profile %+v", q)
						}
					}
					if _, err := s.LoadToken(ctx, own); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		ps, _, err := s.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != workers+1 {
			t.Fatalf("after concurrent saves: %d profiles, want %d", len(ps), workers+1)
		}
		// Sorted: "shared" comes first, then w0, w1, ...
		for w := range workers {
			own := fmt.Sprintf("w%d", w)
			want := FullProfile(own)
			want.ClientID = fmt.Sprintf("round-%d", rounds-1)
			if !reflect.DeepEqual(ps[w+1], want) {
				t.Errorf("profile %s = %+v, want %+v", own, ps[w+1], want)
			}
			MustToken(t, s, own, TokenFor(want, fmt.Sprintf("%s-%d", own, rounds-1)))
		}
	})
}

func sortProfiles(ps []tokens.Profile) {
	slices.SortFunc(ps, func(a, b tokens.Profile) int { return strings.Compare(a.Name, b.Name) })
}

// MustLoad checks that Load returns exactly want (sorted), nothing broken.
func MustLoad(t *testing.T, s tokens.Store, want ...tokens.Profile) {
	t.Helper()
	ps, broken, err := s.Load(context.Background())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(broken) != 0 {
		t.Fatalf("Load reported broken profiles: %v", broken)
	}
	if len(ps) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(ps, want) {
		t.Fatalf("Load =\n%+v\nwant\n%+v", ps, want)
	}
}

// MustToken checks that LoadToken returns exactly want.
func MustToken(t *testing.T, s tokens.Store, name string, want *tokens.Token) {
	t.Helper()
	got, err := s.LoadToken(context.Background(), name)
	if err != nil {
		t.Fatalf("LoadToken(%q): %v", name, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("LoadToken(%q) =\n%+v\nwant\n%+v", name, got, want)
	}
}

// MustLoadNames checks that Load returns exactly the named profiles.
func MustLoadNames(t *testing.T, s tokens.Store, want ...string) {
	t.Helper()
	ps, _, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Name)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("loaded %q, want %q", got, want)
	}
}
