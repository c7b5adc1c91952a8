package tokens

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// newRecordingEnv is newEnv with a fetcher that reports one exchange per
// fetch, its URL numbered by the fetch.
func newRecordingEnv(t *testing.T, ps ...Profile) *env {
	e := newEnv(t, ManagerOptions{})
	n := 0
	e.m.fetcher = FetcherFunc(func(ctx context.Context, p Profile) (*Token, error) {
		n++
		RecordLogEntry(ctx, LogEntry{Method: "POST", URL: fmt.Sprintf("%s#%d", p.TokenURL, n), Status: 200, Started: e.clock.Now()})
		return e.srv.Fetch(ctx, p)
	})
	e.m.SetProfiles(ps)
	return e
}

func TestExchangeLogKeepsTheNewest20(t *testing.T) {
	e := newRecordingEnv(t, profile("a"), profile("b"))
	if _, err := e.m.Refresh(context.Background(), "b"); err != nil {
		t.Fatal(err)
	}
	var early []LogEntry
	for i := 1; i <= 25; i++ {
		if _, err := e.m.Refresh(context.Background(), "a"); err != nil {
			t.Fatal(err)
		}
		if i == 3 {
			early = e.state("a").LogEntries
		}
	}
	log := e.state("a").LogEntries
	if len(log) != MaxLogEntries {
		t.Fatalf("%d exchanges kept, want %d", len(log), MaxLogEntries)
	}
	for i, x := range log {
		want := fmt.Sprintf("#%d", 26-i) // fetch 1 was b's
		if !strings.HasSuffix(x.URL, want) || i > 0 && x.Seq >= log[i-1].Seq {
			t.Fatalf("exchange %d: URL %q Seq %d; want newest first, ending %s", i, x.URL, x.Seq, want)
		}
	}
	if len(early) != 3 || !strings.HasSuffix(early[0].URL, "#4") {
		t.Errorf("an older snapshot's log changed: %d exchanges, newest %q", len(early), early[0].URL)
	}
	if b := e.state("b").LogEntries; len(b) != 1 || !strings.HasSuffix(b[0].URL, "#1") {
		t.Errorf("profile b's log = %+v, want its one exchange", b)
	}
}

func TestExchangeLogFollowsTheProfile(t *testing.T) {
	e := newRecordingEnv(t, profile("a"))
	e.token("a", time.Minute)
	changed := profile("a")
	changed.ClientSecret = "another-secret"
	e.m.Put(changed) // other credentials: a new entry, the same log
	if log := e.state("a").LogEntries; len(log) != 1 {
		t.Fatalf("after an edit the log has %d exchanges, want the 1 before it", len(log))
	}
	e.m.Remove("a")
	e.m.Put(profile("a"))
	if log := e.state("a").LogEntries; len(log) != 0 {
		t.Errorf("a removed and re-added profile kept %d exchanges", len(log))
	}
}
