package ui_test

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/golang-jwt/jwt/v5"

	"github.com/tokentray/tokentray/internal/traytest"
	"github.com/tokentray/tokentray/tokens/demo"
)

// TestE2ETrayCopiesToken runs `tokentray --demo` as a user would, with this
// test as the desktop's panel: it checks the app registers its tray item,
// that the menu lists the demo profiles, that clicking an entry puts a valid
// token of that profile on the X clipboard (verified against the demo
// server's key), and that the entry then shows the token's time left.
func TestE2ETrayCopiesToken(t *testing.T) {
	requireSession(t)
	conn, w := watcher(t)
	app := start(t, build(t, ".", "tokentray"), "--demo")
	it := waitItem(t, app, w, 90*time.Second)

	profiles := []string{demo.ProfileHealthy, demo.ProfileJSON, demo.ProfileFlaky}
	root := waitMenu(t, app, conn, it, 60*time.Second, func(root traytest.MenuItem) bool {
		for _, name := range profiles {
			if _, ok := root.Find(profileEntry(name)); !ok {
				return false
			}
		}
		return true
	})
	t.Logf("tray menu: %q", root.Labels())
	for _, name := range profiles {
		e, _ := root.Find(profileEntry(name))
		if e.ChildrenDisplay() == "submenu" {
			if _, ok := e.Find(labelIs("Copy token")); !ok {
				t.Errorf("%s: submenu has no \"Copy token\" entry", name)
			}
		}
	}

	// The copy entry inside the profile's submenu: what every panel can click.
	clip := clickUntilClipboard(t, app, conn, it, demo.ProfileHealthy+" › Copy token",
		func(root traytest.MenuItem) (traytest.MenuItem, bool) {
			e, ok := root.Find(profileEntry(demo.ProfileHealthy))
			if !ok {
				return e, false
			}
			if e.ChildrenDisplay() != "submenu" {
				return e, true // a flat entry copies itself
			}
			return e.Find(labelIs("Copy token"))
		},
		isDemoToken(demo.ProfileHealthy))
	verifyDemoToken(t, clip, demo.ProfileHealthy)
	waitTimeLeft(t, app, conn, it, demo.ProfileHealthy)

	// The profile entry itself, for the JSON-body profile.
	clip = clickUntilClipboard(t, app, conn, it, demo.ProfileJSON,
		func(root traytest.MenuItem) (traytest.MenuItem, bool) {
			return root.Find(profileEntry(demo.ProfileJSON))
		},
		isDemoToken(demo.ProfileJSON))
	verifyDemoToken(t, clip, demo.ProfileJSON)
	waitTimeLeft(t, app, conn, it, demo.ProfileJSON)
}

// waitTimeLeft waits for the profile's tray entry to show the time left of
// the token it holds (the label is rebuilt from the engine's snapshots).
func waitTimeLeft(t *testing.T, app *proc, conn *dbus.Conn, it traytest.Item, profile string) {
	t.Helper()
	root := waitMenu(t, app, conn, it, 30*time.Second, func(root traytest.MenuItem) bool {
		e, ok := root.Find(profileEntry(profile))
		return ok && timeLeftRE.MatchString(e.Label())
	})
	e, _ := root.Find(profileEntry(profile))
	t.Logf("%s: tray label %q", profile, e.Label())
}

