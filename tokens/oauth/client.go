package oauth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// DefaultTimeout bounds one Fetch (discovery included) when
// ClientOptions.Timeout is zero.
const DefaultTimeout = tokens.DefaultFetchTimeout

// ClientOptions configures a Client. The zero value is usable.
type ClientOptions struct {
	// Now is the clock; nil means time.Now. It stamps Token.IssuedAt,
	// client assertions, Retry-After dates and certificate validity checks.
	Now func() time.Time
	// Timeout bounds each Fetch, discovery included; zero means DefaultTimeout.
	// The caller's context still applies.
	Timeout time.Duration
	// HTTPClient, when set, sends the requests. Profiles with a CA bundle or
	// a TLS client certificate get a clone of its Transport (which must then
	// be nil or an *http.Transport) carrying their TLS settings. An
	// *http.Transport (or nil: http.DefaultTransport) is cloned, and plain
	// http requests (loopback only) go through a copy that never uses a
	// proxy and dials only loopback addresses; any other RoundTripper is
	// used as is. Its CheckRedirect is replaced: token requests never follow
	// redirects, and discovery follows them only to URLs CheckEndpointURL
	// accepts on the issuer's origin or one the profile allows.
	HTTPClient *http.Client
}

// Client performs the OAuth 2.0 client credentials grant (RFC 6749 §4.4),
// and for the sign-in grants the refresh (Grant), the browser sign-in
// (SignIn) and the device sign-in (DeviceSignIn). It implements Fetcher,
// tokens.Granter and tokens.Inspector and is safe for concurrent
// use. It keeps HTTP transports (one per distinct TLS setup, so repeated
// fetches reuse connections), discovered metadata and fetched JWK sets;
// CloseIdleConnections releases idle connections.
type Client struct {
	now     func() time.Time
	timeout time.Duration
	base    *http.Client

	mu         sync.Mutex
	plain      *http.Client            // profiles without TLS settings
	transports map[string]*tlsClient   // by tlsKey
	lru        []string                // tlsKeys, least recently used first
	discovered map[string]discoveredAt // by discoveryKey (trust anchors, issuer, allowed origins)
	keySets    map[string]*keySet      // JWKS by trust anchors and URL, see jwks.go
}

// NewClient returns a Client using o.
func NewClient(o ClientOptions) *Client {
	c := &Client{now: o.Now, timeout: o.Timeout, base: o.HTTPClient,
		transports: make(map[string]*tlsClient), discovered: make(map[string]discoveredAt),
		keySets: make(map[string]*keySet)}
	if c.now == nil {
		c.now = time.Now
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	return c
}

// Fetch makes one client credentials token request for p and returns the
// new token (a profile of a sign-in grant gets an error wrapping
// tokens.ErrSignInNeeded: its tokens come from Grant). Before
// that it validates p (a *ValidationError names the bad fields) and, for an
// IssuerURL profile, discovers the token endpoint unless cached.
//
// Errors: *ServerError for refusals and unusable 2xx answers (Problem says
// why an answer is not a token response; Class says whether retrying can
// help); errors wrapping ErrConfig for unusable key material, certificates,
// CA bundles or discovery documents (*tokens.IssuerMismatchError among them);
// other errors (network, timeout) are transient. A returned token has an
// RFC 6750 b64token access token. Errors never contain the client secret,
// the client assertion, the key or a token in any encoding: the server's
// text is redacted (see MinRedactableSecret) and made printable.
func (c *Client) Fetch(ctx context.Context, p tokens.Profile) (*tokens.Token, error) {
	tok, _, err := c.fetch(ctx, tokens.TokenRequest{Profile: p})
	return tok, err
}

// fetch makes the token request r (Fetch, Grant): the token, and the
// refresh token of the answer apart ("" when none).
func (c *Client) fetch(ctx context.Context, r tokens.TokenRequest) (*tokens.Token, apart, error) {
	if err := r.Check(); err != nil {
		return nil, apart{}, err
	}
	ctx, cancel, p, hc, err := c.begin(ctx, r.Profile)
	if err != nil {
		return nil, apart{}, err
	}
	defer cancel()
	r.Profile = p
	endpoint := p.TokenURL
	if endpoint == "" {
		if endpoint, err = c.tokenEndpoint(ctx, hc, anchorsOf(p), p.IssuerURL, p.EndpointOrigins); err != nil {
			return nil, apart{}, err
		}
	}
	tok, refresh, err := c.post(ctx, hc, r, endpoint)
	if err != nil && p.IssuerURL != "" && errNotOAuth(err) {
		c.forgetEndpoint(anchorsOf(p), p.IssuerURL, p.EndpointOrigins)
	}
	return tok, refresh, err
}

// begin is the start of every request made for a profile (Fetch,
// Introspect, Revoke): p validated (a *ValidationError names the bad
// fields) and normalized, ctx bounded by the Client's timeout, and the
// HTTP client for p's TLS settings. The caller defers cancel when err is
// nil.
func (c *Client) begin(ctx context.Context, p tokens.Profile) (context.Context, context.CancelFunc, tokens.Profile, *http.Client, error) {
	if err := p.Validate(); err != nil {
		return nil, nil, p, nil, err
	}
	p = p.Normalized()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	hc, err := c.httpClient(p)
	if err != nil {
		cancel()
		return nil, nil, p, nil, err
	}
	return ctx, cancel, p, hc, nil
}

// post sends the token request, parses the answer (the token, and its
// refresh token apart) and reports the exchange to the recorder of ctx
// (see recordLogEntry).
func (c *Client) post(ctx context.Context, hc *http.Client, r tokens.TokenRequest, endpoint string) (*tokens.Token, apart, error) {
	p := r.Profile
	req, red, shown, err := newTokenRequest(ctx, r, endpoint, c.now())
	if err != nil {
		return nil, apart{}, err
	}
	started := c.now()
	resp, err := hc.Do(req)
	if err != nil {
		recordLogEntry(ctx, red, req, shown, started, c.now().Sub(started), answer{err: err})
		return nil, apart{}, fmt.Errorf("token request: %w", withDisplayURL(err))
	}
	defer resp.Body.Close()
	now := c.now()
	body, err := readLimited(resp.Body)
	tok, refresh, err := c.parse(resp, body, err, now, p, red)
	recordLogEntry(ctx, red, req, shown, started, c.now().Sub(started), answer{status: resp.StatusCode, header: resp.Header, body: body, tok: tok})
	return tok, refresh, err
}

// parse makes a token and its refresh token, or the error, of an answer
// whose body was read with readErr.
func (c *Client) parse(resp *http.Response, body []byte, readErr error, now time.Time, p tokens.Profile, red *redactor) (*tokens.Token, apart, error) {
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	switch {
	case errors.Is(readErr, tokens.ErrResponseTooLarge) && !ok:
		// An error page is still worth an excerpt.
	case errors.Is(readErr, tokens.ErrResponseTooLarge):
		return nil, apart{}, fmt.Errorf("%w: %w", &tokens.ServerError{Status: resp.StatusCode, Problem: tokens.ProblemTooLarge, ContentType: tokens.Printable(resp.Header.Get("Content-Type"), 60)}, readErr)
	case readErr != nil:
		return nil, apart{}, fmt.Errorf("reading token response (HTTP %d): %w", resp.StatusCode, readErr)
	}
	return parseTokenAnswer(httpResponse{Status: resp.StatusCode, Header: resp.Header, Body: body}, now, p.AssumedLifetime, red)
}

// newTokenRequest builds the POST for p at endpoint, the redactor of
// everything secret it sends (for the errors made from the answer), and
// the request as the request log shows it.
func newTokenRequest(ctx context.Context, r tokens.TokenRequest, endpoint string, now time.Time) (*http.Request, *redactor, shownRequest, error) {
	p := r.Profile
	body, h, host := requestParts(p)
	grantParts(r, body)
	if err := applyClientAuth(p, endpoint, now, body, h); err != nil {
		return nil, nil, shownRequest{}, err
	}
	// A broken proxy may echo the request: keep its credentials out of errors.
	red := newRedactor(p, append(grantSecrets(r), body.Get("client_assertion"), strings.TrimPrefix(h.Get("Authorization"), "Basic "))...)

	encoded, contentType, err := encodeBody(p.Body, body)
	if err != nil {
		return nil, nil, shownRequest{}, err
	}
	h.Set("Content-Type", contentType)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(encoded))
	if err != nil {
		return nil, nil, shownRequest{}, fmt.Errorf("%w: %s: %v", tokens.ErrConfig, tokens.FieldTokenURL, withDisplayURL(err))
	}
	req.Header = h
	if host != "" {
		req.Host = host
	}
	return req, red, showRequest(p.Body, body, h, host), nil
}

