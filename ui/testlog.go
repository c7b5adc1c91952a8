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
// when the exchange is needed most. Exchanges are already redacted by
// the fetcher (tokens.Exchange); like the engine's, they are kept in
// memory only, the newest tokens.MaxExchanges per name.

// testExchanges collects the exchanges of one Test; safe for concurrent
// use (the fetcher records from its own goroutine).
type testExchanges struct {
	mu sync.Mutex
	xs []tokens.Exchange
}

// recorder returns ctx recording into t.
func (t *testExchanges) recorder(ctx context.Context) context.Context {
	return tokens.WithExchangeRecorder(ctx, func(x tokens.Exchange) {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.xs = append(t.xs, x)
	})
}

// newestFirst returns the exchanges recorded, newest first.
func (t *testExchanges) newestFirst() []tokens.Exchange {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := slices.Clone(t.xs)
	slices.Reverse(out)
	return out
}

// loggedExchange is an exchange of the Requests section: the engine's, or
// a Test's.
type loggedExchange struct {
	tokens.Exchange
	test bool
}

// recordTest keeps a Test's exchanges under the name the form had. (ui)
func (c *controller) recordTest(name string, xs []tokens.Exchange) {
	if name == "" || len(xs) == 0 {
		return
	}
	if c.testLog == nil {
		c.testLog = map[string][]tokens.Exchange{}
	}
	log := append(slices.Clone(xs), c.testLog[name]...)
	c.testLog[name] = log[:min(len(log), tokens.MaxExchanges)]
	if c.win != nil {
		c.win.refreshDetails()
	}
}

// requestLog merges the engine's log of ps with its Tests, newest first,
// at most tokens.MaxExchanges. (ui)
func (c *controller) requestLog(ps *tokens.ProfileState) []loggedExchange {
	tests := c.testLog[ps.Profile.Name]
	out := make([]loggedExchange, 0, len(ps.Exchanges)+len(tests))
	for _, x := range ps.Exchanges {
		out = append(out, loggedExchange{Exchange: x})
	}
	for _, x := range tests {
		out = append(out, loggedExchange{Exchange: x, test: true})
	}
	slices.SortStableFunc(out, func(a, b loggedExchange) int { return b.Started.Compare(a.Started) })
	return out[:min(len(out), tokens.MaxExchanges)]
}
