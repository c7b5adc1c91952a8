//go:build !windows && !darwin

package keyring

import (
	"errors"
	"sync"

	"github.com/godbus/dbus/v5"
	ss "github.com/zalando/go-keyring/secret_service"
)

// Reading items from the Secret Service in few round trips. go-keyring's
// Get makes seven D-Bus calls per item, one after the other: the
// collections property, Unlock of the collection, SearchItems, OpenSession,
// Unlock of the item, GetSecret, Close. ssReader keeps, per process, one
// connection (godbus's shared session bus), the collection go-keyring uses
// and one "plain" session (the same transport go-keyring uses: the bus is
// private to the user's session), found once and concurrently. A batch of
// items then costs two round trips whatever its size: the searches are sent
// together (pipelined), and the secrets of all the items found come back
// from one GetSecrets call.
//
// Anything unusual falls back to go-keyring's Get for that item: an item
// the Secret Service will not hand out without an unlock (a locked
// collection; go-keyring unlocks it, prompting if need be), an error of the
// batch call, a session the daemon forgot (it restarted). Writes and
// deletes stay with go-keyring.

// platformInlineMax is the largest inline record header NewStore writes:
// the Secret Service takes values of any size.
func platformInlineMax() int { return 1 << 20 }

const (
	ssName           = "org.freedesktop.secrets"
	ssPath           = "/org/freedesktop/secrets"
	ssService        = "org.freedesktop.Secret.Service"
	ssLoginPath      = "/org/freedesktop/secrets/collection/login"
	ssDefaultAlias   = "/org/freedesktop/secrets/aliases/default"
	ssCollectionIntf = "org.freedesktop.Secret.Collection"
)

// ssReader is the process's Secret Service reader; mu guards its fields
// and serialises batches (the store's lane already does, per service).
type ssReader struct {
	mu         sync.Mutex
	conn       *dbus.Conn
	collection dbus.BusObject
	session    dbus.ObjectPath
}

var secretService ssReader

// GetMany implements batchGetter.
func (osKeyring) GetMany(service string, users []string) ([]string, []error) {
	values, errs := make([]string, len(users)), make([]error, len(users))
	if err := preflight(); err != nil {
		for i := range errs {
			errs[i] = err
		}
		return values, errs
	}
	found, ok := secretService.getMany(service, users, values, errs)
	for i, u := range users {
		if !ok || (errs[i] == nil && !found[i]) {
			values[i], errs[i] = osKeyring{}.Get(service, u)
		}
	}
	return values, errs
}

// getMany fills values[i] for each item it could read (found[i]) and errs[i]
// with errItemNotFound for each item that does not exist. ok false: the
// batch failed as a whole (the caller falls back for every item).
func (r *ssReader) getMany(service string, users []string, values []string, errs []error) (found []bool, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.open(); err != nil {
		return nil, false
	}
	calls := make([]*dbus.Call, len(users))
	for i, u := range users {
		calls[i] = r.collection.Go(ssCollectionIntf+".SearchItems", 0, nil, map[string]string{"username": u, "service": service})
	}
	paths := make([]dbus.ObjectPath, 0, len(users))
	at := make(map[dbus.ObjectPath]int, len(users))
	failed := false
	for i, c := range calls {
		<-c.Done
		var results []dbus.ObjectPath
		if err := c.Store(&results); err != nil {
			failed = true
			continue
		}
		if len(results) == 0 {
			errs[i] = errItemNotFound
			continue
		}
		paths = append(paths, results[0]) // go-keyring reads the first match too
		at[results[0]] = i
	}
	if failed {
		r.reset()
		return nil, false
	}
	found = make([]bool, len(users))
	if len(paths) == 0 {
		return found, true
	}
	var secrets map[dbus.ObjectPath]ss.Secret
	err := r.conn.Object(ssName, ssPath).Call(ssService+".GetSecrets", 0, paths, r.session).Store(&secrets)
	if err != nil {
		r.reset() // the session may be gone; the fallback opens its own
		return found, true
	}
	for path, secret := range secrets {
		if i, ok := at[path]; ok {
			values[i], found[i] = string(secret.Value), true
		}
	}
	return found, true
}

