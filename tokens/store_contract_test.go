package tokens

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
)

// fullProfile sets every Profile field to a distinctive non-zero value, so a
// round trip proves that each one survives. TestFullProfileSetsEveryField
// fails when a field is added to Profile but not here.
func fullProfile(name string) Profile {
	return Profile{
		Name:            name,
		TokenURL:        "https://auth.example.com/oauth/token",
		IssuerURL:       "https://issuer.example.com",
		ClientID:        "client-1", // the same for every name: fullToken is fetched for any of them
		Auth:            AuthPrivateKeyJWT,
		ClientSecret:    "s3cr3t-ünïcødé-\"quoted\"-<html>&",
		PrivateKeyPEM:   "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
		KeyID:           "kid-1",
		Alg:             AlgPS256,
		ClientCertPEM:   "-----BEGIN CERTIFICATE-----\ncert\n-----END CERTIFICATE-----\n",
		ClientKeyPEM:    "-----BEGIN EC PRIVATE KEY-----\nkey\n-----END EC PRIVATE KEY-----\n",
		Scopes:          []string{"read", "write:all"},
		Audience:        "https://api.example.com",
		Resource:        "https://resource.example.com",
		Params:          map[string]string{"tenant": "t1", "x": "y z"},
		Headers:         map[string]string{"X-Api-Key": "k", "X-Trace": "1"},
		Body:            BodyJSON,
		CABundlePEM:     "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n",
		RefreshLead:     90 * time.Second,
		AssumedLifetime: 42 * time.Minute,
		ManualRefresh:   true,
	}
}

// fullToken sets every Token field; it was fetched with fullProfile's
// request (whatever the name). Extra holds what JSON decoding yields
// (float64, string, bool, nested maps and slices), and the times are UTC
// without a monotonic reading, so a stored token compares DeepEqual.
func fullToken(access string) *Token {
	issued := time.Date(2026, 5, 1, 12, 0, 0, 123456789, time.UTC)
	return &Token{
		AccessToken:      access,
		TokenType:        "Bearer",
		TokenTypeAssumed: true,
		Scope:            "read write:all",
		IssuedAt:         issued,
		ExpiresAt:        issued.Add(time.Hour),
		ExpirySource:     ExpiryFromJWT,
		ExpiryConflict: &ExpiryConflict{
			FromExpiresIn: issued.Add(2 * time.Hour),
			FromJWT:       issued.Add(time.Hour),
		},
		Extra: map[string]any{"id_token": "x.y.z", "n": float64(3), "ok": true,
			"nested": map[string]any{"list": []any{"a", float64(1)}}},
		RequestFingerprint: fullProfile("").RequestFingerprint(),
	}
}

func TestFullProfileSetsEveryField(t *testing.T) {
	for _, v := range []reflect.Value{reflect.ValueOf(fullProfile("p")), reflect.ValueOf(*fullToken("t"))} {
		for i := range v.NumField() {
			if v.Field(i).IsZero() {
				t.Errorf("%s.%s is zero in the test fixture; give it a value", v.Type().Name(), v.Type().Field(i).Name)
			}
		}
	}
}

// tokenFor is fullToken fetched with p's request.
func tokenFor(p Profile, access string) *Token {
	t := fullToken(access)
	t.RequestFingerprint = p.RequestFingerprint()
	return t
}