// requestParts returns the body parameters and headers of p's token
// request before client authentication, and the Host header override
// ("" for none). RequestShape describes the same request.
func requestParts(p tokens.Profile) (body url.Values, h http.Header, host string) {
	body = url.Values{}
	body.Set("grant_type", "client_credentials")
	setAsked(body, p)
	for k, v := range p.Params {
		body.Set(k, v)
	}
	h = http.Header{}
	h.Set("Accept", "application/json")
	h.Set("User-Agent", "Tokentray")
	for k, v := range p.Headers {
		if strings.EqualFold(k, "Host") {
			host = v
			continue
		}
		h.Set(k, v)
	}
	return body, h, host
}

// encodeBody encodes the token request's parameters as a form (RFC 6749)
// or, for tokens.BodyJSON, as a flat JSON object of strings, and returns
// the Content-Type that goes with it.
func encodeBody(enc tokens.BodyEncoding, body url.Values) ([]byte, string, error) {
	if enc == tokens.BodyJSON {
		obj := make(map[string]string, len(body))
		for k := range body {
			obj[k] = body.Get(k)
		}
		b, err := json.Marshal(obj)
		if err != nil {
			return nil, "", fmt.Errorf("encoding request: %w", err)
		}
		return b, "application/json", nil
	}
	return []byte(body.Encode()), "application/x-www-form-urlencoded", nil
}

// readLimited reads at most tokens.MaxResponseBytes; a longer body returns the
// first tokens.MaxResponseBytes and an error wrapping tokens.ErrResponseTooLarge.
func readLimited(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, tokens.MaxResponseBytes+1))
	if err != nil {
		return b, err
	}
	if len(b) > tokens.MaxResponseBytes {
		return b[:tokens.MaxResponseBytes], tokens.ErrResponseTooLarge
	}
	return b, nil
}

// setAsked sets in v what p asks the server for: its scopes (blank ones
// dropped, space-separated), audience and resource, each only when set.
// The token request and the authorization request share it.
func setAsked(v url.Values, p tokens.Profile) {
	if scopes := slices.DeleteFunc(slices.Clone(p.Scopes), func(s string) bool { return strings.TrimSpace(s) == "" }); len(scopes) > 0 {
		v.Set("scope", strings.Join(scopes, " "))
	}
	if p.Audience != "" {
		v.Set("audience", p.Audience)
	}
	if p.Resource != "" {
		v.Set("resource", p.Resource)
	}
}