// open finds the collection and opens the session, once per process (again
// after a reset), the two calls in flight together.
func (r *ssReader) open() error {
	if r.conn != nil {
		return nil
	}
	conn, err := dbus.SessionBus()
	if err != nil {
		return err
	}
	svc := conn.Object(ssName, ssPath)
	collections := svc.Go("org.freedesktop.DBus.Properties.Get", 0, nil, ssService, "Collections")
	session := svc.Go(ssService+".OpenSession", 0, nil, "plain", dbus.MakeVariant(""))
	<-collections.Done
	<-session.Done
	var all dbus.Variant
	if err := collections.Store(&all); err != nil {
		return err
	}
	var output dbus.Variant
	var path dbus.ObjectPath
	if err := session.Store(&output, &path); err != nil {
		return err
	}
	// As go-keyring chooses: the "login" collection when there is one,
	// else the default alias.
	collection := dbus.ObjectPath(ssDefaultAlias)
	if paths, ok := all.Value().([]dbus.ObjectPath); ok {
		for _, p := range paths {
			if p == ssLoginPath {
				collection = ssLoginPath
			}
		}
	}
	r.conn, r.collection, r.session = conn, conn.Object(ssName, collection), path
	return nil
}

// reset forgets the session, so the next batch opens a new one.
func (r *ssReader) reset() {
	if r.conn != nil && r.session != "" {
		r.conn.Object(ssName, r.session).Go("org.freedesktop.Secret.Session.Close", dbus.FlagNoReplyExpected, nil)
	}
	r.conn, r.collection, r.session = nil, nil, ""
}

// ReadService implements serviceReader: every item of service in three
// round trips whatever their number (`list` reads all of them): one search
// by the service attribute alone, then each item's attributes and all the
// secrets, requested together. Property reads are lookups, where each
// search by name scans the whole collection in the daemon.
func (osKeyring) ReadService(service string) (map[string]string, map[string]bool, error) {
	if err := preflight(); err != nil {
		return nil, nil, err
	}
	return secretService.readService(service)
}

func (r *ssReader) readService(service string) (values map[string]string, unsure map[string]bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.open(); err != nil {
		return nil, nil, classifyKeyringError(err)
	}
	var paths []dbus.ObjectPath
	if err := r.collection.Call(ssCollectionIntf+".SearchItems", 0, map[string]string{"service": service}).Store(&paths); err != nil {
		r.reset()
		return nil, nil, classifyKeyringError(err)
	}
	values, unsure = make(map[string]string, len(paths)), map[string]bool{}
	if len(paths) == 0 {
		return values, unsure, nil
	}
	attrCalls := make([]*dbus.Call, len(paths))
	for i, p := range paths {
		attrCalls[i] = r.conn.Object(ssName, p).Go("org.freedesktop.DBus.Properties.Get", 0, nil, "org.freedesktop.Secret.Item", "Attributes")
	}
	secretsCall := r.conn.Object(ssName, ssPath).Go(ssService+".GetSecrets", 0, nil, paths, r.session)
	<-secretsCall.Done
	var secrets map[dbus.ObjectPath]ss.Secret
	secretsErr := secretsCall.Store(&secrets)
	seen := make(map[string]int, len(paths))
	for i, c := range attrCalls {
		<-c.Done
		var v dbus.Variant
		if err := c.Store(&v); err != nil {
			return nil, nil, classifyKeyringError(err)
		}
		attrs, ok := v.Value().(map[string]string)
		if !ok {
			return nil, nil, errors.New("an item's attributes are not a string map")
		}
		if attrs["service"] != service {
			continue
		}
		u := attrs["username"]
		seen[u]++
		s, ok := secrets[paths[i]]
		if secretsErr != nil || !ok { // locked, or the batch failed: one by one
			unsure[u] = true
			continue
		}
		values[u] = string(s.Value)
	}
	if secretsErr != nil {
		r.reset()
	}
	for u, n := range seen {
		if n > 1 { // go-keyring reads the first a search finds: do the same
			delete(values, u)
			unsure[u] = true
		}
	}
	return values, unsure, nil
}
