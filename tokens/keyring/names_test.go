package keyring

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// lockedKeyring is a fake keyring that says it is locked.
type lockedKeyring struct {
	*fakeKeyring
	locked bool
}

func (l lockedKeyring) Locked() (bool, error) { return l.locked, nil }

func TestProfileNamesReadsOnlyTheIndex(t *testing.T) {
	ctx := context.Background()
	f := newFakeKeyring()
	s := newKeyringStore(lockedKeyring{fakeKeyring: f}, Options{Service: "svc"})
	for _, n := range []string{"beta", "alpha"} {
		if err := s.Save(ctx, tokens.Profile{Name: n, TokenURL: "https://auth.example.com/token", ClientID: "c", ClientSecret: "a-secret-of-some-length"}); err != nil {
			t.Fatal(err)
		}
	}
	var read []string // every item ProfileNames touches
	f.hangAt, f.hangOn = 1<<30, func(op, user string) bool { read = append(read, op+" "+user); return true }
	names, err := s.ProfileNames(ctx)
	if err != nil || !slices.Equal(names, []string{"alpha", "beta"}) {
		t.Fatalf("ProfileNames = %q, %v", names, err)
	}
	for _, r := range read {
		if !strings.HasPrefix(r, "get index") {
			t.Errorf("ProfileNames touched %q; want only the index (its header and chunks)", r)
		}
	}
	if len(read) == 0 {
		t.Error("ProfileNames read nothing")
	}
}

// A locked keyring gives ErrLocked without a read: a read would make the
// Secret Service ask for the password, and completion must never do that.
func TestProfileNamesOfALockedKeyringReadsNothing(t *testing.T) {
	f := newFakeKeyring()
	s := newKeyringStore(lockedKeyring{fakeKeyring: f, locked: true}, Options{Service: "svc"})
	names, err := s.ProfileNames(context.Background())
	if !errors.Is(err, ErrLocked) || names != nil {
		t.Fatalf("ProfileNames = %q, %v; want ErrLocked", names, err)
	}
	if f.calls != 0 {
		t.Errorf("%d keyring calls on a locked keyring, want none", f.calls)
	}
}

// A keyring that does not answer is given up after the store's timeout.
func TestProfileNamesIsBounded(t *testing.T) {
	f := newFakeKeyring()
	f.hangAt, f.release, f.hanging = 1, make(chan struct{}), make(chan struct{})
	defer close(f.release)
	s := newKeyringStore(f, Options{Service: "svc", Timeout: 50 * time.Millisecond})
	if _, err := s.ProfileNames(context.Background()); !errors.Is(err, tokens.ErrKeyringTimeout) {
		t.Fatalf("ProfileNames on a hanging keyring: %v, want ErrKeyringTimeout", err)
	}
}

// On the real keyring of the test session (an unlocked Secret Service, or
// Wine's Credential Manager), the names come back; the Secret Service's
// probe answers "not locked".
func TestProfileNamesReal(t *testing.T) {
	service := realService(t)
	ctx := context.Background()
	s := newKeyringStore(osKeyring{}, Options{Service: service, Timeout: 30 * time.Second})
	if p, ok := any(osKeyring{}).(lockProber); ok { // the Secret Service
		if locked, err := p.Locked(); err != nil || locked {
			t.Fatalf("Locked() = %v, %v on the session's unlocked keyring", locked, err)
		}
	}
	if err := s.Save(ctx, tokens.Profile{Name: "dev api", TokenURL: "https://auth.example.com/token", ClientID: "c", ClientSecret: "a-secret-of-some-length"}); err != nil {
		t.Fatal(err)
	}
	names, err := s.ProfileNames(ctx)
	if err != nil || !slices.Equal(names, []string{"dev api"}) {
		t.Fatalf("ProfileNames = %q, %v", names, err)
	}
}