// storeContract checks the promises of the Store interface. newStore returns
// an empty store each time it is called.
func storeContract(t *testing.T, newStore func(t *testing.T) Store) {
	ctx := context.Background()

	t.Run("EmptyStore", func(t *testing.T) {
		s := newStore(t)
		ps, broken, err := s.Load(ctx)
		if err != nil || len(ps) != 0 || len(broken) != 0 {
			t.Fatalf("Load of an empty store = %v, %v, %v", ps, broken, err)
		}
		if err := s.Delete(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Delete(missing) = %v, want ErrNotFound", err)
		}
		if _, err := s.LoadToken(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("LoadToken(missing) = %v, want ErrNotFound", err)
		}
	})

	t.Run("RoundTripSortedAndReplace", func(t *testing.T) {
		s := newStore(t)
		b, a := fullProfile("beta"), fullProfile("alpha")
		a.Auth, a.Scopes, a.Params, a.Headers = AuthClientSecretBasic, nil, nil, nil
		for _, p := range []Profile{b, a} {
			if err := s.Save(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		mustLoad(t, s, a, b)
		b2 := fullProfile("beta")
		b2.ClientID, b2.Scopes = "changed", []string{"only"}
		if err := s.Save(ctx, b2); err != nil {
			t.Fatal(err)
		}
		mustLoad(t, s, a, b2)
	})

	t.Run("NamesNeedingEscapes", func(t *testing.T) {
		s := newStore(t)
		names := []string{"a/b", "a%2Fb", "a", "ä ö/ü", "x/0/1"}
		var want []Profile
		for _, n := range names {
			p := Profile{Name: n, ClientID: "id of " + n}
			if err := s.Save(ctx, p); err != nil {
				t.Fatal(err)
			}
			want = append(want, p)
		}
		sortProfiles(want)
		mustLoad(t, s, want...)
		if err := s.Delete(ctx, "a/b"); err != nil {
			t.Fatal(err)
		}
		mustLoad(t, s, want[0], want[1], want[3], want[4])
	})

	t.Run("EmptyNameRefused", func(t *testing.T) {
		s := newStore(t)
		if err := s.Save(ctx, Profile{ClientID: "x"}); err == nil {
			t.Fatal("Save of a nameless profile succeeded")
		}
		mustLoad(t, s)
	})

	t.Run("Tokens", func(t *testing.T) {
		s := newStore(t)
		p := fullProfile("p")
		if err := s.SaveToken(ctx, "p", fullToken("early")); !errors.Is(err, ErrNotFound) {
			t.Fatalf("SaveToken for a missing profile = %v, want ErrNotFound", err)
		}
		if err := s.SaveToken(ctx, "p", nil); err == nil {
			t.Fatal("SaveToken(nil) succeeded")
		}
		if err := s.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LoadToken(ctx, "p"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("LoadToken before SaveToken = %v, want ErrNotFound", err)
		}
		for _, access := range []string{"first", "second"} {
			if err := s.SaveToken(ctx, "p", fullToken(access)); err != nil {
				t.Fatal(err)
			}
			mustToken(t, s, "p", fullToken(access))
		}
		// Saving the same profile again keeps the token; changing it does not.
		if err := s.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
		mustToken(t, s, "p", fullToken("second"))
		p.Scopes = []string{"other"}
		if err := s.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
		if tok, err := s.LoadToken(ctx, "p"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("LoadToken after the profile changed = %v, %v; want ErrNotFound", tok, err)
		}
		if err := s.SaveToken(ctx, "p", tokenFor(p, "third")); err != nil {
			t.Fatal(err)
		}
		mustToken(t, s, "p", tokenFor(p, "third"))
		if err := s.Delete(ctx, "p"); err != nil {
			t.Fatal(err)
		}
		// A profile of the same name later must not inherit the token.
		if err := s.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LoadToken(ctx, "p"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("LoadToken after Delete and re-create = %v, want ErrNotFound", err)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		s := newStore(t)
		a, b := fullProfile("a"), fullProfile("b")
		for _, p := range []Profile{a, b} {
			if err := s.Save(ctx, p); err != nil {
				t.Fatal(err)
			}
			if err := s.SaveToken(ctx, p.Name, fullToken("tok-"+p.Name)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Delete(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		mustLoad(t, s, b)
		mustToken(t, s, "b", fullToken("tok-b"))
		if err := s.Delete(ctx, "a"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("second Delete = %v, want ErrNotFound", err)
		}
		if err := s.Delete(ctx, "b"); err != nil {
			t.Fatal(err)
		}
		mustLoad(t, s)
	})

	t.Run("CallersCannotMutateStoredState", func(t *testing.T) {
		s := newStore(t)
		p := fullProfile("p")
		tok := fullToken("t")
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
		mustLoad(t, s, fullProfile("p"))
		mustToken(t, s, "p", fullToken("t"))
	})

	t.Run("Concurrent", func(t *testing.T) {
		s := newStore(t)
		const workers, rounds = 4, 3
		var wg sync.WaitGroup
		errs := make(chan error, workers*rounds*8)
		for w := range workers {
			wg.Go(func() {
				for r := range rounds {
					own := fmt.Sprintf("w%d", w)
					p := fullProfile(own)
					p.ClientID = fmt.Sprintf("round-%d", r)
					shared := Profile{Name: "shared", ClientID: own}
					for _, err := range []error{
						s.Save(ctx, p),
						s.Save(ctx, shared),
						s.SaveToken(ctx, own, tokenFor(p, fmt.Sprintf("%s-%d", own, r))),
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
			want := fullProfile(own)
			want.ClientID = fmt.Sprintf("round-%d", rounds-1)
			if !reflect.DeepEqual(ps[w+1], want) {
				t.Errorf("profile %s = %+v, want %+v", own, ps[w+1], want)
			}
			mustToken(t, s, own, tokenFor(want, fmt.Sprintf("%s-%d", own, rounds-1)))
		}
	})
}

func sortProfiles(ps []Profile) {
	slices.SortFunc(ps, func(a, b Profile) int { return strings.Compare(a.Name, b.Name) })
}

// mustLoad checks that Load returns exactly want (sorted), nothing broken.
func mustLoad(t *testing.T, s Store, want ...Profile) {
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

func mustToken(t *testing.T, s Store, name string, want *Token) {
	t.Helper()
	got, err := s.LoadToken(context.Background(), name)
	if err != nil {
		t.Fatalf("LoadToken(%q): %v", name, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("LoadToken(%q) =\n%+v\nwant\n%+v", name, got, want)
	}
}
