package servertest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
)

// testNow is the simulated time of the tests that need a fixed clock.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

// fetchOK fetches p with c, failing the test on an error.
func fetchOK(t *testing.T, c *oauth.Client, p tokens.Profile) *tokens.Token {
	t.Helper()
	tok, err := c.Fetch(context.Background(), p)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	return tok
}

// rendered is every string of x, as any view of it could show them.
func rendered(x tokens.LogEntry) string {
	b, _ := json.Marshal(x)
	return fmt.Sprintf("%+v\n%s", x, b)
}

// secretForms lists the forms a secret takes on the wire.
func secretForms(id, secret string) []string {
	forms := []string{secret, url.QueryEscape(secret), url.PathEscape(secret)}
	q, _ := json.Marshal(secret)
	forms = append(forms, string(q[1:len(q)-1]))
	for _, cred := range []string{url.QueryEscape(id) + ":" + url.QueryEscape(secret), id + ":" + secret} {
		forms = append(forms, base64.StdEncoding.EncodeToString([]byte(cred)), base64.RawStdEncoding.EncodeToString([]byte(cred)))
	}
	return forms
}
