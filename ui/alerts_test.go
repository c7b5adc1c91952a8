package ui

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

func TestAlertsBetween(t *testing.T) {
	errDown := errors.New("dial tcp: connection refused")
	permanent := &tokens.ServerError{Status: 401, Code: "invalid_client"}
	ok := func(name string, lastRefresh time.Time) tokens.ProfileState {
		s := freshState(name, token("T", lastRefresh, time.Hour))
		s.LastRefresh = lastRefresh
		return s
	}
	failing := func(name string, streak int, lastRefresh time.Time) tokens.ProfileState {
		s := ok(name, lastRefresh)
		s.LastError, s.FailureStreak = errDown, streak
		return s
	}
	stopped := func(name string) tokens.ProfileState {
		s := ok("a", t0)
		s.Profile.Name, s.LastError, s.ErrorClass, s.FailureStreak, s.Stopped = name, permanent, tokens.Permanent, 1, true
		return s
	}
	noToken := func(name string, streak int) tokens.ProfileState {
		return tokens.ProfileState{Profile: testProfile(name), LastError: errDown, FailureStreak: streak}
	}
	snap := func(ps ...tokens.ProfileState) *tokens.Snapshot {
		return &tokens.Snapshot{At: t0.Add(time.Minute), Profiles: ps}
	}
	r1, r2 := t0, t0.Add(30*time.Second)

	for _, tc := range []struct {
		name       string
		prev, next *tokens.Snapshot
		want       []alert
	}{
		{"nothing changes", snap(ok("a", r1)), snap(ok("a", r1)), nil},
		{"one transient failure with a valid token: not yet", snap(ok("a", r1)), snap(failing("a", 1, r1)), nil},
		{"the retry fails too: streak told", snap(failing("a", 1, r1)), snap(failing("a", 2, r1)), []alert{{Kind: alertFailing, Name: "a"}}},
		{"more retries: no repeat", snap(failing("a", 2, r1)), snap(failing("a", 7, r1)), nil},
		{"skipped straight to a long streak", snap(ok("a", r1)), snap(failing("a", 4, r1)), []alert{{Kind: alertFailing, Name: "a"}}},
		{"permanent error: told at once", snap(ok("a", r1)), snap(stopped("a")), []alert{{Kind: alertFailing, Name: "a"}}},
		{"no valid token: told at once", snap(noToken("a", 0)), snap(noToken("a", 1)), []alert{{Kind: alertFailing, Name: "a"}}},
		{"recovers after a told streak", snap(failing("a", 3, r1)), snap(ok("a", r2)), []alert{{Kind: alertRecovered, Name: "a"}}},
		{"recovers from an untold blip: silent", snap(failing("a", 1, r1)), snap(ok("a", r2)), nil},
		{"streak restarted after an unseen success", snap(failing("a", 3, r1)), snap(failing("a", 2, r2)), []alert{{Kind: alertFailing, Name: "a"}}},
		{"first snapshot already failing", nil, snap(failing("a", 2, r1)), []alert{{Kind: alertFailing, Name: "a"}}},
		{"new profile failing", snap(ok("a", r1)), snap(ok("a", r1), noToken("b", 1)), []alert{{Kind: alertFailing, Name: "b"}}},
		{"profile removed while failing", snap(failing("a", 2, r1)), snap(), nil},
		{"edited profile resets streak without a fetch: not a recovery", snap(failing("a", 2, r1)), snap(ok("a", r1)), nil},
		{"two profiles, one starts, one recovers",
			snap(failing("a", 2, r1), ok("b", r1)), snap(ok("a", r2), failing("b", 2, r1)),
			[]alert{{Kind: alertRecovered, Name: "a"}, {Kind: alertFailing, Name: "b"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := alertsBetween(tc.prev, tc.next)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d alerts %+v, want %+v", len(got), got, tc.want)
			}
			for i := range got {
				if got[i].Kind != tc.want[i].Kind || got[i].Name != tc.want[i].Name {
					t.Errorf("alert %d = %v %s, want %v %s", i, got[i].Kind, got[i].Name, tc.want[i].Kind, tc.want[i].Name)
				}
				if got[i].Kind == alertFailing && got[i].Err == nil {
					t.Errorf("failing alert without its error")
				}
			}
		})
	}
}

func TestAlertText(t *testing.T) {
	se := &tokens.ServerError{Status: 401, Code: "invalid_client", Description: "Client authentication failed"}
	title, body := alertText(alert{Kind: alertFailing, Name: "billing", Err: se, Token: token("T", t0.Add(-48*time.Minute), time.Hour)}, t0)
	if title != "billing: token refresh failing" {
		t.Errorf("title %q", title)
	}
	if body != "The server said invalid_client: Client authentication failed (HTTP 401) — check the client ID and secret or key. This is a permanent error: automatic refresh has stopped until the profile is changed or you refresh it. The current token stays valid for 12 min." {
		t.Errorf("body %q", body)
	}
	title, body = alertText(alert{Kind: alertRecovered, Name: "billing", Token: token("T", t0, time.Hour)}, t0)
	if title != "billing: token refresh works again" || body != "Got a new token, valid 1 h." {
		t.Errorf("recovered: %q / %q", title, body)
	}
}

// TestStreakNotifications runs snapshots through the controller: one
// notification when failing starts, none per retry, one on recovery, and
// none when the user's own action already reported the failure.
func TestStreakNotifications(t *testing.T) {
	h := newHarness(t, Options{})
	errDown := &tokens.ServerError{Status: 503, Excerpt: "upstream unavailable"}
	good := freshState("dev-api", token("T", t0, time.Hour))
	h.publish(good)
	if n := h.takeNotes(); len(n) != 0 {
		t.Fatalf("notes for a healthy start: %+v", n)
	}

	bad := good
	bad.LastError, bad.FailureStreak, bad.LastAttempt = errDown, 1, t0.Add(time.Minute)
	h.publish(bad)
	if n := h.takeNotes(); len(n) != 0 {
		t.Fatalf("a single transient failure notified: %+v", n)
	}
	bad.FailureStreak = 2
	h.publish(bad)
	n := h.takeNotes()
	if len(n) != 1 || n[0].title != "dev-api: token refresh failing" || n[0].body != "The token endpoint answered HTTP 503: upstream unavailable. This is a temporary error: Tokentray retries automatically with growing delays. The current token stays valid for 1 h." {
		t.Fatalf("streak start: %+v", n)
	}
	for i := 3; i < 6; i++ {
		bad.FailureStreak = i
		h.publish(bad)
	}
	if n := h.takeNotes(); len(n) != 0 {
		t.Fatalf("retries notified: %+v", n)
	}

	h.advance(10 * time.Minute)
	recovered := freshState("dev-api", token("T2", h.clock(), time.Hour))
	h.publish(recovered)
	n = h.takeNotes()
	if len(n) != 1 || n[0].title != "dev-api: token refresh works again" {
		t.Fatalf("recovery: %+v", n)
	}

	// The user presses Refresh now in the tray; it fails and says so. The
	// snapshot with the new streak must not notify a second time.
	h.eng.refresh = func(context.Context, string) (*tokens.Token, error) { return nil, errDown }
	h.c.refresh("dev-api", true)
	bad2 := recovered
	bad2.LastError, bad2.FailureStreak = errDown, 2
	h.eng.publish(h.clock(), bad2)
	h.c.deliver(h.eng.Snapshot()) // the snapshot arrives before Refresh returns
	h.settle()
	n = h.takeNotes()
	if len(n) != 1 || n[0].title != "Refresh failed for dev-api" {
		t.Fatalf("user refresh failure: %+v", n)
	}
}
