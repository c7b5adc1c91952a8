package oauth

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// The device authorization grant (RFC 8628): Tokentray asks the device
// authorization endpoint for a user code, shows it with the address to
// enter it at, and polls the token endpoint until the person has signed
// in there (on a phone, or another computer: the answer for SSH sessions
// and machines without a browser).

// Polling as RFC 8628 §3.5 says.
const (
	// DefaultDeviceInterval is the wait between polls when the server
	// names none.
	DefaultDeviceInterval = 5 * time.Second
	// DeviceSlowDown is added to the interval at each slow_down.
	DeviceSlowDown = 5 * time.Second
	// DefaultDeviceLifetime bounds the polling when the server names no
	// expires_in.
	DefaultDeviceLifetime = tokens.DefaultDeviceLifetime
)

// DeviceCode and DeviceOptions are the domain's (tokens.Signer).
type (
	DeviceCode    = tokens.DeviceCode
	DeviceOptions = tokens.DeviceOptions
)

// deviceAuth is a device authorization answer: what the person is shown,
// and the device code it is redeemed with, which stays here.
type deviceAuth struct {
	DeviceCode
	deviceCode string
}

// Errors that end a device sign-in (RFC 8628 §3.5): the domain's
// (tokens.ErrDeviceDenied, tokens.ErrDeviceExpired), so the wording layer
// knows them; each wraps the server's *tokens.ServerError when it said so.
var (
	ErrDeviceDenied  = tokens.ErrDeviceDenied
	ErrDeviceExpired = tokens.ErrDeviceExpired
)

// DeviceSignIn signs a person in for p (grant device_code): it asks for a
// user code, shows it (opts.Show), and polls the token endpoint at the
// server's interval (DefaultDeviceInterval when it names none, 5 s more
// at each slow_down) while the answer is authorization_pending, until the
// person signs in, declines (ErrDeviceDenied), the codes expire
// (ErrDeviceExpired), or ctx ends (cancel stops it at once). It returns
// the result of the token request that succeeded; the caller stores it
// (tokens.KeepSignIn).
//
// Errors: also p's *ValidationError, discovery errors, the device
// authorization endpoint's refusal (*tokens.ServerError), any other token
// endpoint error. Safe for concurrent use.
func (c *Client) DeviceSignIn(ctx context.Context, p tokens.Profile, opts DeviceOptions) (*tokens.TokenResult, error) {
	d, err := c.deviceCode(ctx, p)
	if err != nil {
		return nil, err
	}
	if opts.Show != nil {
		opts.Show(d.DeviceCode)
	}
	sleep := opts.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	interval := d.Interval
	for {
		if err := sleep(ctx, interval); err != nil {
			return nil, err
		}
		if !c.now().Before(d.ExpiresAt) {
			return nil, ErrDeviceExpired
		}
		res, err := c.Grant(ctx, tokens.TokenRequest{Profile: p, DeviceCode: d.deviceCode})
		var se *tokens.ServerError
		if err == nil {
			return c.deviceIDToken(ctx, p, res)
		}
		if !errors.As(err, &se) {
			return nil, err
		}
		switch se.Code {
		case "authorization_pending":
		case "slow_down":
			interval += DeviceSlowDown
		case "access_denied":
			return nil, fmt.Errorf("%w: %w", ErrDeviceDenied, err)
		case "expired_token":
			return nil, fmt.Errorf("%w: %w", ErrDeviceExpired, err)
		default:
			return nil, err
		}
	}
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// deviceCode makes the device authorization request (RFC 8628 §3.1) for
// p, authenticated as its token requests are, reports it to the request
// log of ctx, and reads the answer (§3.2).
func (c *Client) deviceCode(ctx context.Context, p tokens.Profile) (*deviceAuth, error) {
	ctx, cancel, p, hc, err := c.begin(ctx, p)
	if err != nil {
		return nil, err
	}
	defer cancel()
	if p.Grant != tokens.GrantDeviceCode {
		return nil, fmt.Errorf("%w: %s: %s does not sign in with the device grant", tokens.ErrConfig, tokens.FieldGrant, p.Grant)
	}
	endpoint, tokenEndpoint := p.DeviceAuthorizationURL, p.TokenURL
	if p.IssuerURL != "" {
		m, err := c.metadata(ctx, hc, anchorsOf(p), p.IssuerURL, p.EndpointOrigins)
		if err != nil {
			return nil, err
		}
		endpoint, tokenEndpoint = cmp.Or(endpoint, m.DeviceAuthorizationEndpoint), m.TokenEndpoint
	}
	if endpoint == "" {
		return nil, fmt.Errorf("%w: %s: the issuer's metadata names no device_authorization_endpoint; give the device authorization URL", tokens.ErrConfig, tokens.FieldDeviceAuthorizationURL)
	}
	body, h, host := requestParts(p)
	body.Del("grant_type")
	// RFC 7523 §3: an assertion's audience is the token endpoint.
	if err := applyClientAuth(p, tokenEndpoint, c.now(), body, h); err != nil {
		return nil, err
	}
	red := newRedactor(p, body.Get("client_assertion"), strings.TrimPrefix(h.Get("Authorization"), "Basic "))
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader([]byte(body.Encode())))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", tokens.ErrConfig, tokens.FieldDeviceAuthorizationURL, withDisplayURL(err))
	}
	req.Header = h
	if host != "" {
		req.Host = host
	}
	// In the request log as a token request is (the answer's device_code
	// is a secret field: redacted whole).
	shown := showRequest(tokens.BodyForm, body, h, host)
	started := c.now()
	resp, err := hc.Do(req)
	if err != nil {
		recordLogEntry(ctx, red, req, shown, started, c.now().Sub(started), answer{err: err})
		return nil, fmt.Errorf("oauth: device authorization request: %w", withDisplayURL(err))
	}
	defer resp.Body.Close()
	raw, err := readLimited(resp.Body)
	recordLogEntry(ctx, red, req, shown, started, c.now().Sub(started), answer{status: resp.StatusCode, header: resp.Header, body: raw})
	if err != nil {
		return nil, fmt.Errorf("oauth: reading the device authorization answer (HTTP %d): %w", resp.StatusCode, err)
	}
	r := httpResponse{Status: resp.StatusCode, Header: resp.Header, Body: raw}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		se := errorResponse(r, c.now(), red)
		red.scrub(se)
		return nil, se
	}
	return deviceAnswer(raw, c.now())
}

