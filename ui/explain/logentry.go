package explain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// LogEntry renders a recorded token exchange as plain text, as the
// window's dialog shows it, its Copy puts it on the clipboard for a bug
// report, and `tokentray token -v` prints it: when and how long, the
// request line, headers and body, then the answer's status, headers and
// body. The exchange is already redacted (tokens.LogEntry).
func LogEntry(x tokens.LogEntry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Token request at %s, %s\n\n", x.Started.Format(time.RFC3339), Elapsed(x.Duration))
	fmt.Fprintf(&b, "%s %s\n", x.Method, x.URL)
	writeFields(&b, x.RequestHeader)
	if x.RequestBody != "" {
		fmt.Fprintf(&b, "\n%s\n", prettyBody(x.RequestBody))
	}
	b.WriteString("\n")
	switch {
	case x.Status == 0:
		fmt.Fprintf(&b, "No answer: %s\n", x.Err)
		return b.String()
	case x.Withheld:
		fmt.Fprintf(&b, "%s\n\n(The server's headers and body are not shown: the request carried a secret shorter than 8 characters, which could not be found and hidden in them safely.)\n", StatusLine(x.Status))
		return b.String()
	}
	fmt.Fprintf(&b, "%s\n", StatusLine(x.Status))
	writeFields(&b, x.ResponseHeader)
	if x.ResponseBody != "" {
		fmt.Fprintf(&b, "\n%s\n", prettyBody(x.ResponseBody))
	}
	if x.BodyCut {
		fmt.Fprintf(&b, "(The body is cut at %s.)\n", Size(tokens.MaxLogBody))
	}
	return b.String()
}

// prettyBody indents a JSON body two spaces a level, one member a line,
// so a token response reads at a glance (issue 29: one unwrapped line);
// any other body, or one cut short, is shown as it is.
func prettyBody(body string) string {
	if !json.Valid([]byte(body)) {
		return body
	}
	var out bytes.Buffer
	if err := json.Indent(&out, []byte(body), "", "  "); err != nil {
		return body
	}
	return out.String()
}

func writeFields(b *strings.Builder, fields []tokens.HeaderField) {
	for _, f := range fields {
		fmt.Fprintf(b, "%s: %s\n", f.Name, f.Value)
	}
}

// StatusLine names an HTTP status: "HTTP 200 OK", "HTTP 599".
func StatusLine(status int) string {
	if t := http.StatusText(status); t != "" {
		return fmt.Sprintf("HTTP %d %s", status, t)
	}
	return fmt.Sprintf("HTTP %d", status)
}

// LogEntrySummary is one exchange on one line, for a list: local time of
// day, status (or "no answer") and how long it took.
func LogEntrySummary(x tokens.LogEntry) string {
	status := "no answer"
	if x.Status != 0 {
		status = strings.TrimPrefix(StatusLine(x.Status), "HTTP ")
	}
	return fmt.Sprintf("%s   %s   %s", x.Started.Local().Format("15:04:05"), status, Elapsed(x.Duration))
}
