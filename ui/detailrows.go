package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// timingRows lists the token's times and the refresh schedule. Pure.
func timingRows(ps *tokens.ProfileState, now time.Time) []kv {
	var rows []kv
	if t := ps.Token; t != nil {
		rows = append(rows,
			kv{Key: "Issued at", Value: localTimeRel(t.IssuedAt, now)},
			kv{Key: "Expires at", Value: localTimeRel(t.ExpiresAt, now)},
			kv{Key: "Lifetime", Value: explain.Duration(t.Lifetime()) + " (" + explain.ExpirySource(t.ExpirySource) + ")"},
		)
	}
	last := "never"
	switch {
	case !ps.LastRefresh.IsZero():
		last = localTimeRel(ps.LastRefresh, now)
	case ps.Token != nil:
		// Not "never" beside a token issued just now (issue 29): the
		// token was read from the keyring, fetched before a restart or
		// by another Tokentray.
		last = "none since Tokentray started; the token was read from the keyring"
	}
	rows = append(rows, kv{Key: "Last refresh", Value: last})
	if ps.LastError != nil && !ps.LastAttempt.IsZero() && !notSignedIn(ps) {
		rows = append(rows, kv{Key: "Last attempt", Value: localTimeRel(ps.LastAttempt, now) + " · failed", Imp: widget.DangerImportance})
	}
	var next string
	switch {
	case ps.Refreshing:
		next = "under way"
	case ps.SessionEnded() && ps.NextRefresh.IsZero():
		next = "stopped until you sign in again (Sign in…)"
	case notSignedIn(ps) && ps.NextRefresh.IsZero(): // stopped, or not wanted after a reload
		next = "none until you sign in (Sign in…)"
	case ps.Stopped:
		next = "stopped after an error that retrying cannot fix; use Refresh now or edit the profile"
	case !ps.NextRefresh.IsZero():
		next = localTimeRel(ps.NextRefresh, now)
		if ps.FailureStreak > 0 {
			next += fmt.Sprintf(" · retry after %d failed %s", ps.FailureStreak, plural(ps.FailureStreak, "attempt", "attempts"))
		}
	case ps.Profile.ManualRefresh:
		next = "automatic refresh is off; a token is fetched when you copy it"
	default:
		next = "not scheduled"
	}
	rows = append(rows, kv{Key: "Next refresh", Value: next})
	if conf := ps.Profile.Normalized().RefreshLead; ps.Token != nil && conf > ps.RefreshLead() {
		rows = append(rows, kv{Key: explain.FieldLabel(tokens.FieldRefreshLead), Value: explain.Duration(ps.RefreshLead()) +
			" before expiry (half the token's lifetime; " + explain.Duration(conf) + " configured)"})
	}
	return rows
}

// warningLines lists what the user should know about the token. Pure.
func warningLines(ps *tokens.ProfileState, now time.Time) []string {
	var out []string
	t := ps.Token
	if t == nil {
		return nil
	}
	if c := t.ExpiryConflict; c != nil {
		diff := c.FromExpiresIn.Sub(c.FromJWT)
		if diff < 0 {
			diff = -diff
		}
		out = append(out, fmt.Sprintf("The server's expires_in (expires %s) and the token's exp claim (expires %s) disagree by %s; the earlier time is used.",
			localTime(c.FromExpiresIn, now), localTime(c.FromJWT, now), explain.Duration(diff)))
	}
	if t.ExpirySource == tokens.ExpiryAssumed {
		out = append(out, fmt.Sprintf("The server did not say how long this token lives (no expires_in, no exp claim); its lifetime of %s is an assumption from the profile's settings.",
			explain.Duration(t.Lifetime())))
	}
	return out
}

// errorRows details the last fetch error: the server's answer field by
// field when it is a tokens.ServerError. Pure.
func errorRows(err error) []kv {
	var se *tokens.ServerError
	if err == nil || !errors.As(err, &se) {
		return nil
	}
	var rows []kv
	rows = append(rows, kv{Key: "HTTP status", Value: strconv.Itoa(se.Status)})
	if se.Code != "" {
		rows = append(rows, kv{Key: "error", Value: se.Code})
	}
	if se.Description != "" {
		rows = append(rows, kv{Key: "error_description", Value: se.Description})
	}
	if se.URI != "" {
		rows = append(rows, kv{Key: "error_uri", Value: se.URI})
	}
	if se.Excerpt != "" {
		rows = append(rows, kv{Key: "Response", Value: se.Excerpt})
	}
	if se.RetryAfter > 0 {
		rows = append(rows, kv{Key: "Retry-After", Value: explain.Duration(se.RetryAfter)})
	}
	return rows
}

