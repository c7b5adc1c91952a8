package explain

import (
	"errors"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/importers"
)

// The words for the importers' codes, and that what came from the file
// is made printable.
func TestImportWords(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{ImportProblem(importers.Problem{Code: importers.ProblemSelfReference, Field: tokens.FieldTokenURL, Var: "a", Through: []string{"b", "c"}}),
			"token URL: variable {{a}} refers to itself through {{b}}, {{c}}"},
		{ImportProblem(importers.Problem{Code: importers.ProblemUnsetVariable, Field: tokens.FieldParams, Param: "tenant", Var: "t\x1b[2J"}),
			"parameter tenant: variable {{t}} has no value (give the environment with --env)"},
		{ImportProblem(importers.Problem{Code: importers.ProblemTooLong, Field: tokens.FieldClientID, Limit: tokens.MaxClientIDLen}),
			"client ID: longer than the limit of 1024 bytes once its variables are filled in"},
		{ImportProblem(importers.Problem{Code: importers.ProblemMissing, Field: tokens.FieldTokenURL}), "no token URL"},
		{ImportProblem(importers.Problem{Code: importers.ProblemBadDuration, Field: tokens.FieldRefreshLead, Value: "soon"}),
			`refresh_lead: "soon" is not a duration such as 5m`},
		{ImportProblem(importers.Problem{Code: importers.ProblemMore, Count: 5}), "and 5 more problems"},
		{ImportNote(importers.Note{Code: importers.NoteReservedParam, Param: "grant_type"}), `parameter "grant_type" dropped: Tokentray sets it itself`},
		{ImportSkip(importers.Skipped{Code: importers.SkipGrant, Grant: "password"}), `grant type "password" is not imported: it hands your password to the tool (RFC 9700 forbids it)`},
		{ImportSkip(importers.Skipped{Code: importers.SkipGrant, Grant: "Implicit"}), `grant type "Implicit" is not imported: it returns the token in the browser's address bar`},
		{ImportSkip(importers.Skipped{Code: importers.SkipGrant}), `grant type (none given) is not imported; only client_credentials and authorization_code`},
		{ImportNote(importers.Note{Code: importers.NoteCallbackRegister, Param: "http://127.0.0.1:8080/callback"}), `the sign-in listens on the callback URL's port; the provider must accept the redirect URI http://127.0.0.1:8080/callback`},
		{ImportNote(importers.Note{Code: importers.NoteCallbackNotLoopback, Param: "https://app.example.com/cb\x1b[2J"}), `callback URL "https://app.example.com/cb" is not a loopback address`},
		{ImportSkip(importers.Skipped{Code: importers.SkipUnreadable, Err: errors.New("line 3: block \"x\" is not closed")}), `not readable: line 3: block "x" is not closed`},
	} {
		if !strings.HasPrefix(tc.got, tc.want) {
			t.Errorf("got  %q\nwant %q", tc.got, tc.want)
		}
	}
}