// deviceAnswer reads a device authorization answer (RFC 8628 §3.2).
func deviceAnswer(raw []byte, now time.Time) (*deviceAuth, error) {
	fields, err := decodeJSONObject(bytes.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("oauth: the device authorization answer: %w", err)
	}
	str := func(k string) string { s, _ := fields[k].(string); return s }
	d := &deviceAuth{deviceCode: str("device_code"), DeviceCode: DeviceCode{UserCode: tokens.Printable(str("user_code"), 100),
		VerificationURI: str("verification_uri"), VerificationURIComplete: str("verification_uri_complete"),
		Interval: DefaultDeviceInterval}}
	if d.VerificationURI == "" {
		d.VerificationURI = str("verification_url") // Google's older spelling
	}
	if d.deviceCode == "" || d.UserCode == "" || d.VerificationURI == "" {
		return nil, errors.New("oauth: the device authorization answer lacks device_code, user_code or verification_uri")
	}
	// Where the person is sent must be a web address they can trust.
	for _, u := range []*string{&d.VerificationURI, &d.VerificationURIComplete} {
		if *u != "" && tokens.CheckEndpointURL(*u) != nil {
			return nil, fmt.Errorf("oauth: the device authorization answer's verification address is not https: %s", tokens.Printable(*u, 200))
		}
		*u = tokens.Printable(*u, tokens.MaxURLLen)
	}
	life := DefaultDeviceLifetime
	if v, ok := parseExpiresIn(fields["expires_in"]); ok && v > 0 {
		life = v
	}
	d.ExpiresAt = now.Add(life)
	if v, ok := parseExpiresIn(fields["interval"]); ok && v > 0 {
		d.Interval = v
	}
	return d, nil
}

// deviceIDToken checks the ID token of a device sign-in with openid in
// its scopes, when the answer has one, as a browser sign-in's
// (checkIDToken) but without a nonce: the device grant sends none (RFC
// 8628 has no authorization request), so the token must carry none. Its
// claims become the token's ID; the ID token itself is never returned.
func (c *Client) deviceIDToken(ctx context.Context, p tokens.Profile, res *tokens.TokenResult) (*tokens.TokenResult, error) {
	raw := res.IDToken
	res.IDToken = ""
	if raw == "" || !wantsIDToken(p) {
		return res, nil
	}
	id, err := c.checkIDToken(ctx, p, raw, "")
	if err != nil {
		return nil, err
	}
	res.Token.ID = id
	return res, nil
}
