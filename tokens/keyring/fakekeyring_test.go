package keyring

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// fakeKeyring is an in-memory keyringAPI with the size limits of the real
// platforms and switches to make calls fail or hang.
type fakeKeyring struct {
	mu    sync.Mutex
	items map[string]string // service + "\x00" + user
	calls int               // every call so far
	sets  int
	dels  int
	// maxValue is the largest value ever stored.
	maxValue int

	// crashAt > 0 makes the crashAt-th call from now on (counted by
	// crashOn) fail, and every call after it fail too, as if the process
	// had died there.
	crashAt   int
	crashOn   string // "set", "delete" or "" for any call
	crashSeen int
	crashed   bool

	// hangAt > 0 makes the hangAt-th call from now on that hangOn accepts
	// block until release is closed; the call then takes effect.
	hangAt   int
	hangOn   func(op, user string) bool
	hangSeen int
	release  chan struct{}
	hanging  chan struct{} // closed when the hanging call has started

	unavailable error // returned by every call when set
}

func newFakeKeyring() *fakeKeyring { return &fakeKeyring{items: map[string]string{}} }

var errFakeCrash = errors.New("fake keyring: simulated crash")

func fkey(service, user string) string { return service + "\x00" + user }

// enter runs the failure switches for one call of kind op; it returns the
// error to fail with, after blocking if the call is the hanging one.
func (f *fakeKeyring) enter(op, user string) error {
	f.mu.Lock()
	f.calls++
	if f.unavailable != nil {
		err := f.unavailable
		f.mu.Unlock()
		return err
	}
	if f.crashed {
		f.mu.Unlock()
		return errFakeCrash
	}
	if f.crashAt > 0 && (f.crashOn == "" || f.crashOn == op) {
		f.crashSeen++
		if f.crashSeen == f.crashAt {
			f.crashed = true
			f.mu.Unlock()
			return errFakeCrash
		}
	}
	var wait chan struct{}
	if f.hangAt > 0 && (f.hangOn == nil || f.hangOn(op, user)) {
		f.hangSeen++
		if f.hangSeen == f.hangAt {
			wait = f.release
			close(f.hanging)
		}
	}
	f.mu.Unlock()
	if wait != nil {
		<-wait
	}
	return nil
}

// armHang makes the n-th call from now that on accepts (nil: any call)
// block; it returns a channel closed when that call starts and a function
// that lets it proceed.
func (f *fakeKeyring) armHang(n int, on func(op, user string) bool) (started <-chan struct{}, release func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hangAt, f.hangOn, f.hangSeen = n, on, 0
	f.release, f.hanging = make(chan struct{}), make(chan struct{})
	var once sync.Once
	rel := f.release
	return f.hanging, func() { once.Do(func() { close(rel) }) }
}

// armCrash makes the n-th call of kind op ("" for any) from now fail, and
// all calls after it.
func (f *fakeKeyring) armCrash(op string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.crashAt, f.crashOn, f.crashSeen, f.crashed = n, op, 0, false
}

// restart clears the failure switches: a new process starts.
func (f *fakeKeyring) restart() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.crashAt, f.crashed, f.hangAt, f.unavailable = 0, false, 0, nil
}

func (f *fakeKeyring) Get(service, user string) (string, error) {
	if err := f.enter("get", user); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.items[fkey(service, user)]
	if !ok {
		return "", errItemNotFound
	}
	return v, nil
}

func (f *fakeKeyring) Set(service, user, value string) error {
	if err := f.enter("set", user); err != nil {
		return err
	}
	// The limits go-keyring enforces on Windows and macOS.
	if len(value) > 2560 {
		return fmt.Errorf("fake keyring: %d bytes is over the Windows limit of 2560", len(value))
	}
	mac := fmt.Sprintf("add-generic-password -U -s '%s' -a '%s' -w 'go-keyring-base64:%s'\n",
		service, user, base64.StdEncoding.EncodeToString([]byte(value)))
	if len(mac) > 4096 {
		return fmt.Errorf("fake keyring: %d-byte command is over the macOS limit of 4096", len(mac))
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sets++
	f.items[fkey(service, user)] = value
	f.maxValue = max(f.maxValue, len(value))
	return nil
}

func (f *fakeKeyring) Delete(service, user string) error {
	if err := f.enter("delete", user); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	k := fkey(service, user)
	if _, ok := f.items[k]; !ok {
		return errItemNotFound
	}
	f.dels++
	delete(f.items, k)
	return nil
}

func (f *fakeKeyring) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// users lists the item names of service, sorted.
func (f *fakeKeyring) users(service string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var us []string
	for k := range f.items {
		if s, u, _ := strings.Cut(k, "\x00"); s == service {
			us = append(us, u)
		}
	}
	slices.Sort(us)
	return us
}

// put and value bypass the switches, for setting up and inspecting.
func (f *fakeKeyring) put(service, user, value string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items[fkey(service, user)] = value
}

func (f *fakeKeyring) value(service, user string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.items[fkey(service, user)]
	return v, ok
}

func (f *fakeKeyring) remove(service, user string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.items, fkey(service, user))
}

// snapshot copies every item, to compare states.
func (f *fakeKeyring) snapshot() map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := make(map[string]string, len(f.items))
	for k, v := range f.items {
		m[k] = v
	}
	return m
}

// List implements itemLister: the fake can list, like the Secret Service
// and the Credential Manager. Wrap it in struct{ keyringAPI } for a keyring
// that cannot (macOS).
func (f *fakeKeyring) List(service string) ([]string, error) {
	if err := f.enter("list", ""); err != nil {
		return nil, err
	}
	return f.users(service), nil
}
