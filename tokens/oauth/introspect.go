package oauth

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// Token introspection (RFC 7662) and revocation (RFC 7009): a form POST of
// the token with the profile's client authentication, the same as the
// token request's (applyClientAuth), to an endpoint set on the profile or
// named by its issuer's metadata.

// Introspect implements tokens.Inspector.
func (c *Client) Introspect(ctx context.Context, p tokens.Profile, t *tokens.Token) (*tokens.Introspection, error) {
	r, err := c.inspectRequest(ctx, p, t, tokens.OpIntrospect, "access_token")
	if err != nil {
		return nil, err
	}
	if r.status < 200 || r.status > 299 {
		return nil, r.endpointError(tokens.OpIntrospect)
	}
	doc, err := decodeJSONObject(r.body)
	if err != nil {
		return nil, &tokens.EndpointError{Op: tokens.OpIntrospect, Status: r.status, Problem: tokens.ProblemInvalidJSON}
	}
	active, ok := doc["active"].(bool)
	if !ok {
		return nil, &tokens.EndpointError{Op: tokens.OpIntrospect, Status: r.status, Problem: tokens.ProblemNoActive}
	}
	str := func(k string) string {
		s, _ := doc[k].(string)
		return tokens.Printable(r.red.apply(s), 1000)
	}
	in := &tokens.Introspection{
		Active: active, Scope: str("scope"), ClientID: str("client_id"), Subject: str("sub"),
		Username: str("username"), TokenType: str("token_type"), Issuer: str("iss"),
		ExpiresAt: numericDate(doc["exp"]), IssuedAt: numericDate(doc["iat"]), NotBefore: numericDate(doc["nbf"]),
		Endpoint: r.endpoint,
	}
	switch aud := doc["aud"].(type) {
	case string:
		in.Audience = []string{tokens.Printable(r.red.apply(aud), 1000)}
	case []any:
		for _, a := range aud {
			if s, ok := a.(string); ok && len(in.Audience) < 100 {
				in.Audience = append(in.Audience, tokens.Printable(r.red.apply(s), 1000))
			}
		}
	}
	in.Raw, in.Truncated = shownJSON(doc, r.red)
	return in, nil
}

// Revoke implements tokens.Inspector. RFC 7009 §2.2: the server answers
// 200 for a token it does not know as well; any 2xx counts as revoked.
func (c *Client) Revoke(ctx context.Context, p tokens.Profile, t *tokens.Token) error {
	r, err := c.inspectRequest(ctx, p, t, tokens.OpRevoke, "access_token")
	if err != nil {
		return err
	}
	if r.status < 200 || r.status > 299 {
		return r.endpointError(tokens.OpRevoke)
	}
	return nil
}

// inspectAnswer is an introspection or revocation answer, read whole
// (at most MaxResponseBytes).
type inspectAnswer struct {
	endpoint string
	status   int
	header   http.Header
	body     []byte
	red      *redactor
	now      time.Time
}

func (r *inspectAnswer) endpointError(o tokens.EndpointOp) error {
	se := errorResponse(httpResponse{Status: r.status, Header: r.header, Body: r.body}, r.now, r.red)
	r.red.scrub(se)
	return &tokens.EndpointError{Op: o, Status: r.status, Code: se.Code, Description: se.Description, Excerpt: se.Excerpt, Withheld: se.Withheld}
}

// inspectRequest posts token=… (token_type_hint=hint, the token being
// t.AccessToken) to the profile's endpoint for o, authenticated as the
// token request is.
func (c *Client) inspectRequest(ctx context.Context, p tokens.Profile, t *tokens.Token, o tokens.EndpointOp, hint string) (*inspectAnswer, error) {
	if t == nil || t.AccessToken == "" {
		return nil, fmt.Errorf("%s: no token", o)
	}
	ctx, cancel, p, hc, err := c.begin(ctx, p)
	if err != nil {
		return nil, err
	}
	defer cancel()
	endpoint, tokenEndpoint, err := c.inspectEndpoint(ctx, hc, p, t, o, hint)
	if err != nil {
		return nil, err
	}
	now := c.now()
	form := url.Values{}
	form.Set("token", t.AccessToken)
	form.Set("token_type_hint", hint)
	h := http.Header{}
	h.Set("Accept", "application/json")
	h.Set("User-Agent", "Tokentray")
	host := ""
	for k, v := range p.Headers {
		if strings.EqualFold(k, "Host") {
			host = v
			continue
		}
		h.Set(k, v)
	}
	// RFC 7523 §3: the assertion's audience identifies the authorization
	// server; its token endpoint is what the token request already uses.
	if err := applyClientAuth(p, tokenEndpoint, now, form, h); err != nil {
		return nil, err
	}
	red := newRedactor(p, form.Get("client_assertion"), strings.TrimPrefix(h.Get("Authorization"), "Basic "), t.AccessToken)
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("%w: %s endpoint: %v", tokens.ErrConfig, o, err)
	}
	req.Header = h
	if host != "" {
		req.Host = host
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s request: %w", o, err)
	}
	defer resp.Body.Close()
	body, err := readLimited(resp.Body)
	if err != nil && !errors.Is(err, tokens.ErrResponseTooLarge) {
		return nil, fmt.Errorf("reading %s answer (HTTP %d): %w", o, resp.StatusCode, err)
	}
	if err != nil && resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil, &tokens.EndpointError{Op: o, Status: resp.StatusCode, Problem: tokens.ProblemTooLarge}
	}
	return &inspectAnswer{endpoint: endpoint, status: resp.StatusCode, header: resp.Header, body: body, red: red, now: now}, nil
}

