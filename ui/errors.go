package ui

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// describeError words an error from the tokens package (or the network
// below it) for people. It matches typed errors first and falls back to
// the error text without the package prefixes. It never returns "".
func describeError(err error, s Sentinels) string {
	if err == nil {
		return ""
	}
	var se *tokens.ServerError
	var ve *tokens.ValidationError
	var dnsErr *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	var verifyErr *tls.CertificateVerificationError
	switch {
	case errors.As(err, &se):
		return describeServerError(se)
	case errors.As(err, &ve):
		return describeValidation(ve)
	case s.is(err, s.KeyringUnavailable):
		return "the system keyring is not available: start and unlock a Secret Service " +
			"(for example gnome-keyring or KWallet), then try again (" + plainText(err) + ")"
	case s.is(err, s.UnknownProfile):
		return "this profile no longer exists (it may have been deleted)"
	case errors.Is(err, tokens.ErrNotFound):
		return "not found in the keyring"
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out waiting for the token endpoint"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.As(err, &unknownCA):
		return "the server's TLS certificate is signed by an unknown authority; " +
			"if it uses a private CA, add the CA bundle to the profile"
	case errors.As(err, &hostErr):
		return "the server's TLS certificate does not match its host name (" + hostErr.Error() + ")"
	case errors.As(err, &invalidCert):
		return "the server's TLS certificate is not valid (" + invalidCert.Error() + ")"
	case errors.As(err, &verifyErr):
		return "the server's TLS certificate could not be verified (" + verifyErr.Err.Error() + ")"
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("could not find the server %s (DNS lookup failed)", dnsErr.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the token endpoint refused the connection (is the server running?)"
	case errors.Is(err, tokens.ErrInsecureURL):
		return "plain http is only allowed on this computer (loopback); use https"
	}
	return plainText(err)
}

// describeServerError words a token endpoint's refusal:
// "server said invalid_client: Client authentication failed".
func describeServerError(se *tokens.ServerError) string {
	var msg string
	switch {
	case se.Code != "" && se.Description != "":
		msg = "server said " + se.Code + ": " + se.Description
	case se.Code != "":
		msg = fmt.Sprintf("server said %s (HTTP %d)", se.Code, se.Status)
	case se.Status >= 200 && se.Status < 300:
		msg = "server answered without an access token"
	case se.Excerpt != "":
		msg = fmt.Sprintf("server answered HTTP %d: %s", se.Status, se.Excerpt)
	default:
		msg = fmt.Sprintf("server answered HTTP %d", se.Status)
	}
	if se.RetryAfter > 0 {
		msg += "; it asked to retry in " + humanDuration(se.RetryAfter.Round(time.Second))
	}
	return msg
}

// describeValidation lists every bad field with its form label:
// "Client ID is required; Token URL must be an absolute URL …".
func describeValidation(ve *tokens.ValidationError) string {
	parts := make([]string, len(ve.Fields))
	for i, f := range ve.Fields {
		parts[i] = fieldMessage(f.Field, f.Problem)
	}
	return strings.Join(parts, "; ")
}

// plainText is err's text without the "tokens: " package prefixes.
func plainText(err error) string {
	msg := strings.ReplaceAll(err.Error(), "tokens: ", "")
	if msg == "" {
		return "unknown error"
	}
	return msg
}

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
		return "Client certificate"
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
