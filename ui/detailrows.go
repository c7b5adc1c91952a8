package ui

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
)

// rowState is what a profile's list row and the details header show at
// now: the countdown, the state in words, the share of lifetime left, the
// severity. Pure.
type rowState struct {
	Text     string // countdown with state, for the details header: "41:07 left · refresh failing"
	Short    string // countdown alone for the list: "41:07", or "—" without a valid token
	Detail   string // state in words for the list: "expiring soon", "expired 3 min ago"
	Fraction float64
	Sev      severity
	Status   tokens.Status
	HasToken bool // a valid token is held
}

func computeRowState(ps *tokens.ProfileState, now time.Time) rowState {
	st := ps.StatusAt(now)
	valid := ps.Token.ValidFor(now, time.Nanosecond)
	r := rowState{Sev: severityOf(ps, now), Status: st, HasToken: valid, Short: "—"}
	if valid {
		r.Short = clockLeft(ps.TimeLeft(now))
		if life := ps.Token.Lifetime(); life > 0 {
			r.Fraction = min(max(float64(ps.TimeLeft(now))/float64(life), 0), 1)
		}
	}
	switch st {
	case tokens.StatusFresh:
		r.Detail = "fresh"
		if ps.LastError != nil {
			r.Detail = "refresh failing, retrying"
		} else if !ps.NextRefresh.IsZero() && ps.NextRefresh.After(now) {
			r.Detail = "fresh · refresh in " + coarseLeft(ps.NextRefresh.Sub(now))
		} else if ps.Profile.ManualRefresh {
			r.Detail = "fresh · auto-refresh off"
		}
	case tokens.StatusRefreshing:
		r.Detail = "refreshing…"
		if !valid {
			r.Detail = "fetching a token…"
		}
	case tokens.StatusExpiringSoon:
		r.Detail = "expiring soon"
		if ps.LastError != nil {
			r.Detail = "expiring soon · refresh failing"
		}
	case tokens.StatusFailed:
		r.Detail = "refresh failed"
		if ps.Stopped {
			r.Detail = "refresh failed · stopped"
		}
	case tokens.StatusExpired:
		r.Detail = "expired " + ago(ps.Token.ExpiresAt, now)
		switch {
		case ps.LastError != nil && ps.Stopped:
			r.Detail += " · refresh stopped"
		case ps.LastError != nil:
			r.Detail += " · refresh failing"
		}
	default:
		r.Detail = "no token yet"
		if ps.Profile.ManualRefresh {
			r.Detail = "no token yet · fetched when you copy"
		}
	}
	if valid {
		r.Text = r.Short + " left"
		if st != tokens.StatusFresh || ps.LastError != nil {
			r.Text += " · " + r.Detail
		}
	} else {
		r.Text = sentence(r.Detail)
	}
	return r
}

// timingRows lists the token's times and the refresh schedule. Pure.
func timingRows(ps *tokens.ProfileState, now time.Time) []kv {
	var rows []kv
	if t := ps.Token; t != nil {
		rows = append(rows,
			kv{Key: "Issued at", Value: localTimeRel(t.IssuedAt, now)},
			kv{Key: "Expires at", Value: localTimeRel(t.ExpiresAt, now)},
			kv{Key: "Lifetime", Value: humanDuration(t.Lifetime().Round(time.Second)) + " (" + expirySourceWord(t.ExpirySource) + ")"},
		)
	}
	last := "never"
	if !ps.LastRefresh.IsZero() {
		last = localTimeRel(ps.LastRefresh, now)
	}
	rows = append(rows, kv{Key: "Last refresh", Value: last})
	if ps.LastError != nil && !ps.LastAttempt.IsZero() {
		rows = append(rows, kv{Key: "Last attempt", Value: localTimeRel(ps.LastAttempt, now) + " · failed", Imp: widget.DangerImportance})
	}
	var next string
	switch {
	case ps.Refreshing:
		next = "under way"
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
		rows = append(rows, kv{Key: "Refresh lead", Value: humanDuration(ps.RefreshLead().Round(time.Second)) +
			" before expiry (half the token's lifetime; " + humanDuration(conf) + " configured)"})
	}
	return rows
}

func expirySourceWord(s tokens.ExpirySource) string {
	switch s {
	case tokens.ExpiryFromExpiresIn:
		return "from expires_in"
	case tokens.ExpiryFromJWT:
		return "from the JWT exp claim"
	case tokens.ExpiryAssumed:
		return "assumed"
	}
	return string(s)
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
			localTime(c.FromExpiresIn, now), localTime(c.FromJWT, now), humanDuration(diff.Round(time.Second))))
	}
	if t.ExpirySource == tokens.ExpiryAssumed {
		out = append(out, fmt.Sprintf("The server did not say how long this token lives (no expires_in, no exp claim); its lifetime of %s is an assumption from the profile's settings.",
			humanDuration(t.Lifetime().Round(time.Second))))
	}
	return out
}

// errorRows details the last fetch error: the server's answer field by
// field when it is a tokens.ServerError. Pure.
func errorRows(err error) []kv {
	se, ok := asServerError(err)
	if !ok {
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
		rows = append(rows, kv{Key: "Retry-After", Value: humanDuration(se.RetryAfter.Round(time.Second))})
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
		rows = append(rows, kv{Key: "Token URL", Value: tokens.DisplayURL(p.TokenURL)})
	} else {
		rows = append(rows, kv{Key: "Issuer", Value: tokens.DisplayURL(p.IssuerURL) + " (token URL discovered)"})
	}
	rows = append(rows,
		kv{Key: "Client ID", Value: p.ClientID},
		kv{Key: "Authentication", Value: authMethodWord(p.Auth)},
	)
	if len(p.Scopes) > 0 {
		rows = append(rows, kv{Key: "Scopes asked", Value: strings.Join(p.Scopes, " ")})
	}
	if p.Audience != "" {
		rows = append(rows, kv{Key: "Audience", Value: p.Audience})
	}
	if p.Resource != "" {
		rows = append(rows, kv{Key: "Resource", Value: p.Resource})
	}
	auto := "on, " + humanDuration(p.RefreshLead) + " before expiry"
	if p.ManualRefresh {
		auto = "off"
	}
	rows = append(rows, kv{Key: "Auto-refresh", Value: auto})
	return rows
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
