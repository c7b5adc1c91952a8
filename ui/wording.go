package ui

import (
	"errors"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// fieldLabel is the form label of a tokens.Field* name.
func fieldLabel(field string) string {
	switch field {
	case tokens.FieldName:
		return "Name"
	case tokens.FieldTokenURL:
		return "Token URL"
	case tokens.FieldIssuerURL:
		return "Issuer URL"
	case tokens.FieldClientID:
		return "Client ID"
	case tokens.FieldAuth:
		return "Authentication"
	case tokens.FieldClientSecret:
		return "Client secret"
	case tokens.FieldPrivateKey:
		return "Private key"
	case tokens.FieldAlg:
		return "Algorithm"
	case tokens.FieldClientCert:
		return "Certificate" // as the form labels it
	case tokens.FieldClientKey:
		return "Certificate key"
	case tokens.FieldParams:
		return "Extra parameters"
	case tokens.FieldHeaders:
		return "Extra headers"
	case tokens.FieldBody:
		return "Body encoding"
	case tokens.FieldCABundle:
		return "CA bundle"
	case tokens.FieldRefreshLead:
		return "Refresh lead"
	case tokens.FieldAssumedLifetime:
		return "Assumed lifetime"
	case tokens.FieldScopes:
		return "Scopes"
	case tokens.FieldAudience:
		return "Audience"
	case tokens.FieldResource:
		return "Resource"
	case tokens.FieldKeyID:
		return "Key ID"
	case tokens.FieldEndpointOrigins:
		return "Endpoint origins"
	case tokens.FieldGitHosts:
		return "Git hosts"
	case tokens.FieldIntrospectionURL:
		return "Introspection URL"
	case tokens.FieldRevocationURL:
		return "Revocation URL"
	}
	return field
}

// sentence capitalises the first letter of msg, for messages that start a
// dialog or a label on their own.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	r := []rune(msg)
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	return string(r)
}

// withPeriod ends msg with a full stop unless it already ends a sentence.
func withPeriod(msg string) string {
	if msg == "" || strings.HasSuffix(msg, ".") || strings.HasSuffix(msg, "!") || strings.HasSuffix(msg, "?") {
		return msg
	}
	return msg + "."
}

// asServerError finds a *tokens.ServerError in err's chain.
func asServerError(err error) (*tokens.ServerError, bool) {
	var se *tokens.ServerError
	if err != nil && errors.As(err, &se) {
		return se, true
	}
	return nil, false
}

// fieldMessage joins a field's label and a problem: "Client ID is
// required", "Token URL: plain http is only allowed on loopback".
func fieldMessage(field, problem string) string {
	for _, verb := range []string{"is ", "are ", "must ", "cannot ", "should ", "has ", "does "} {
		if strings.HasPrefix(problem, verb) {
			return fieldLabel(field) + " " + problem
		}
	}
	return fieldLabel(field) + ": " + problem
}
