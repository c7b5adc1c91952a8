package explain

import (
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// fieldLabels is the one table of profile field names: the form's labels,
// and the names messages give the fields (see Field). A test holds it to
// every field of tokens.Profile.
var fieldLabels = map[string]string{
	tokens.FieldName:             "Name",
	tokens.FieldTokenURL:         "Token URL",
	tokens.FieldIssuerURL:        "Issuer URL",
	tokens.FieldClientID:         "Client ID",
	tokens.FieldAuth:             "Authentication",
	tokens.FieldClientSecret:     "Client secret",
	tokens.FieldPrivateKey:       "Private key",
	tokens.FieldKeyID:            "Key ID",
	tokens.FieldAlg:              "Algorithm",
	tokens.FieldClientCert:       "Certificate",
	tokens.FieldClientKey:        "Certificate key",
	tokens.FieldCABundle:         "CA bundle",
	tokens.FieldScopes:           "Scopes",
	tokens.FieldAudience:         "Audience",
	tokens.FieldResource:         "Resource",
	tokens.FieldParams:           "Extra parameters",
	tokens.FieldHeaders:          "Extra headers",
	tokens.FieldBody:             "Body encoding",
	tokens.FieldIntrospectionURL: "Introspection URL",
	tokens.FieldRevocationURL:    "Revocation URL",
	tokens.FieldRefreshLead:      "Refresh lead",
	tokens.FieldAssumedLifetime:  "Assumed lifetime",
	tokens.FieldManualRefresh:    "Auto-refresh",
	tokens.FieldEndpointOrigins:  "Endpoint origins",
	tokens.FieldGitHosts:         "Git hosts",

	tokens.FieldGrant:                  "Grant",
	tokens.FieldAuthorizationURL:       "Authorization URL",
	tokens.FieldDeviceAuthorizationURL: "Device authorization URL",
	tokens.FieldRedirectPort:           "Redirect port",
}

// FieldLabel is a profile field's label (field is a tokens.Field* name) as
// the form shows it and a message starts with it: "Client ID", "CA bundle".
// An unknown field is returned as it is.
func FieldLabel(field string) string {
	if l, ok := fieldLabels[field]; ok {
		return l
	}
	return field
}

// Field names a profile field inside a sentence: its label with a lower-case
// first letter, unless the label starts with an abbreviation ("client ID",
// "token URL", "CA bundle").
func Field(field string) string {
	l := FieldLabel(field)
	if len(l) > 1 && l[0] >= 'A' && l[0] <= 'Z' && !(l[1] >= 'A' && l[1] <= 'Z') {
		return string(l[0]-'A'+'a') + l[1:]
	}
	return l
}

// FieldProblem joins a field's label and a problem (a tokens.FieldError's
// Problem): "Client ID is required", "Token URL: plain http is only allowed
// on loopback". A problem that starts with a verb follows the label; any
// other follows a colon.
func FieldProblem(field, problem string) string {
	return joinProblem(FieldLabel(field), problem)
}

func joinProblem(name, problem string) string {
	for _, verb := range []string{"is ", "are ", "must ", "cannot ", "should ", "has ", "does "} {
		if strings.HasPrefix(problem, verb) {
			return name + " " + problem
		}
	}
	return name + ": " + problem
}