// inspectEndpoint finds where to send an o request for p's token t, and
// the token endpoint (the audience of client assertions): the URL set on
// the profile; else the one in its issuer's metadata; else, for a profile
// with a token URL only, the one in the metadata of the JWT's "iss" when
// that metadata names the profile's token endpoint (for a refresh token,
// see refreshRevocationEndpoint). None: ErrNoEndpoint.
func (c *Client) inspectEndpoint(ctx context.Context, hc *http.Client, p tokens.Profile, t *tokens.Token, o tokens.EndpointOp, hint string) (endpoint, tokenEndpoint string, err error) {
	pick := func(m Metadata) string {
		if o == tokens.OpIntrospect {
			return m.IntrospectionEndpoint
		}
		return m.RevocationEndpoint
	}
	set := p.IntrospectionURL
	if o == tokens.OpRevoke {
		set = p.RevocationURL
	}
	if p.IssuerURL != "" {
		m, err := c.metadata(ctx, hc, anchorsOf(p), p.IssuerURL, p.EndpointOrigins)
		if err != nil {
			return "", "", err
		}
		endpoint := cmp.Or(set, pick(m))
		return endpoint, m.TokenEndpoint, errIfEmpty(endpoint, o)
	}
	if set != "" {
		return set, p.TokenURL, nil
	}
	if hint == "refresh_token" {
		endpoint := c.refreshRevocationEndpoint(ctx, hc, p, t)
		return endpoint, p.TokenURL, errIfEmpty(endpoint, o)
	}
	if m, ok := c.tokenIssuerMetadata(ctx, hc, p, t); ok {
		return pick(m), p.TokenURL, errIfEmpty(pick(m), o)
	}
	return "", "", errIfEmpty("", o)
}

// tokenIssuerMetadata discovers the metadata of t's "iss" (a JWT's, when
// it is an https or loopback URL) for a profile with a token URL only,
// and returns it when it names the profile's token endpoint: then the
// token's issuer is the server the profile asks.
func (c *Client) tokenIssuerMetadata(ctx context.Context, hc *http.Client, p tokens.Profile, t *tokens.Token) (Metadata, bool) {
	iss := jwtIssuer(t)
	if iss == "" || p.TokenURL == "" {
		return Metadata{}, false
	}
	m, err := c.metadata(ctx, hc, anchorsOf(p), iss, tokenURLOrigin(p))
	return m, err == nil && m.TokenEndpoint == p.TokenURL
}

// jwtIssuer is the "iss" of a JWT access token when it is a URL a request
// may go to (CheckEndpointURL), else "".
func jwtIssuer(t *tokens.Token) string {
	info, err := tokens.DecodeJWT(t.AccessToken)
	if err != nil {
		return ""
	}
	iss, _ := info.Claims["iss"].(string)
	if tokens.CheckEndpointURL(iss) != nil {
		return ""
	}
	return iss
}

func errIfEmpty(endpoint string, o tokens.EndpointOp) error {
	if endpoint != "" {
		return nil
	}
	return &tokens.NoEndpointError{Op: o}
}

// numericDate reads a JSON NumericDate (seconds since the epoch); zero
// when absent or unusable.
func numericDate(v any) time.Time {
	var secs float64
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		if err != nil {
			return time.Time{}
		}
		secs = f
	case float64:
		secs = n
	default:
		return time.Time{}
	}
	if secs <= 0 || secs > 1e11 {
		return time.Time{}
	}
	return time.Unix(int64(secs), 0).UTC()
}

// shownJSON renders doc indented for display: redacted, each line made
// printable (indentation kept), at most MaxIntrospectionShown bytes.
func shownJSON(doc map[string]any, red *redactor) (string, bool) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return "", false
	}
	var out strings.Builder
	for line := range strings.Lines(red.apply(buf.String())) {
		trimmed := strings.TrimLeft(line, " ")
		indent := line[:len(line)-len(trimmed)]
		s := indent + tokens.Printable(trimmed, tokens.MaxIntrospectionShown) + "\n"
		if room := tokens.MaxIntrospectionShown - out.Len(); len(s) > room {
			// Printable counts runes (at most 4 bytes each) and adds "…".
			out.WriteString(indent + tokens.Printable(trimmed, max(room-len(indent)-3, 0)/4))
			return out.String(), true
		}
		out.WriteString(s)
	}
	return strings.TrimSuffix(out.String(), "\n"), false
}
