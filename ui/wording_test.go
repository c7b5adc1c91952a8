package ui

import (
	"testing"

	"github.com/tokentray/tokentray/tokens"
)

func TestWithPeriodAndSentence(t *testing.T) {
	if got := withPeriod("done"); got != "done." {
		t.Error(got)
	}
	if got := withPeriod("done."); got != "done." {
		t.Error(got)
	}
	if got := sentence("server said x"); got != "Server said x" {
		t.Error(got)
	}
}

func TestFieldMessage(t *testing.T) {
	for _, tc := range []struct{ field, problem, want string }{
		{tokens.FieldClientID, "is required", "Client ID is required"},
		{tokens.FieldTokenURL, "plain http is only allowed on loopback; use https", "Token URL: plain http is only allowed on loopback; use https"},
		{tokens.FieldParams, `parameter "grant_type" cannot be overridden`, `Extra parameters: parameter "grant_type" cannot be overridden`},
		{tokens.FieldClientSecret, "must be at least 32 bytes for HS256 (client_secret_jwt)", "Client secret must be at least 32 bytes for HS256 (client_secret_jwt)"},
	} {
		if got := fieldMessage(tc.field, tc.problem); got != tc.want {
			t.Errorf("fieldMessage(%s, %q) = %q, want %q", tc.field, tc.problem, got, tc.want)
		}
	}
}
