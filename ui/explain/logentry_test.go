package explain

import (
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// A JSON body is shown indented, one member a line; a form body and a
// body that is not whole JSON are shown as sent.
func TestExchangePrettyPrintsJSON(t *testing.T) {
	x := tokens.LogEntry{Started: time.Date(2026, 12, 6, 13, 0, 0, 0, time.UTC), Method: "POST", URL: "https://auth.example.com/token",
		RequestBody:  "grant_type=client_credentials&scope=read",
		Status:       200,
		ResponseBody: `{"access_token":"[hidden]","token_type":"Bearer","expires_in":120}`}
	got := LogEntry(x)
	for _, want := range []string{
		"\ngrant_type=client_credentials&scope=read\n",
		"{\n  \"access_token\": \"[hidden]\",\n  \"token_type\": \"Bearer\",\n  \"expires_in\": 120\n}\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("exchange lacks %q:\n%s", want, got)
		}
	}
	x.ResponseBody = `{"access_token":"[hidden]","tok`
	if got := LogEntry(x); !strings.Contains(got, "\n"+x.ResponseBody+"\n") {
		t.Errorf("a cut body was changed:\n%s", got)
	}
}
