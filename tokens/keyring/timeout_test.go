package keyring

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/storetest"
)

// hangBound is far above the short timeouts used here: an operation that
// takes longer is stuck rather than bounded.
const hangBound = 10 * time.Second

func TestKeyringStoreTimeoutAtEveryCall(t *testing.T) {
	ctx := context.Background()
	other, v1, v2 := storetest.FullProfile("other"), storetest.FullProfile("p"), storetest.FullProfile("p")
	v2.ClientID, v2.PrivateKeyPEM = "v2", strings.Repeat("k", 2*maxChunk)
	states := map[string]bool{}
	for n := 1; ; n++ {
		f := newFakeKeyring()
		// Long enough for an answering call on a loaded machine (make test
		// runs many processes at once); the hang is simulated.
		opts := Options{Service: "svc", Timeout: 250 * time.Millisecond}
		s := newKeyringStore(f, opts)
		for _, p := range []tokens.Profile{other, v1} {
			if err := s.Save(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		started, release := f.armHang(n, nil)
		begin := time.Now()
		err := s.Save(ctx, v2)
		select {
		case <-started:
		default: // the save made fewer than n calls
			release()
			if err != nil {
				t.Fatalf("Save without a hang: %v", err)
			}
			if len(states) != 2 {
				t.Fatalf("outcomes after timeouts: %v, want both old and new", states)
			}
			return
		}
		// Only removing the old generation after the switch may time out
		// without failing the save.
		cleanupOnly := err == nil
		if !cleanupOnly && !errors.Is(err, tokens.ErrKeyringTimeout) {
			t.Fatalf("call %d hangs: Save = %v, want ErrKeyringTimeout", n, err)
		}
		if d := time.Since(begin); d > hangBound {
			t.Fatalf("call %d hangs: Save took %v with a %v timeout", n, d, opts.Timeout)
		}
		if err != nil && !strings.Contains(err.Error(), "250ms") {
			t.Errorf("timeout error %q does not say how long it waited", err)
		}
		// While the abandoned call still runs, nothing else reaches the keyring.
		calls := f.callCount()
		if _, _, err := s.Load(ctx); !errors.Is(err, tokens.ErrKeyringTimeout) {
			t.Fatalf("Load during a hung call = %v, want ErrKeyringTimeout", err)
		}
		if f.callCount() != calls {
			t.Fatal("a call reached the keyring while an abandoned one was still running")
		}
		release()
		// Once the keyring answers again, the data is consistent.
		s2 := newKeyringStore(f, Options{Service: "svc", Timeout: hangBound})
		ps, broken, err := s2.Load(ctx)
		if err != nil || len(broken) != 0 {
			t.Fatalf("call %d hung: Load afterwards = %v, broken %v", n, err, broken)
		}
		switch {
		case len(ps) == 2 && equalProfiles(ps[1], v1) && !cleanupOnly:
			states["old"] = true
		case len(ps) == 2 && equalProfiles(ps[1], v2):
			states["new"] = true
		default:
			t.Fatalf("call %d hung: Load afterwards = %+v", n, ps)
		}
		if err := deleteAll("p", "other")(s2); err != nil {
			t.Fatal(err)
		}
		wantUsers(t, f)
	}
}

func equalProfiles(a, b tokens.Profile) bool {
	x, _ := tokens.EncodeProfile(a)
	y, _ := tokens.EncodeProfile(b)
	return x == y
}

func TestKeyringStoreLoadTimesOut(t *testing.T) {
	f := newFakeKeyring()
	s := newKeyringStore(f, Options{Service: "svc", Timeout: 10 * time.Millisecond})
	_, release := f.armHang(1, nil)
	defer release()
	ps, broken, err := s.Load(context.Background())
	if !errors.Is(err, tokens.ErrKeyringTimeout) || ps != nil || broken != nil {
		t.Fatalf("Load = %v, %v, %v; want ErrKeyringTimeout only", ps, broken, err)
	}
}

// A write abandoned after a timeout still lands when the keyring wakes up.
// It must land before any later call, or it would overwrite a newer chunk of
// the same generation and corrupt the profile.
func TestKeyringStoreAbandonedWriteCannotOvertake(t *testing.T) {
	ctx := context.Background()
	f := newFakeKeyring()
	short := newKeyringStore(f, Options{Service: "svc", Timeout: 20 * time.Millisecond})
	long := newKeyringStore(f, Options{Service: "svc", Timeout: hangBound})
	v1, v2, v3 := storetest.FullProfile("p"), storetest.FullProfile("p"), storetest.FullProfile("p")
	v2.ClientID, v3.ClientID = "v2", "v3"
	if err := long.Save(ctx, v1); err != nil {
		t.Fatal(err)
	}
	started, release := f.armHang(1, func(op, user string) bool { return op == "set" && user == "profile/p/2/0" })
	if err := short.Save(ctx, v2); !errors.Is(err, tokens.ErrKeyringTimeout) {
		t.Fatalf("Save(v2) = %v, want ErrKeyringTimeout", err)
	}
	<-started
	done := make(chan error, 1)
	calls := f.callCount()
	go func() { done <- long.Save(ctx, v3) }()
	// Give the second save every chance to run ahead; it must wait.
	select {
	case err := <-done:
		t.Fatalf("Save(v3) finished (%v) while the abandoned write was pending", err)
	case <-time.After(100 * time.Millisecond):
	}
	if f.callCount() != calls {
		t.Fatal("Save(v3) reached the keyring while the abandoned write was pending")
	}
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	storetest.MustLoad(t, long, v3)
}

func TestKeyringStoreContextCancelsWait(t *testing.T) {
	f := newFakeKeyring()
	s := newKeyringStore(f, Options{Service: "svc", Timeout: hangBound})
	_, release := f.armHang(1, nil)
	defer release()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, _, err := s.Load(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Load = %v, want context.DeadlineExceeded", err)
	}
}

type panickyKeyring struct{ *fakeKeyring }

func (panickyKeyring) Get(service, user string) (string, error) { panic("interface conversion") }

func TestKeyringStoreSurvivesALibraryPanic(t *testing.T) {
	s := newKeyringStore(panickyKeyring{newFakeKeyring()}, Options{Service: "svc", Timeout: hangBound})
	if _, _, err := s.Load(context.Background()); err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("Load = %v, want the panic as an error", err)
	}
	// The lane was released: the next call runs.
	if _, _, err := s.Load(context.Background()); err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("second Load = %v", err)
	}
}
