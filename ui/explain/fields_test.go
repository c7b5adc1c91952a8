package explain

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
)

// TestEveryProfileFieldHasALabel fails when a field is added to
// tokens.Profile without a label in the one table.
func TestEveryProfileFieldHasALabel(t *testing.T) {
	typ := reflect.TypeFor[tokens.Profile]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if _, ok := fieldLabels[name]; !ok {
			t.Errorf("tokens.Profile.%s (%q) has no label in fieldLabels", typ.Field(i).Name, name)
		}
	}
}

func TestFieldWords(t *testing.T) {
	for field, want := range map[string]string{
		tokens.FieldClientID: "client ID", tokens.FieldTokenURL: "token URL", tokens.FieldCABundle: "CA bundle",
		tokens.FieldAuth: "authentication", tokens.FieldParams: "extra parameters", "unknown_field": "unknown_field",
	} {
		if got := Field(field); got != want {
			t.Errorf("Field(%s) = %q, want %q", field, got, want)
		}
	}
	for _, tc := range []struct{ field, problem, want string }{
		{tokens.FieldClientID, "is required", "Client ID is required"},
		{tokens.FieldTokenURL, "plain http is only allowed on loopback; use https", "Token URL: plain http is only allowed on loopback; use https"},
		{tokens.FieldParams, `parameter "grant_type" cannot be overridden`, `Extra parameters: parameter "grant_type" cannot be overridden`},
		{tokens.FieldClientSecret, "must be at least 32 bytes for HS256 (client_secret_jwt)", "Client secret must be at least 32 bytes for HS256 (client_secret_jwt)"},
	} {
		if got := FieldProblem(tc.field, tc.problem); got != tc.want {
			t.Errorf("FieldProblem(%s, %q) = %q, want %q", tc.field, tc.problem, got, tc.want)
		}
	}
	ve := tokens.Profile{Name: "p", TokenURL: "https://auth.example.com/t", Params: map[string]string{"grant_type": "x"}}.Validate()
	var v *tokens.ValidationError
	if !errors.As(ve, &v) {
		t.Fatalf("Validate: %v", ve)
	}
	if got := Validation(v); !strings.Contains(got, "client ID is required") || !strings.Contains(got, `extra parameters: parameter "grant_type" cannot be overridden`) {
		t.Errorf("Validation = %q", got)
	}
}

func TestSentenceAndPeriod(t *testing.T) {
	if got := WithPeriod("done"); got != "done." {
		t.Error(got)
	}
	if got := WithPeriod("done?"); got != "done?" {
		t.Error(got)
	}
	if got := Sentence("server said x"); got != "Server said x" {
		t.Error(got)
	}
	if got := Sentence("état"); got != "état" {
		t.Error(got)
	}
}
