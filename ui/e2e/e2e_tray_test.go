//go:build unix

package e2e

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

	"github.com/tokentray/tokentray/tokens/demo"
	"github.com/tokentray/tokentray/ui/traytest"
)

// TestE2ETrayCopiesToken runs `tokentray --demo` as a user would, with this
// test as the desktop's panel: it checks the app registers its tray item,
// that the menu lists the demo profiles, that clicking an entry puts a valid
// token of that profile on the X clipboard (verified against the demo
// server's key), and that the entry then shows the token's time left.
func TestE2ETrayCopiesToken(t *testing.T) {
	e2eRequireSession(t)
	conn, w := e2ePanel(t)
	app := e2eStart(t, tokentrayBin, "--demo")
	it := e2eWaitItem(t, app, w, 90*time.Second)

	profiles := []string{demo.ProfileHealthy, demo.ProfileJSON, demo.ProfileFlaky}
	root := e2eWaitMenu(t, app, conn, it, 60*time.Second, func(root traytest.MenuItem) bool {
		for _, name := range profiles {
			if _, ok := root.Find(e2eProfileEntry(name)); !ok {
				return false
			}
		}
		return true
	})
	t.Logf("tray menu: %q", root.Labels())
	for _, name := range profiles {
		// Panels open a submenu parent instead of clicking it: a profile's
		// entry must be a plain item (issue 11).
		if e, _ := root.Find(e2eProfileEntry(name)); e.ChildrenDisplay() == "submenu" || len(e.Children) > 0 {
			t.Errorf("%s: the entry has a submenu, so clicking it on a panel copies nothing", name)
		}
	}

	// Profile actions › demo-healthy › Copy token.
	clip := e2eClickUntilClipboard(t, app, conn, it, "Profile actions › "+demo.ProfileHealthy+" › Copy token",
		func(root traytest.MenuItem) (traytest.MenuItem, bool) {
			more, ok := root.Find(e2eLabelIs("Profile actions"))
			if !ok {
				return more, false
			}
			sub, ok := more.Find(e2eLabelIs(demo.ProfileHealthy))
			if !ok {
				return sub, false
			}
			return sub.Find(e2eLabelIs("Copy token"))
		},
		e2eIsDemoToken(demo.ProfileHealthy))
	e2eVerifyDemoToken(t, clip, demo.ProfileHealthy)
	e2eWaitTimeLeft(t, app, conn, it, demo.ProfileHealthy)

	// The profile entry itself (the click of the README), for the JSON-body profile.
	clip = e2eClickUntilClipboard(t, app, conn, it, demo.ProfileJSON,
		func(root traytest.MenuItem) (traytest.MenuItem, bool) {
			return root.Find(e2eProfileEntry(demo.ProfileJSON))
		},
		e2eIsDemoToken(demo.ProfileJSON))
	e2eVerifyDemoToken(t, clip, demo.ProfileJSON)
	e2eWaitTimeLeft(t, app, conn, it, demo.ProfileJSON)
}

// e2eWaitTimeLeft waits for the profile's tray entry to show the time left of
// the token it holds (the label is rebuilt from the engine's snapshots).
func e2eWaitTimeLeft(t *testing.T, app *e2eProc, conn *dbus.Conn, it traytest.Item, profile string) {
	t.Helper()
	root := e2eWaitMenu(t, app, conn, it, 30*time.Second, func(root traytest.MenuItem) bool {
		e, ok := root.Find(e2eProfileEntry(profile))
		return ok && e2eTimeLeftRE.MatchString(e.Label())
	})
	e, _ := root.Find(e2eProfileEntry(profile))
	t.Logf("%s: tray label %q", profile, e.Label())
}

// TestE2EHarnessBareTray checks the harness itself on the bare Fyne tray app
// (testdata/baretray), independent of Tokentray: registration, the menu as
// fyne.io/systray exports it, and a click reaching the app's action, which
// sets the X clipboard.
func TestE2EHarnessBareTray(t *testing.T) {
	e2eRequireSession(t)
	conn, w := e2ePanel(t)
	app := e2eStart(t, baretrayBin, "-items", "20")
	it := e2eWaitItem(t, app, w, 90*time.Second)

	// Fyne exports the menu in steps (the items, then its own Show window
	// and Quit): wait for the last of them, or a read can come between.
	root := e2eWaitMenu(t, app, conn, it, 30*time.Second, func(root traytest.MenuItem) bool {
		_, item := root.Find(e2eLabelIs("Item 20"))
		_, quit := root.Find(e2eLabelIs("Quit"))
		return item && quit
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
	if _, ok := root.Find(e2eLabelIs("Quit")); !ok {
		t.Errorf("Fyne adds Quit to tray menus; not found in %q", root.Labels())
	}
	got := e2eClickUntilClipboard(t, app, conn, it, "Item 07",
		func(root traytest.MenuItem) (traytest.MenuItem, bool) { return root.Find(e2eLabelIs("Item 07")) },
		func(s string) bool { return s == "baretray item 07" })
	if got != "baretray item 07" {
		t.Errorf("clipboard = %q", got)
	}
	// Another entry replaces it: the click really selects the entry.
	e2eClickUntilClipboard(t, app, conn, it, "Item 13",
		func(root traytest.MenuItem) (traytest.MenuItem, bool) { return root.Find(e2eLabelIs("Item 13")) },
		func(s string) bool { return s == "baretray item 13" })
}

func e2eLabelIs(l string) func(traytest.MenuItem) bool {
	return func(m traytest.MenuItem) bool { return m.Label() == l }
}

// e2eProfileEntry matches a profile's tray entry: a mark, the name and its
// state ("● demo-healthy — 1 min"); not the line stating the last action
// ("Copied token for demo-healthy").
func e2eProfileEntry(name string) func(traytest.MenuItem) bool {
	return func(m traytest.MenuItem) bool { return e2eIsProfileLabel(m.Label(), name) }
}

func e2eIsProfileLabel(label, name string) bool {
	f := strings.Fields(label)
	return len(f) >= 3 && f[1] == name && f[2] == "—"
}

// e2eIsDemoToken reports whether s is a JWT whose subject is the profile's
// client (demo client IDs equal profile names); a cheap check for polling.
func e2eIsDemoToken(profile string) func(string) bool {
	return func(s string) bool {
		claims := jwt.MapClaims{}
		if _, _, err := jwt.NewParser().ParseUnverified(strings.TrimSpace(s), claims); err != nil {
			return false
		}
		return claims["sub"] == profile
	}
}

// e2eVerifyDemoToken checks the copied token fully: it was signed by the demo
// server that issued it (key fetched from its JWKS at the issuer, which must
// be a loopback URL), names the profile's client, and is valid now.
func e2eVerifyDemoToken(t *testing.T, raw, profile string) {
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
	key, err := e2eFetchJWKSKey(iss + "/.well-known/jwks.json")
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

func e2eFetchJWKSKey(u string) (*rsa.PublicKey, error) {
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
