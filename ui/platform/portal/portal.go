// Package portal opens the desktop's own file chooser through the XDG
// desktop portal (org.freedesktop.portal.FileChooser, on the session
// D-Bus), which GNOME, KDE and others provide: their chooser has a path
// field, bookmarks and filters, where Fyne's own dialog wraps folder names
// and has neither (issue 29). Where no portal answers, OpenFile returns
// ErrUnavailable and the caller falls back to Fyne's dialog. It has no Fyne
// dependency. Each call uses its own D-Bus connection; calls are safe for
// concurrent use.
package portal

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/godbus/dbus/v5"
)

// ErrUnavailable says no file chooser portal answered: use another chooser.
var ErrUnavailable = errors.New("portal: no file chooser portal")

// ErrCancelled says the user closed the chooser without choosing.
var ErrCancelled = errors.New("portal: cancelled")

// Filter is one entry of the chooser's file type list: a name and the
// glob patterns it shows ("JSON files", "*.json").
type Filter struct {
	Name     string
	Patterns []string
}

const (
	busName     = "org.freedesktop.portal.Desktop"
	objectPath  = "/org/freedesktop/portal/desktop"
	chooser     = "org.freedesktop.portal.FileChooser"
	requestIf   = "org.freedesktop.portal.Request"
	requestRoot = "/org/freedesktop/portal/desktop/request/"
)

// filterWire is a filter as the portal takes it: (sa(us)), 0 for a glob.
type filterWire struct {
	Name     string
	Patterns []patternWire
}

type patternWire struct {
	Kind    uint32
	Pattern string
}

// OpenFile shows the portal's chooser titled title, for a folder when
// directory is set, else for a file matching one of filters, and returns
// the local path chosen. It waits until the user chooses or cancels
// (ErrCancelled), or ctx ends. ErrUnavailable: no session bus, or no
// portal on it.
func OpenFile(ctx context.Context, title string, directory bool, filters []Filter) (string, error) {
	conn, err := dbus.ConnectSessionBus(dbus.WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	defer conn.Close()

	token := "tokentray_" + randomHex()
	sender := strings.ReplaceAll(strings.TrimPrefix(conn.Names()[0], ":"), ".", "_")
	handle := dbus.ObjectPath(requestRoot + sender + "/" + token)
	// Listen before asking: the answer may come before the call returns.
	if err := conn.AddMatchSignal(dbus.WithMatchObjectPath(handle), dbus.WithMatchInterface(requestIf), dbus.WithMatchMember("Response")); err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	signals := make(chan *dbus.Signal, 4)
	conn.Signal(signals)

	opts := map[string]dbus.Variant{
		"handle_token": dbus.MakeVariant(token),
		"modal":        dbus.MakeVariant(true),
		"directory":    dbus.MakeVariant(directory),
	}
	if len(filters) > 0 && !directory {
		wire := make([]filterWire, len(filters))
		for i, f := range filters {
			wire[i].Name = f.Name
			for _, p := range f.Patterns {
				wire[i].Patterns = append(wire[i].Patterns, patternWire{0, p})
			}
		}
		opts["filters"] = dbus.MakeVariant(wire)
	}
	var got dbus.ObjectPath
	call := conn.Object(busName, objectPath).CallWithContext(ctx, chooser+".OpenFile", 0, "", title, opts)
	if call.Err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnavailable, call.Err)
	}
	if err := call.Store(&got); err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	if got != handle { // an old portal picks its own handle
		if err := conn.AddMatchSignal(dbus.WithMatchObjectPath(got), dbus.WithMatchInterface(requestIf), dbus.WithMatchMember("Response")); err != nil {
			return "", err
		}
	}
	for {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case s, ok := <-signals:
			if !ok {
				return "", fmt.Errorf("%w: the session bus closed", ErrUnavailable)
			}
			if s.Path != got || s.Name != requestIf+".Response" {
				continue
			}
			return answer(s.Body)
		}
	}
}

// answer reads a Request's Response: (u response, a{sv} results).
func answer(body []any) (string, error) {
	if len(body) != 2 {
		return "", errors.New("portal: a malformed answer")
	}
	code, _ := body[0].(uint32)
	if code != 0 {
		return "", ErrCancelled
	}
	results, _ := body[1].(map[string]dbus.Variant)
	var uris []string
	if v, ok := results["uris"]; ok {
		_ = v.Store(&uris)
	}
	if len(uris) == 0 {
		return "", ErrCancelled
	}
	u, err := url.Parse(uris[0])
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return "", fmt.Errorf("portal: the chooser gave %q, not a local file", uris[0])
	}
	return u.Path, nil
}

func randomHex() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