// knownClaims are shown first, in this order, with a short explanation.
var knownClaims = []struct{ name, word string }{
	{"iss", "issuer"},
	{"sub", "subject"},
	{"aud", "audience"},
	{"scope", ""},
	{"scp", ""},
	{"azp", "authorized party"},
	{"client_id", "client"},
	{"iat", "issued at"},
	{"nbf", "not before"},
	{"exp", "expires"},
}

// timeClaims are NumericDate claims shown as local times.
var timeClaims = map[string]bool{"iat": true, "nbf": true, "exp": true, "auth_time": true}

// claimRows lists JWT claims: the registered ones first with local times
// for the dates, then every other claim by name. Pure.
func claimRows(claims map[string]any, now time.Time) []kv {
	var rows []kv
	seen := map[string]bool{}
	for _, k := range knownClaims {
		v, ok := claims[k.name]
		if !ok {
			continue
		}
		seen[k.name] = true
		key := k.name
		if k.word != "" {
			key += " (" + k.word + ")"
		}
		rows = append(rows, kv{Key: key, Value: claimValue(k.name, v, now)})
	}
	var rest []string
	for k := range claims {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		rows = append(rows, kv{Key: k, Value: claimValue(k, claims[k], now)})
	}
	return rows
}

// headerRows lists a JOSE header's fields by name. Pure.
func headerRows(h map[string]any) []kv {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	rows := make([]kv, len(keys))
	for i, k := range keys {
		rows[i] = kv{Key: k, Value: claimValue(k, h[k], time.Time{})}
	}
	return rows
}

// claimValue formats one claim value: NumericDates as local times, lists
// joined, objects as compact JSON.
func claimValue(name string, v any, now time.Time) string {
	if timeClaims[name] && !now.IsZero() {
		if secs, ok := numericSeconds(v); ok {
			t := time.Unix(secs, 0)
			return localTimeRel(t, now) + " · " + strconv.FormatInt(secs, 10)
		}
	}
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return "null"
	case []any:
		parts := make([]string, len(x))
		scalar := true
		for i, e := range x {
			switch e.(type) {
			case map[string]any, []any:
				scalar = false
			}
			parts[i] = claimValue("", e, now)
		}
		if scalar {
			sep := ", "
			if name == "scp" || name == "scope" {
				sep = " "
			}
			return strings.Join(parts, sep)
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// numericSeconds reads a JWT NumericDate (json.Number or float64).
func numericSeconds(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, true
		}
		if f, err := x.Float64(); err == nil {
			return int64(f), true
		}
	case float64:
		return int64(x), true
	case int64:
		return x, true
	case int:
		return int64(x), true
	}
	return 0, false
}

// profileRows summarises a profile's settings (never its secrets). Pure.
func profileRows(p tokens.Profile) []kv {
	p = p.Normalized()
	var rows []kv
	if p.TokenURL != "" {
		rows = append(rows, kv{Key: explain.FieldLabel(tokens.FieldTokenURL), Value: tokens.DisplayURL(p.TokenURL)})
	} else {
		rows = append(rows, kv{Key: explain.FieldLabel(tokens.FieldIssuerURL), Value: tokens.DisplayURL(p.IssuerURL) + " (token URL discovered)"})
	}
	rows = append(rows,
		kv{Key: explain.FieldLabel(tokens.FieldClientID), Value: p.ClientID},
		kv{Key: explain.FieldLabel(tokens.FieldAuth), Value: explain.AuthMethod(p.Auth)},
	)
	if len(p.Scopes) > 0 {
		rows = append(rows, kv{Key: "Scopes asked", Value: strings.Join(p.Scopes, " ")})
	}
	if p.Audience != "" {
		rows = append(rows, kv{Key: explain.FieldLabel(tokens.FieldAudience), Value: p.Audience})
	}
	if p.Resource != "" {
		rows = append(rows, kv{Key: explain.FieldLabel(tokens.FieldResource), Value: p.Resource})
	}
	auto := "on, " + explain.Duration(p.RefreshLead) + " before expiry"
	if p.ManualRefresh {
		auto = "off"
	}
	rows = append(rows, kv{Key: explain.FieldLabel(tokens.FieldManualRefresh), Value: auto})
	return rows
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
