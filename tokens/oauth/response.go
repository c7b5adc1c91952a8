package oauth

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// maxExpiresIn caps expires_in so that absurd values cannot overflow
// time.Duration: about 31 years.
const maxExpiresIn = 1e9

// httpResponse is the part of an HTTP answer the parser needs, so that the
// parser is a pure function (and a fuzz target).
type httpResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// parseTokenResponse turns a token endpoint answer into a Token, or into a
// *ServerError describing why it is not one. now is the client's time at the
// response; assumed is the lifetime of tokens that state none (zero means
// DefaultAssumedLifetime); red (nil for none) removes the request's secrets
// from the server's text before it is cut into an excerpt. It never puts the
// access token into an error.
func parseTokenResponse(r httpResponse, now time.Time, assumed time.Duration, red *redactor) (*tokens.Token, error) {
	tok, _, err := parseTokenAnswer(r, now, assumed, red)
	return tok, err
}

// apart is what a token answer holds beside the token that never goes
// into it: its refresh token (a sign-in keeps it in a keyring item of its
// own) and its OpenID Connect ID token (a sign-in checks it). "" when
// none, or not a string. Both secret.
type apart struct{ refresh, idToken string }

// parseTokenAnswer is parseTokenResponse that also returns what the
// answer holds apart from the token.
func parseTokenAnswer(r httpResponse, now time.Time, assumed time.Duration, red *redactor) (*tokens.Token, apart, error) {
	if r.Status < 200 || r.Status > 299 {
		se := errorResponse(r, now, red)
		red.scrub(se)
		return nil, apart{}, se
	}
	tok, refresh, se := parseAnswer(r, now, assumed, red)
	if se != nil {
		red.scrub(se)
		return nil, apart{}, se
	}
	return tok, refresh, nil
}

// parseSuccess reads a 2xx answer.
func parseSuccess(r httpResponse, now time.Time, assumed time.Duration, red *redactor) (*tokens.Token, *tokens.ServerError) {
	tok, _, se := parseAnswer(r, now, assumed, red)
	return tok, se
}

// parseAnswer reads a 2xx answer: the token, and its refresh token apart.
func parseAnswer(r httpResponse, now time.Time, assumed time.Duration, red *redactor) (*tokens.Token, apart, *tokens.ServerError) {
	fields, se := decodeFields(r, red)
	if se != nil {
		return nil, apart{}, se
	}
	if code, ok := fields["error"].(string); ok && code != "" && fields["access_token"] == nil {
		// Some servers (GitHub among them) answer errors with 200.
		se := oauthError(r.Status, fields)
		se.RetryAfter = parseRetryAfter(r.Header.Get("Retry-After"), now)
		return nil, apart{}, se
	}
	raw, present := fields["access_token"]
	access, isString := raw.(string)
	switch {
	case !present:
		return nil, apart{}, &tokens.ServerError{Status: r.Status, Problem: tokens.ProblemNoToken, Detail: fieldList(fields)}
	case !isString:
		return nil, apart{}, &tokens.ServerError{Status: r.Status, Problem: tokens.ProblemTokenSyntax, Detail: "it is not a string"}
	}
	if err := tokens.CheckAccessToken(access); err != nil {
		return nil, apart{}, &tokens.ServerError{Status: r.Status, Problem: tokens.ProblemTokenSyntax, Detail: err.Error()}
	}

	t := &tokens.Token{AccessToken: access, IssuedAt: now}
	extra := make(map[string]any)
	var expiresIn time.Duration
	var secret apart
	for k, v := range fields {
		switch k {
		case "access_token":
			continue
		case "token_type":
			if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
				t.TokenType = tokenType(s)
				continue
			}
		case "scope":
			if s, ok := scopeString(v); ok {
				t.Scope = tokens.Printable(s, 4096)
				continue
			}
		case "expires_in":
			if d, ok := parseExpiresIn(v); ok {
				expiresIn = d
				continue
			}
		}
		if tokens.IsSecretField(k) {
			// A refresh token (or an ID token) is a secret, not something
			// to display: never in Extra. Both are returned apart, for a
			// sign-in to keep (the refresh token) or check (the ID token).
			switch k {
			case "refresh_token":
				secret.refresh, _ = v.(string)
			case "id_token":
				secret.idToken, _ = v.(string)
			}
			continue
		}
		extra[k] = v
	}
	if t.TokenType == "" {
		// RFC 6749 §5.1 requires token_type; without one, Bearer is the
		// only type a client credentials server issues in practice.
		t.TokenType, t.TokenTypeAssumed = tokens.TypeBearer, true
	}
	if len(extra) > 0 {
		t.Extra = extra
	}
	t.SetExpiry(expiresIn, assumed)
	return t, secret, nil
}

// tokenType returns "Bearer" for any case of it, else the type as sent,
// printable and capped.
func tokenType(s string) string {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, tokens.TypeBearer) {
		return tokens.TypeBearer
	}
	return tokens.Printable(s, tokens.MaxTokenTypeLen)
}

// parseExpiresIn accepts a positive number of seconds as a JSON number or a
// numeric string ("3599"). Zero, negative, non-finite or non-numeric values
// are unusable (the caller keeps them in Extra and falls back).
func parseExpiresIn(v any) (time.Duration, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = string(x)
	case string:
		s = strings.TrimSpace(x)
	case float64:
		s = strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f <= 0 {
		return 0, false
	}
	f = min(f, maxExpiresIn)
	d := time.Duration(f * float64(time.Second))
	return d, d > 0
}

// scopeString accepts the RFC 6749 space-separated string and, leniently, a
// JSON array of strings.
func scopeString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, " "), true
	}
	return "", false
}

// fieldList names (never shows the values of) the fields of a response, for
// the "no access_token" error.
func fieldList(fields map[string]any) string {
	if len(fields) == 0 {
		return " (empty object)"
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, tokens.Printable(k, 40))
	}
	slices.Sort(names)
	if len(names) > 10 {
		names = append(names[:10], "…")
	}
	return " (fields: " + strings.Join(names, ", ") + ")"
}
