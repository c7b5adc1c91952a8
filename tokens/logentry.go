package tokens

import (
	"context"
	"strings"
	"time"
)

// A LogEntry is one token request and its answer as a person may see
// them: every secret already redacted by the Fetcher that recorded it (the
// client secret in each encoding, the client assertion, the Authorization
// header's credential, credential-like headers), the access token masked,
// every string made printable, and the response body capped. It is
// immutable once recorded, and safe to show, copy or print.
type LogEntry struct {
	// Seq numbers the exchanges a Manager records, from 1; a newer
	// exchange has a larger Seq. Zero outside a Manager.
	Seq uint64
	// Started is when the request was sent; Duration how long it took
	// until the answer was read (or the request failed).
	Started  time.Time
	Duration time.Duration
	// Method and URL of the request.
	Method, URL string
	// RequestHeader in the order sent (by name); RequestBody as sent.
	RequestHeader []HeaderField
	RequestBody   string
	// Status is the HTTP status, 0 when no answer came (Err says why).
	Status         int
	ResponseHeader []HeaderField
	// ResponseBody holds at most MaxLogBody bytes; BodyCut says it was
	// longer. Withheld says the server's text was not kept at all: the
	// request carried a secret too short to be found in it safely.
	ResponseBody string
	BodyCut      bool
	Withheld     bool
	// Err is the transport error when the request got no answer, redacted.
	Err string
}

// HeaderField is one HTTP header line.
type HeaderField struct{ Name, Value string }

// MaxLogBody caps LogEntry.ResponseBody (16 KiB).
const MaxLogBody = 16 << 10

// MaxLogEntries is how many exchanges a Manager keeps per profile (the
// newest), in memory only.
const MaxLogEntries = 20

type exchangeKey struct{}

// WithLogRecorder returns a context under which a Fetcher reports each
// token exchange it makes to record, as net/http/httptrace carries its
// hooks: record is called on the fetching goroutine, once per request
// sent, with the exchange already redacted. The Manager and the command
// line's -v use it.
func WithLogRecorder(ctx context.Context, record func(LogEntry)) context.Context {
	return context.WithValue(ctx, exchangeKey{}, record)
}

// RecordLogEntry hands x to the recorder of ctx, if any. Fetchers call it
// after each token request, with every secret already redacted.
func RecordLogEntry(ctx context.Context, x LogEntry) {
	if record, ok := ctx.Value(exchangeKey{}).(func(LogEntry)); ok && record != nil {
		record(x)
	}
}

// HasLogRecorder reports whether ctx carries a recorder, so that a
// Fetcher can skip building exchanges nobody reads.
func HasLogRecorder(ctx context.Context) bool {
	record, ok := ctx.Value(exchangeKey{}).(func(LogEntry))
	return ok && record != nil
}

// PrintableText makes a multi-line text from a server safe to show: each
// line as Printable makes it (no control, bidirectional or invisible
// format characters, no terminal escapes), line breaks kept, and the whole
// capped at maxBytes (cut says so). Cut before cleaning, at a line end
// when one is near.
func PrintableText(s string, maxBytes int) (text string, cut bool) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	var b strings.Builder
	for i, line := range lines {
		line = Printable(line, maxBytes)
		if b.Len()+len(line)+1 > maxBytes {
			room := maxBytes - b.Len()
			if room > 0 {
				b.WriteString(CutUTF8(line, room))
			}
			return b.String(), true
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(line)
	}
	return b.String(), false
}

// MaskToken hides a token but for its first and last four characters, and
// never shows more than a third of a short token: how the window shows a
// token it does not reveal, and how exchanges show the tokens they carry.
func MaskToken(tok string) string {
	r := []rune(tok)
	n := len(r)
	if n == 0 {
		return ""
	}
	keep := 4
	if n < 3*keep {
		keep = n / 3
	}
	dots := min(n-2*keep, 24)
	return string(r[:keep]) + strings.Repeat("•", dots) + string(r[n-keep:])
}

// addLogEntry returns ring (newest first) with x in front, keeping at most
// MaxLogEntries. A stored ring is never changed: a new slice is returned,
// so snapshots share it safely.
func addLogEntry(ring []LogEntry, x LogEntry) []LogEntry {
	n := min(len(ring)+1, MaxLogEntries)
	next := make([]LogEntry, n)
	next[0] = x
	copy(next[1:], ring)
	return next
}

// recordLogEntry adds x to e's log, unless e was retired (its profile
// changed or went while the request ran). m.mu must not be held.
func (m *Manager) recordLogEntry(e *entry, x LogEntry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e.retired() {
		return
	}
	m.exchangeSeq++
	x.Seq = m.exchangeSeq
	e.exchanges = addLogEntry(e.exchanges, x)
	m.changed()
}
