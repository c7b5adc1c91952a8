package portal

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// fakeChooser is a FileChooser portal on the session bus that answers
// every OpenFile with uri (or a cancel when uri is ""), as a desktop's
// portal does once the user chooses, and records the options it got.
type fakeChooser struct {
	conn *dbus.Conn
	mu   sync.Mutex // guards uri and got: the bus calls OpenFile on its own goroutine
	uri  string
	got  map[string]dbus.Variant
}

func (f *fakeChooser) set(uri string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.uri = uri
}

func (f *fakeChooser) options() map[string]dbus.Variant {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.got
}

func (f *fakeChooser) OpenFile(sender dbus.Sender, parent, title string, opts map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = opts
	uri := f.uri
	var token string
	_ = opts["handle_token"].Store(&token)
	handle := dbus.ObjectPath(requestRoot + strings.ReplaceAll(strings.TrimPrefix(string(sender), ":"), ".", "_") + "/" + token)
	go func() {
		time.Sleep(20 * time.Millisecond) // after the call returns, as a person would
		code, results := uint32(1), map[string]dbus.Variant{}
		if uri != "" {
			code, results["uris"] = 0, dbus.MakeVariant([]string{uri})
		}
		_ = f.conn.Emit(handle, requestIf+".Response", code, results)
	}()
	return handle, nil
}

func servePortal(t *testing.T, uri string) *fakeChooser {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("no session bus: run under .ci/session")
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Skipf("no session bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	f := &fakeChooser{conn: conn, uri: uri}
	if err := conn.Export(f, objectPath, chooser); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName(busName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Skipf("cannot own %s on this bus (%v, %v)", busName, reply, err)
	}
	return f
}

// The chooser's answer comes back as a local path, with the .json filter
// passed on; a cancel is ErrCancelled.
func TestOpenFileThroughThePortal(t *testing.T) {
	f := servePortal(t, "file:///home/me/My%20Downloads/collection.json")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := OpenFile(ctx, "Import profiles", false, []Filter{{Name: "JSON", Patterns: []string{"*.json"}}})
	if err != nil || got != "/home/me/My Downloads/collection.json" {
		t.Fatalf("OpenFile = %q, %v", got, err)
	}
	if _, ok := f.options()["filters"]; !ok {
		t.Error("no filters passed to the portal")
	}
	f.set("")
	if _, err := OpenFile(ctx, "Import profiles", false, nil); !errors.Is(err, ErrCancelled) {
		t.Errorf("a cancel gave %v", err)
	}
}

// A chooser answering something else than a local file is refused.
func TestPortalAnswerMustBeALocalFile(t *testing.T) {
	for _, uri := range []string{"https://evil.example/x.json", "file://", "not a uri %%"} {
		body := []any{uint32(0), map[string]dbus.Variant{"uris": dbus.MakeVariant([]string{uri})}}
		if p, err := answer(body); err == nil {
			t.Errorf("%q gave the path %q", uri, p)
		}
	}
}

// With no portal on the bus, OpenFile says so, for the caller to fall
// back to another chooser.
func TestNoPortalIsUnavailable(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("no session bus: run under .ci/session")
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Skip(err)
	}
	defer conn.Close()
	var has bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, busName).Store(&has); err != nil || has {
		t.Skip("a portal runs on this bus")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := OpenFile(ctx, "x", false, nil); !errors.Is(err, ErrUnavailable) {
		t.Errorf("no portal gave %v", err)
	}
}