// TestE2EHarnessBareTray checks the harness itself on the bare Fyne tray app
// (testdata/baretray), independent of Tokentray: registration, the menu as
// fyne.io/systray exports it, and a click reaching the app's action, which
// sets the X clipboard.
func TestE2EHarnessBareTray(t *testing.T) {
	requireSession(t)
	conn, w := watcher(t)
	app := start(t, build(t, "./testdata/baretray", "baretray"), "-items", "20")
	it := waitItem(t, app, w, 90*time.Second)

	root := waitMenu(t, app, conn, it, 30*time.Second, func(root traytest.MenuItem) bool {
		_, ok := root.Find(labelIs("Item 20"))
		return ok
	})
	items := 0
	for _, c := range root.Children {
		if strings.HasPrefix(c.Label(), "Item ") {
			items++
		}
	}
	if items != 20 {
		t.Errorf("menu has %d item entries, want 20: %q", items, root.Labels())
	}
	if _, ok := root.Find(labelIs("Quit")); !ok {
		t.Errorf("Fyne adds Quit to tray menus; not found in %q", root.Labels())
	}
	got := clickUntilClipboard(t, app, conn, it, "Item 07",
		func(root traytest.MenuItem) (traytest.MenuItem, bool) { return root.Find(labelIs("Item 07")) },
		func(s string) bool { return s == "baretray item 07" })
	if got != "baretray item 07" {
		t.Errorf("clipboard = %q", got)
	}
	// Another entry replaces it: the click really selects the entry.
	clickUntilClipboard(t, app, conn, it, "Item 13",
		func(root traytest.MenuItem) (traytest.MenuItem, bool) { return root.Find(labelIs("Item 13")) },
		func(s string) bool { return s == "baretray item 13" })
}

func labelIs(l string) func(traytest.MenuItem) bool {
	return func(m traytest.MenuItem) bool { return m.Label() == l }
}

// profileEntry matches a profile's tray entry: its label names the profile
// as a whole word ("✓ demo-healthy — 1 min").
func profileEntry(name string) func(traytest.MenuItem) bool {
	return func(m traytest.MenuItem) bool {
		for _, w := range strings.Fields(m.Label()) {
			if w == name {
				return true
			}
		}
		return false
	}
}

// isDemoToken reports whether s is a JWT whose subject is the profile's
// client (demo client IDs equal profile names); a cheap check for polling.
func isDemoToken(profile string) func(string) bool {
	return func(s string) bool {
		claims := jwt.MapClaims{}
		if _, _, err := jwt.NewParser().ParseUnverified(strings.TrimSpace(s), claims); err != nil {
			return false
		}
		return claims["sub"] == profile
	}
}

// verifyDemoToken checks the copied token fully: it was signed by the demo
// server that issued it (key fetched from its JWKS at the issuer, which must
// be a loopback URL), names the profile's client, and is valid now.
func verifyDemoToken(t *testing.T, raw, profile string) {
	t.Helper()
	raw = strings.TrimSpace(raw)
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(raw, claims); err != nil {
		t.Fatalf("%s: clipboard is not a JWT: %v", profile, err)
	}
	iss, _ := claims["iss"].(string)
	u, err := url.Parse(iss)
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" {
		t.Fatalf("%s: issuer %q is not the loopback demo server", profile, iss)
	}
	key, err := fetchJWKSKey(iss + "/.well-known/jwks.json")
	if err != nil {
		t.Fatalf("%s: %v", profile, err)
	}
	verified := jwt.MapClaims{}
	if _, err := jwt.ParseWithClaims(raw, verified, func(*jwt.Token) (any, error) { return key, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired(), jwt.WithIssuedAt(),
		jwt.WithIssuer(iss), jwt.WithSubject(profile), jwt.WithAudience(demo.Audience)); err != nil {
		t.Fatalf("%s: token does not verify against the demo server's key: %v", profile, err)
	}
	if verified["client_id"] != profile {
		t.Errorf("%s: client_id claim = %v", profile, verified["client_id"])
	}
	exp, _ := verified.GetExpirationTime()
	t.Logf("%s: copied token verified (sub %v, expires in %v)", profile, verified["sub"], time.Until(exp.Time).Round(time.Second))
}

func fetchJWKSKey(u string) (*rsa.PublicKey, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, fmt.Errorf("fetch JWKS: %w", err)
	}
	defer resp.Body.Close()
	var set struct{ Keys []struct{ Kty, N, E string } }
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil || len(set.Keys) != 1 || set.Keys[0].Kty != "RSA" {
		return nil, fmt.Errorf("JWKS at %s unusable (%v)", u, err)
	}
	n, err1 := base64.RawURLEncoding.DecodeString(set.Keys[0].N)
	e, err2 := base64.RawURLEncoding.DecodeString(set.Keys[0].E)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("JWKS at %s: bad key encoding", u)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
}
