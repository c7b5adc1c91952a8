package cli

import (
	"context"
	"fmt"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// traceLogEntries is `token -v`: it returns a context under which the token
// requests made for the named profile are recorded, and done, which prints
// them on stderr (already redacted, see tokens.LogEntry) or, when none was
// made and the command succeeded, says the token came from the cache.
// The fetch runs on the caller's goroutine, so the recorder needs no lock.
func traceLogEntries(ctx context.Context, env *Env, name string) (context.Context, func(err error)) {
	var seen []tokens.LogEntry
	ctx = tokens.WithLogRecorder(ctx, func(x tokens.LogEntry) { seen = append(seen, x) })
	return ctx, func(err error) {
		for _, x := range seen {
			fmt.Fprintf(env.Stderr, "%s\n", explain.LogEntry(x))
		}
		if len(seen) == 0 && err == nil {
			fmt.Fprintf(env.Stderr, "tokentray token: %s: no request made; the token came from the cache (the keyring)\n", explain.Printable(name))
		}
	}
}
