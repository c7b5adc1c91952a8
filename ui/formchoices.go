package ui

import (
	"slices"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// The form's choices as their labels read, and back.

// formAuthMethods are the form's authentication choices: every method,
// and none for a public client (valid only with a sign-in grant).
var formAuthMethods = append(slices.Clone(tokens.AuthMethods), tokens.AuthNone)

func authLabels() []string {
	out := make([]string, len(formAuthMethods))
	for i, m := range formAuthMethods {
		out[i] = explain.AuthMethod(m)
	}
	return out
}

func authFromLabel(s string) tokens.AuthMethod {
	for _, m := range formAuthMethods {
		if explain.AuthMethod(m) == s {
			return m
		}
	}
	return tokens.AuthClientSecretBasic
}

func bodyFromLabel(s string) tokens.BodyEncoding {
	if s == bodyJSONLabel {
		return tokens.BodyJSON
	}
	return tokens.BodyForm
}
