// Package explain turns the engine's typed errors into the sentences a
// person reads, for the tray app and the command line alike. It is the one
// place where Tokentray's error wording lives.
package explain

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tokentray/tokentray/tokens"
)

// Error returns a one-paragraph explanation of err, or "" for nil.
func Error(err error) string {
	if err == nil {
		return ""
	}
	var (
		se *tokens.ServerError
		ve *tokens.ValidationError
		pe *tokens.ProfileError
		ue *url.Error
	)
	switch {
	case errors.As(err, &ve):
		return prefix(err, ve) + Validation(ve)
	case errors.As(err, &se):
		return prefix(err, se) + Server(se)
	case errors.Is(err, tokens.ErrKeyringBusy):
		return "another Tokentray (the tray app or a command) kept the OS keyring busy for too long; nothing was saved, try again"
	case errors.Is(err, tokens.ErrKeyringTimeout):
		return "the OS keyring did not answer in time (is an unlock prompt waiting?)"
	case errors.Is(err, tokens.ErrKeyringUnavailable):
		return strip(err.Error())
	case errors.As(err, &pe):
		return fmt.Sprintf("profile %q cannot be read: %s", pe.Name, Error(pe.Err))
	case errors.Is(err, context.DeadlineExceeded):
		return prefix(err, context.DeadlineExceeded) + "the token endpoint did not answer in time"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.As(err, &ue):
		var dns *net.DNSError
		var op *net.OpError
		switch {
		case errors.As(err, &dns):
			return prefix(err, ue) + fmt.Sprintf("cannot find the host %s (DNS lookup failed)", dns.Name)
		case errors.As(err, &op) && op.Op == "dial":
			return prefix(err, ue) + fmt.Sprintf("cannot connect to %s: %s", hostOf(ue.URL), strip(op.Err.Error()))
		case ue.Timeout():
			return prefix(err, ue) + "the token endpoint did not answer in time"
		}
		return prefix(err, ue) + fmt.Sprintf("cannot reach %s: %s", hostOf(ue.URL), strip(ue.Err.Error()))
	}
	return strip(err.Error())
}

// Server explains a token endpoint's refusal, quoting the server's own
// error code and description.
func Server(se *tokens.ServerError) string {
	var b strings.Builder
	switch {
	case se.Code != "":
		fmt.Fprintf(&b, "the server said %s", printable(se.Code))
		if se.Description != "" {
			fmt.Fprintf(&b, ": %s", printable(se.Description))
		}
		fmt.Fprintf(&b, " (HTTP %d)", se.Status)
		if hint := codeHint(se.Code); hint != "" {
			b.WriteString(" — " + hint)
		}
	case se.Status == 200:
		b.WriteString("the server answered without an access token")
	default:
		fmt.Fprintf(&b, "the token endpoint answered HTTP %d", se.Status)
		if se.Excerpt != "" {
			fmt.Fprintf(&b, ": %s", printable(se.Excerpt))
		}
	}
	if se.URI != "" {
		fmt.Fprintf(&b, " (see %s)", printable(se.URI))
	}
	return b.String()
}

func codeHint(code string) string {
	switch code {
	case "invalid_client":
		return "check the client ID and secret or key"
	case "unauthorized_client":
		return "this client may not use the client credentials grant"
	case "invalid_scope":
		return "check the requested scopes"
	case "temporarily_unavailable":
		return "will retry"
	}
	return ""
}

// Validation lists every bad field of a profile.
func Validation(ve *tokens.ValidationError) string {
	parts := make([]string, len(ve.Fields))
	for i, f := range ve.Fields {
		parts[i] = Field(f.Field) + " " + f.Problem
	}
	return "invalid profile: " + strings.Join(parts, "; ")
}

// Field names a profile field as the forms and flags call it.
func Field(field string) string {
	switch field {
	case tokens.FieldName:
		return "name"
	case tokens.FieldTokenURL:
		return "token URL"
	case tokens.FieldIssuerURL:
		return "issuer URL"
	case tokens.FieldClientID:
		return "client ID"
	case tokens.FieldAuth:
		return "authentication method"
	case tokens.FieldClientSecret:
		return "client secret"
	case tokens.FieldPrivateKey:
		return "private key"
	case tokens.FieldAlg:
		return "signing algorithm"
	case tokens.FieldClientCert:
		return "client certificate"
	case tokens.FieldClientKey:
		return "client certificate key"
	case tokens.FieldParams:
		return "extra parameters:"
	case tokens.FieldHeaders:
		return "extra headers:"
	case tokens.FieldBody:
		return "body encoding"
	case tokens.FieldCABundle:
		return "CA bundle"
	case tokens.FieldRefreshLead:
		return "refresh lead"
	case tokens.FieldAssumedLifetime:
		return "assumed lifetime"
	}
	return field
}

// prefix keeps the context that wrapping added in front of target's own
// message ("dev-api: "), without the package prefixes.
func prefix(err, target error) string {
	full, own := err.Error(), target.Error()
	if i := strings.LastIndex(full, own); i > 0 {
		return strip(full[:i])
	}
	return ""
}

// printable drops control characters (a server's text could move a
// terminal's cursor or fake a line) and caps the length.
func printable(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > 300 {
		s = string([]rune(s)[:300]) + "…"
	}
	return s
}

// strip removes Go package prefixes ("tokens: ") from a message.
func strip(s string) string {
	for _, p := range []string{"tokens: ", "keyring: "} {
		s = strings.ReplaceAll(s, p, "")
	}
	return s
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}
