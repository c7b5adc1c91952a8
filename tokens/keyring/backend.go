package keyring

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/tokentray/tokentray/tokens"
	gokeyring "github.com/zalando/go-keyring"
)

// This file is the only one that talks to the operating system's keyring
// (through github.com/zalando/go-keyring): the Secret Service over D-Bus on
// Linux and the BSDs, the Keychain on macOS, the Credential Manager on
// Windows. The exception is listing a service's items, which go-keyring
// cannot do: listing_*.go (used only by Repair). Everything above it
// (store.go, chunk.go) works on the small keyringAPI interface, so it can
// be tested over fakes as well as for real, and reaches it only through
// keyringStore.call, which bounds every call with the timeout and keeps
// calls in order.

// errItemNotFound is returned by keyringAPI implementations for a missing item.
var errItemNotFound = errors.New("keyring item not found")

// keyringAPI is the part of an OS keyring the store needs: string values
// addressed by (service, user). Implementations return errItemNotFound for a
// missing item and errors wrapping ErrKeyringUnavailable when the keyring
// cannot be reached at all. Calls may block indefinitely (an unlock prompt);
// the store bounds them. Implementations must be safe for concurrent use.
type keyringAPI interface {
	Get(service, user string) (string, error)
	Set(service, user, value string) error
	Delete(service, user string) error
}

// osKeyring is the keyringAPI of the operating system, via go-keyring.
type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) {
	if err := preflight(); err != nil {
		return "", err
	}
	v, err := gokeyring.Get(service, user)
	return v, classifyKeyringError(err)
}

func (osKeyring) Set(service, user, value string) error {
	if err := preflight(); err != nil {
		return err
	}
	return classifyKeyringError(gokeyring.Set(service, user, value))
}

func (osKeyring) Delete(service, user string) error {
	if err := preflight(); err != nil {
		return err
	}
	return classifyKeyringError(gokeyring.Delete(service, user))
}

// usesSecretService reports whether go-keyring talks to a Secret Service
// over the D-Bus session bus on this platform.
func usesSecretService() bool {
	return runtime.GOOS != "windows" && runtime.GOOS != "darwin"
}

