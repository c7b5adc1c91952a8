package tokentest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/tokentray/tokentray/tokens"
)

// Rendered is every string of x, as any view of it could show them: for
// checking that no form of a secret is in a request log entry.
func Rendered(x tokens.LogEntry) string {
	b, _ := json.Marshal(x)
	return fmt.Sprintf("%+v\n%s", x, b)
}

// SecretForms lists the forms client id's secret takes on the wire: raw,
// form- and path-encoded, JSON-escaped, and inside an HTTP Basic
// credential (form-encoded or not, padded base64 or not).
func SecretForms(id, secret string) []string {
	forms := []string{secret, url.QueryEscape(secret), url.PathEscape(secret)}
	q, _ := json.Marshal(secret)
	forms = append(forms, string(q[1:len(q)-1]))
	for _, cred := range []string{url.QueryEscape(id) + ":" + url.QueryEscape(secret), id + ":" + secret} {
		forms = append(forms, base64.StdEncoding.EncodeToString([]byte(cred)), base64.RawStdEncoding.EncodeToString([]byte(cred)))
	}
	return forms
}

// CurlBrowser sets $BROWSER, for the rest of t, to a script that follows
// a sign-in as a person's browser would: curl -L to the authorization
// server and back to the loopback callback, its page discarded. It skips
// t on Windows (a shell script).
func CurlBrowser(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("a shell script browser")
	}
	script := filepath.Join(t.TempDir(), "browser")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nexec curl -sSL --max-time 20 \"$1\" >/dev/null\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BROWSER", script)
}
