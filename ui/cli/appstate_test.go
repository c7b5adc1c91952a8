package cli

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
)

// `list` shows a refresh the running app saw fail as the app does, with
// the reason, in the table and in --json (issue 29: it said "no token
// yet" while the window said "refresh failed · stopped").
func TestListShowsTheAppsFailedRefresh(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	p := tokens.Profile{Name: "bad-secret", TokenURL: "https://auth.example.com/token", ClientID: "c", ClientSecret: secret}
	if err := h.store.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	h.appStatus = &tokens.Snapshot{Profiles: []tokens.ProfileState{{Profile: p, Stopped: true, FailureStreak: 1, LastAttempt: h.now,
		LastError: &tokens.ServerError{Status: 401, Code: "invalid_client"}}}}

	list := h.mustRun("", "list")
	if !regexp.MustCompile(`bad-secret\s.*\srefresh failed · stopped\s+-\n`).MatchString(list) ||
		!strings.Contains(list, "bad-secret: The server said invalid_client (HTTP 401)") {
		t.Errorf("list:\n%s", list)
	}
	var entries []listEntry
	if err := json.Unmarshal([]byte(h.mustRun("", "list", "--json")), &entries); err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].State != "failed" || !entries[0].RefreshStopped || !strings.Contains(entries[0].Error, "invalid_client (HTTP 401)") {
		t.Errorf("list --json %+v", entries)
	}

	// Without an app, what the keyring holds, as before.
	h.appStatus = nil
	if list := h.mustRun("", "list"); !strings.Contains(list, "no token yet") {
		t.Errorf("list without the app:\n%s", list)
	}
}
