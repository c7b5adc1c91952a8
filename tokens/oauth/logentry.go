package oauth

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// The request log: every token request is reported to the context's
// exchange recorder (tokens.WithLogRecorder) as a tokens.LogEntry
// that is safe to show. What is secret is taken out twice over: by
// structure (the tokens.SecretFields parameters: client_secret,
// client_assertion, refresh_token…, the Authorization credential and
// credential-like headers are replaced whatever their length), then by the
// request's redactor over every string (a server or proxy may echo a
// secret anywhere). The access token and other tokens in the answer are
// masked as the window masks them (tokens.MaskToken); the values of
// tokens.SecretFields (a refresh token) are replaced whole.

// shownRequest is the request part of an LogEntry, built from the request
// before its body is encoded.
type shownRequest struct {
	header []tokens.HeaderField
	body   string
}

// showRequest renders the request headers and body of a token request as
// they will be sent, with the secret parameters and credential headers
// replaced by Redacted. body and h are not changed.
func showRequest(enc tokens.BodyEncoding, body url.Values, h http.Header, host string) shownRequest {
	shownBody := url.Values{}
	for k, vs := range body {
		if tokens.IsSecretField(k) {
			vs = []string{Redacted}
		}
		shownBody[k] = vs
	}
	b, _, _ := encodeBody(enc, shownBody)
	text := strings.ReplaceAll(string(b), url.QueryEscape(Redacted), Redacted)
	var fields []tokens.HeaderField
	if host != "" {
		fields = append(fields, tokens.HeaderField{Name: "Host", Value: host})
	}
	for _, k := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[k] {
			switch {
			case strings.EqualFold(k, "Authorization"):
				scheme, _, _ := strings.Cut(v, " ")
				v = scheme + " " + Redacted
			case tokens.LooksSecret(k):
				v = Redacted
			}
			fields = append(fields, tokens.HeaderField{Name: k, Value: v})
		}
	}
	return shownRequest{header: fields, body: text}
}

// answer is what came back for an LogEntry: the response, or the error of
// a request that got none.
type answer struct {
	status int
	header http.Header
	body   []byte
	tok    *tokens.Token // the parsed token, when the answer was one
	err    error         // the transport error, when there was no answer
}

// recordLogEntry reports one token request and its answer to the
// recorder of ctx, if any: the one place the request log meets the
// redactor. Every string goes through red; with a secret too short to
// find safely (red.withhold), the server's headers and body are not kept.
func recordLogEntry(ctx context.Context, red *redactor, req *http.Request, shown shownRequest, started time.Time, took time.Duration, a answer) {
	if !tokens.HasLogRecorder(ctx) {
		return
	}
	clean := func(s string, n int) string { return tokens.Printable(red.apply(s), n) }
	x := tokens.LogEntry{
		Started: started, Duration: took,
		Method: req.Method, URL: clean(req.URL.String(), tokens.MaxURLLen),
		Status: a.status,
	}
	for _, f := range shown.header {
		x.RequestHeader = append(x.RequestHeader, tokens.HeaderField{Name: clean(f.Name, 200), Value: clean(f.Value, 4096)})
	}
	x.RequestBody, _ = tokens.PrintableText(red.apply(shown.body), tokens.MaxLogBody)
	if a.err != nil {
		x.Err = clean(a.err.Error(), 1000)
	}
	switch {
	case red != nil && red.withhold && (len(a.body) > 0 || len(a.header) > 0):
		x.Withheld = true
	case a.status != 0:
		for _, k := range slices.Sorted(maps.Keys(a.header)) {
			for _, v := range a.header[k] {
				if tokens.LooksSecret(k) && !strings.EqualFold(k, "WWW-Authenticate") {
					v = Redacted
				}
				x.ResponseHeader = append(x.ResponseHeader, tokens.HeaderField{Name: clean(k, 200), Value: clean(v, 4096)})
			}
		}
		// Redacted and masked before the cut, so no cut leaves part of a secret.
		body := maskTokens(red.apply(string(a.body)), a)
		x.ResponseBody, x.BodyCut = tokens.PrintableText(body, tokens.MaxLogBody)
	}
	tokens.RecordLogEntry(ctx, x)
}

// maskTokens replaces, in a response body, the access token and every
// other token-like field by its mask, and the values of tokens.SecretFields
// (refresh_token, id_token…) by Redacted.
func maskTokens(body string, a answer) string {
	var values []string
	secret := map[string]bool{}
	if a.tok != nil {
		values = append(values, a.tok.AccessToken)
	}
	trimmed := bytes.TrimSpace(a.body)
	fields, err := decodeJSONObject(trimmed)
	if err != nil {
		fields, _ = decodeForm(trimmed)
	}
	for k, v := range fields {
		s, ok := v.(string)
		switch {
		case ok && tokens.IsSecretField(k):
			values, secret[s] = append(values, s), true
		case ok && strings.Contains(strings.ToLower(k), "token") && !strings.HasSuffix(strings.ToLower(k), "_type"):
			values = append(values, s)
		}
	}
	// Longest first, so a token containing another is masked whole.
	slices.SortFunc(values, func(a, b string) int { return len(b) - len(a) })
	for _, v := range values {
		if v == "" {
			continue
		}
		m := tokens.MaskToken(v)
		if secret[v] {
			m = Redacted
		}
		quoted, _ := json.Marshal(v)
		for _, form := range []string{v, strings.ReplaceAll(v, "/", `\/`), url.QueryEscape(v), string(quoted[1 : len(quoted)-1])} {
			body = strings.ReplaceAll(body, form, m)
		}
	}
	return body
}
