package ui

import (
	"context"
	"slices"
	"sync"

	"github.com/tokentray/tokentray/tokens"
)

// The form's Test in the request log (issue 29): a Test makes a real
// token request, so it is recorded as the engine records its own, and the
// details' Requests section shows it under the name the form had, marked
// as a Test. A failed Test can be opened from the form itself, which is
// when the exchange is needed most. LogEntries are already redacted by
// the fetcher (tokens.LogEntry); like the engine's, they are kept in
// memory only, the newest tokens.MaxLogEntries per name.

// testLogEntries collects the exchanges of one Test; safe for concurrent
// use (the fetcher records from its own goroutine).
type testLogEntries struct {
	mu sync.Mutex
	xs []tokens.LogEntry
}

// recorder returns ctx recording into t.
func (t *testLogEntries) recorder(ctx context.Context) context.Context {
	return tokens.WithLogRecorder(ctx, func(x tokens.LogEntry) {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.xs = append(t.xs, x)
	})
}

// newestFirst returns the exchanges recorded, newest first.
func (t *testLogEntries) newestFirst() []tokens.LogEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := slices.Clone(t.xs)
	slices.Reverse(out)
	return out
}

// loggedEntry is an exchange of the Requests section: the engine's, or
// a Test's.
type loggedEntry struct {
	tokens.LogEntry
	test bool
}

// recordTest keeps a Test's exchanges under the name the form had. (ui)
func (c *controller) recordTest(name string, xs []tokens.LogEntry) {
	if name == "" || len(xs) == 0 {
		return
	}
	if c.testLog == nil {
		c.testLog = map[string][]tokens.LogEntry{}
	}
	log := append(slices.Clone(xs), c.testLog[name]...)
	c.testLog[name] = log[:min(len(log), tokens.MaxLogEntries)]
	if c.win != nil {
		c.win.refreshDetails()
	}
}

// requestLog merges the engine's log of ps with its Tests, newest first,
// at most tokens.MaxLogEntries. (ui)
func (c *controller) requestLog(ps *tokens.ProfileState) []loggedEntry {
	tests := c.testLog[ps.Profile.Name]
	out := make([]loggedEntry, 0, len(ps.LogEntries)+len(tests))
	for _, x := range ps.LogEntries {
		out = append(out, loggedEntry{LogEntry: x})
	}
	for _, x := range tests {
		out = append(out, loggedEntry{LogEntry: x, test: true})
	}
	slices.SortStableFunc(out, func(a, b loggedEntry) int { return b.Started.Compare(a.Started) })
	return out[:min(len(out), tokens.MaxLogEntries)]
}