// preflight fails fast when there is no D-Bus session bus to talk to. Without
// it godbus would run dbus-launch, which starts a stray bus daemon (and maybe
// a keyring daemon that prompts for a password nobody sees) instead of
// reporting the missing session.
func preflight() error {
	if !usesSecretService() || sessionBusKnown() {
		return nil
	}
	return unavailable(errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"))
}

// sessionBusKnown mirrors godbus's discovery of the session bus address
// without its dbus-launch fallback.
func sessionBusKnown() bool {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return true
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = "/run/user/" + strconv.Itoa(os.Getuid())
	}
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

// unavailable wraps cause in ErrKeyringUnavailable.
func unavailable(cause error) error {
	if usesSecretService() {
		return fmt.Errorf("%w: %w, is a Secret Service running?", tokens.ErrKeyringUnavailable, cause)
	}
	return fmt.Errorf("%w: %w", tokens.ErrKeyringUnavailable, cause)
}

// D-Bus error names meaning the Secret Service is not there (or the bus went
// away), as opposed to a problem with one item.
var unavailableDBusErrors = []string{
	"org.freedesktop.DBus.Error.ServiceUnknown",
	"org.freedesktop.DBus.Error.NameHasNoOwner",
	"org.freedesktop.DBus.Error.NoServer",
	"org.freedesktop.DBus.Error.NoReply",
	"org.freedesktop.DBus.Error.Disconnected",
	"org.freedesktop.DBus.Error.Spawn.", // activation of the service failed
}

// lockedDBusError is the Secret Service's answer for an item in a locked
// collection (Secret Service API, org.freedesktop.Secret.Error.IsLocked).
const lockedDBusError = "org.freedesktop.Secret.Error.IsLocked"

// dismissedUnlock starts go-keyring's error when the unlock prompt was
// dismissed (secret_service.Unlock: "failed to unlock correct collection").
const dismissedUnlock = "failed to unlock correct collection"

// classifyKeyringError maps go-keyring's errors onto the keyringAPI contract.
func classifyKeyringError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gokeyring.ErrNotFound):
		return errItemNotFound
	case errors.Is(err, gokeyring.ErrUnsupportedPlatform),
		errors.Is(err, dbus.ErrClosed),
		errors.Is(err, syscall.ENOENT),
		errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.EACCES):
		return unavailable(err)
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return unavailable(err) // dialling the bus failed
	}
	name := ""
	var dErr dbus.Error
	var dErrPtr *dbus.Error
	switch {
	case errors.As(err, &dErr):
		name = dErr.Name
	case errors.As(err, &dErrPtr):
		name = dErrPtr.Name
	}
	if name == lockedDBusError {
		return fmt.Errorf("%w: %s: %w", tokens.ErrKeyringLocked, name, err)
	}
	if name != "" {
		for _, n := range unavailableDBusErrors {
			if name == n || (strings.HasSuffix(n, ".") && strings.HasPrefix(name, n)) {
				return unavailable(fmt.Errorf("%s: %w", name, err))
			}
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	// go-keyring reports a dismissed unlock prompt only in words (its
	// Unlock returns a bare fmt.Errorf): this adapter is where a library's
	// text becomes a typed error, so nothing above it reads error text.
	if strings.HasPrefix(err.Error(), dismissedUnlock) {
		return fmt.Errorf("%w: %w", tokens.ErrKeyringLocked, err)
	}
	// godbus's own transport, address and authentication failures.
	if strings.HasPrefix(err.Error(), "dbus: ") {
		return unavailable(err)
	}
	return err
}

// serviceLock serialises one service's operations within the process. mu is
// held for a whole Store operation. lane admits one keyring call at a time
// and is released only when the call returns, even after a timeout
// abandoned it: calls therefore reach the keyring in the order issued and a
// late write cannot overtake a newer one.
type serviceLock struct {
	mu   sync.Mutex
	lane chan struct{}
}

var (
	serviceLocksMu sync.Mutex
	serviceLocks   = map[serviceLockKey]*serviceLock{}
)

type serviceLockKey struct {
	api     keyringAPI
	service string
}

func lockFor(api keyringAPI, service string) *serviceLock {
	serviceLocksMu.Lock()
	defer serviceLocksMu.Unlock()
	k := serviceLockKey{api, service}
	l := serviceLocks[k]
	if l == nil {
		l = &serviceLock{lane: make(chan struct{}, 1)}
		serviceLocks[k] = l
	}
	return l
}

// call runs op on the keyring, bounded by the timeout and ctx. The result
// travels over a channel, so an abandoned op shares nothing with the caller.
func (s *keyringStore) call(ctx context.Context, what, item string, op func() (string, error)) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("keyring %s %q: %w", what, item, err)
	}
	timer := time.NewTimer(s.timeout)
	defer timer.Stop()
	timedOut := func() error {
		return fmt.Errorf("%w: %s %q took longer than %s", tokens.ErrKeyringTimeout, what, item, s.timeout)
	}
	select {
	case s.sh.lane <- struct{}{}:
	case <-timer.C:
		return "", timedOut()
	case <-ctx.Done():
		return "", fmt.Errorf("keyring %s %q: %w", what, item, ctx.Err())
	}
	type result struct {
		value string
		err   error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil { // go-keyring asserts on D-Bus replies
				done <- result{err: fmt.Errorf("keyring library panicked: %v", p)}
			}
			<-s.sh.lane
		}()
		v, err := op()
		done <- result{v, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-timer.C:
		return "", timedOut()
	case <-ctx.Done():
		return "", fmt.Errorf("keyring %s %q: %w", what, item, ctx.Err())
	}
	switch err := r.err; {
	case err == nil, errors.Is(err, errItemNotFound), errors.Is(err, tokens.ErrKeyringUnavailable):
		return r.value, err
	default:
		return "", fmt.Errorf("keyring %s %q: %w", what, item, err)
	}
}

func (s *keyringStore) get(ctx context.Context, item string) (string, error) {
	return s.call(ctx, "read", item, func() (string, error) {
		if b, ok := s.api.(batchGetter); ok { // the Secret Service: 2 calls, not go-keyring's 7
			values, errs := b.GetMany(s.service, []string{item})
			return values[0], errs[0]
		}
		return s.api.Get(s.service, item)
	})
}

func (s *keyringStore) set(ctx context.Context, item, value string) error {
	_, err := s.call(ctx, "write", item, func() (string, error) { return "", s.api.Set(s.service, item, value) })
	return err
}

func (s *keyringStore) del(ctx context.Context, item string) error {
	_, err := s.call(ctx, "delete", item, func() (string, error) { return "", s.api.Delete(s.service, item) })
	return err
}
