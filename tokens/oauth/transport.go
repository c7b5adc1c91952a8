package oauth

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// The Client's HTTP transports: one shared client for profiles without TLS
// settings, and one per distinct TLS setup (CA bundle, client certificate),
// kept least-recently-used so repeated fetches reuse connections.

// maxTransports bounds the per-profile TLS transports a Client keeps; the
// least recently used one is closed beyond that.
const maxTransports = 16

// tlsClient is the http.Client built for one TLS setup.
type tlsClient struct {
	hc       *http.Client
	certEnds time.Time // client certificate NotAfter, zero without one
}

// httpClient returns the cached client for p's TLS setup, building it on
// first use.
func (c *Client) httpClient(p tokens.Profile) (*http.Client, error) {
	needsCert := p.Auth == tokens.AuthTLSClient
	if p.CABundlePEM == "" && !needsCert {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.plain == nil {
			hc, err := c.newHTTPClient(nil)
			if err != nil {
				return nil, err
			}
			c.plain = hc
		}
		return c.plain, nil
	}
	key := tlsKey(p)
	now := c.now()
	c.mu.Lock()
	tc, ok := c.transports[key]
	if ok {
		c.touch(key)
	}
	c.mu.Unlock()
	if ok {
		if !tc.certEnds.IsZero() && now.After(tc.certEnds) {
			return nil, fmt.Errorf("%w: %s: certificate expired on %s", tokens.ErrConfig, tokens.FieldClientCert, tc.certEnds.UTC().Format(time.RFC3339))
		}
		return tc.hc, nil
	}

	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	tc = &tlsClient{}
	if p.CABundlePEM != "" {
		pool, err := rootsWith(p.CABundlePEM)
		if err != nil {
			return nil, err
		}
		cfg.RootCAs = pool
	}
	if needsCert {
		cert, err := clientCertificate(p, now)
		if err != nil {
			return nil, err
		}
		// Always offer the certificate, even when the server's list of
		// acceptable CAs does not name its issuer: the server decides.
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return cert, nil }
		tc.certEnds = cert.Leaf.NotAfter
	}
	hc, err := c.newHTTPClient(cfg)
	if err != nil {
		return nil, err
	}
	tc.hc = hc

	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.transports[key]; ok { // built concurrently
		hc.CloseIdleConnections()
		c.touch(key)
		return old.hc, nil
	}
	c.transports[key] = tc
	c.lru = append(c.lru, key)
	if len(c.lru) > maxTransports {
		oldest := c.lru[0]
		c.lru = c.lru[1:]
		c.transports[oldest].hc.CloseIdleConnections()
		delete(c.transports, oldest)
	}
	return hc, nil
}

// touch marks key most recently used. c.mu must be held.
func (c *Client) touch(key string) {
	if i := slices.Index(c.lru, key); i >= 0 {
		c.lru = append(slices.Delete(c.lru, i, i+1), key)
	}
}

// newHTTPClient derives an http.Client from the base one with cfg (nil: no
// TLS changes), the redirect policy and the plain-http guard
// (guardPlainHTTP). A base Transport that is not an *http.Transport is used
// as is: the caller's RoundTripper does its own dialing.
func (c *Client) newHTTPClient(cfg *tls.Config) (*http.Client, error) {
	var hc http.Client
	if c.base != nil {
		hc = *c.base
	}
	hc.CheckRedirect = checkRedirect
	var t *http.Transport
	switch bt := hc.Transport.(type) {
	case nil:
		t = http.DefaultTransport.(*http.Transport).Clone()
	case *http.Transport:
		t = bt.Clone()
	default:
		if cfg == nil {
			return &hc, nil
		}
		return nil, fmt.Errorf("HTTPClient transport %T cannot carry a profile's TLS settings", bt)
	}
	if cfg != nil {
		if base := t.TLSClientConfig; base != nil {
			merged := base.Clone()
			merged.MinVersion = max(merged.MinVersion, cfg.MinVersion)
			if cfg.RootCAs != nil {
				merged.RootCAs = cfg.RootCAs
			}
			if cfg.GetClientCertificate != nil {
				merged.GetClientCertificate = cfg.GetClientCertificate
			}
			cfg = merged
		}
		t.TLSClientConfig = cfg
	}
	hc.Transport = guardPlainHTTP(t)
	return &hc, nil
}

// checkRedirect refuses to follow redirects of the token POST (the body
// carries credentials) and lets GETs follow only to acceptable URLs on the
// first request's origin, or one the request's context allows
// (checkRedirectOrigin).
func checkRedirect(req *http.Request, via []*http.Request) error {
	if via[0].Method != http.MethodGet {
		return http.ErrUseLastResponse
	}
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if err := tokens.CheckEndpointURL(req.URL.String()); err != nil {
		return fmt.Errorf("%w: redirect to %s refused: %w", tokens.ErrConfig, req.URL.Redacted(), err)
	}
	return checkRedirectOrigin(req, via[0].URL)
}

// tlsKey identifies a TLS setup without keeping the key material as text.
func tlsKey(p tokens.Profile) string {
	h := sha256.New()
	for _, s := range []string{p.CABundlePEM, string(p.Auth), p.ClientCertPEM, p.ClientKeyPEM} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return string(h.Sum(nil))
}

// rootsWith returns the system roots plus every certificate of bundle.
// A bundle with an unparsable block or no certificate wraps ErrConfig.
func rootsWith(bundle string) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	n := 0
	rest := []byte(bundle)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: certificate %d: %v", tokens.ErrConfig, tokens.FieldCABundle, n+1, err)
		}
		pool.AddCert(cert)
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: %s: no CERTIFICATE block found", tokens.ErrConfig, tokens.FieldCABundle)
	}
	return pool, nil
}

// CloseIdleConnections closes the idle connections of every transport the
// Client built. The Client stays usable.
func (c *Client) CloseIdleConnections() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.plain != nil {
		c.plain.CloseIdleConnections()
	}
	for _, tc := range c.transports {
		tc.hc.CloseIdleConnections()
	}
}
