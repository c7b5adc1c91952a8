package oauth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// Decoding a token endpoint answer's body into its fields: a JSON object,
// or form encoding for the servers that answer so, whatever the content
// type claims; anything else (HTML, empty, not an object) is the problem
// the *ServerError names.

// decodeFields decodes a successful body as a JSON object or, for
// GitHub-style servers, as a form-encoded one. JSON numbers are kept as
// json.Number so that large integers survive for display. A body that is
// neither is a *ServerError naming the problem.
func decodeFields(r httpResponse, red *redactor) (map[string]any, *tokens.ServerError) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	mt = strings.ToLower(mt)
	trimmed := bytes.TrimSpace(r.Body)
	fail := func(p tokens.ResponseProblem) (map[string]any, *tokens.ServerError) {
		se := &tokens.ServerError{Status: r.Status, Problem: p, ContentType: tokens.Printable(mt, 60)}
		if p == tokens.ProblemHTML || p == tokens.ProblemContentType {
			se.Excerpt = excerpt(r.Body, red)
		}
		return nil, se
	}
	switch {
	case len(trimmed) == 0:
		return fail(tokens.ProblemEmptyBody)
	case mt == "application/x-www-form-urlencoded":
		if f, err := decodeForm(trimmed); err == nil {
			return f, nil
		}
		return fail(tokens.ProblemContentType)
	case mt == "application/json" || strings.HasSuffix(mt, "+json") || bytes.HasPrefix(trimmed, []byte("{")):
		f, err := decodeJSONObject(trimmed)
		if err == nil {
			return f, nil
		}
		if looksLikeHTML(trimmed) {
			return fail(tokens.ProblemHTML)
		}
		_, se := fail(tokens.ProblemInvalidJSON)
		se.Detail = err.Error()
		return nil, se
	case mt == "text/html" || mt == "application/xhtml+xml" || looksLikeHTML(trimmed):
		return fail(tokens.ProblemHTML)
	}
	// Unknown or missing content type: accept a form body that carries the
	// OAuth fields (some servers send text/plain), refuse anything else.
	if f, err := decodeForm(trimmed); err == nil && (f["access_token"] != nil || f["error"] != nil) {
		return f, nil
	}
	if mt == "" {
		mt = "none"
	}
	return fail(tokens.ProblemContentType)
}

// looksLikeHTML reports whether a body starts like an HTML document.
func looksLikeHTML(b []byte) bool {
	head := strings.ToLower(string(b[:min(len(b), 512)]))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		(strings.HasPrefix(head, "<") && (strings.Contains(head, "<body") || strings.Contains(head, "<head") || strings.Contains(head, "<title")))
}

func decodeJSONObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, fmt.Errorf("response is not a JSON object")
	}
	if dec.More() {
		return nil, fmt.Errorf("response has data after the JSON object")
	}
	return m, nil
}

func decodeForm(b []byte) (map[string]any, error) {
	vals, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, fmt.Errorf("response is not valid form encoding")
	}
	m := make(map[string]any, len(vals))
	for k, v := range vals {
		if len(v) > 0 {
			m[k] = v[0]
		}
	}
	return m, nil
}
