package keyring

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/godbus/dbus/v5"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/testenv"
)

func TestClassifyKeyringError(t *testing.T) {
	testenv.SkipUnlessLinux(t, "D-Bus and Secret Service error wording")
	dial := &net.OpError{Op: "dial", Net: "unix", Err: fmt.Errorf("connect: %w", syscall.ENOENT)}
	for _, c := range []struct {
		name        string
		err         error
		unavailable bool
		locked      bool
	}{
		{"dial failed", dial, true, false},
		{"connection refused", fmt.Errorf("x: %w", syscall.ECONNREFUSED), true, false},
		{"no Secret Service on the bus", dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown",
			Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"}}, true, false},
		{"activation failed", &dbus.Error{Name: "org.freedesktop.DBus.Error.Spawn.ChildExited"}, true, false},
		{"bus closed", dbus.ErrClosed, true, false},
		{"auth failed", errors.New("dbus: authentication failed"), true, false},
		{"locked item", dbus.Error{Name: "org.freedesktop.Secret.Error.IsLocked", Body: []any{"locked"}}, false, true},
		{"unlock prompt dismissed", errors.New("failed to unlock correct collection '/x'"), false, true},
		{"item-level D-Bus error", dbus.Error{Name: "org.freedesktop.Secret.Error.NoSuchObject"}, false, false},
		{"other", errors.New("no such thing"), false, false},
	} {
		err := classifyKeyringError(c.err)
		if got := errors.Is(err, tokens.ErrKeyringUnavailable); got != c.unavailable {
			t.Errorf("%s: %v; unavailable = %v, want %v", c.name, err, got, c.unavailable)
		}
		if got := errors.Is(err, tokens.ErrKeyringLocked); got != c.locked {
			t.Errorf("%s: %v; locked = %v, want %v", c.name, err, got, c.locked)
		}
		var de dbus.Error
		var dep *dbus.Error
		if wraps := errors.Is(err, c.err) || errors.As(err, &de) || errors.As(err, &dep); !wraps {
			t.Errorf("%s: %v does not wrap the cause", c.name, err)
		}
	}
	if classifyKeyringError(nil) != nil {
		t.Error("nil error classified as an error")
	}
	msg := classifyKeyringError(dial).Error()
	if !strings.HasPrefix(msg, "OS keyring unavailable: dial unix") || !strings.HasSuffix(msg, ", is a Secret Service running?") {
		t.Errorf("unavailable error reads %q", msg)
	}
	svc := classifyKeyringError(dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown", Body: []any{"not provided"}})
	if !strings.Contains(svc.Error(), "org.freedesktop.DBus.Error.ServiceUnknown") {
		t.Errorf("D-Bus error name missing from %q", svc)
	}
}

// Without a session bus, go-keyring's D-Bus library would run dbus-launch
// and start a stray bus. The store must report the missing bus instead,
// before go-keyring is called.
func TestNoSessionBusIsUnavailable(t *testing.T) {
	if !usesSecretService() {
		t.Skip("no Secret Service on this platform")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", testenv.TempDir(t))
	for name, op := range map[string]func() error{
		"Get":    func() error { _, err := osKeyring{}.Get("tokentray-test-nobus", "x"); return err },
		"Set":    func() error { return osKeyring{}.Set("tokentray-test-nobus", "x", "v") },
		"Delete": func() error { return osKeyring{}.Delete("tokentray-test-nobus", "x") },
	} {
		err := op()
		if !errors.Is(err, tokens.ErrKeyringUnavailable) || !strings.Contains(err.Error(), "DBUS_SESSION_BUS_ADDRESS") {
			t.Errorf("%s without a session bus = %v", name, err)
		}
	}
}
