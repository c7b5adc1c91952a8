package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// DiscoveryTTL is how long a Client reuses a discovered token endpoint
// before fetching the issuer's metadata again. A token request that fails
// without an OAuth error answer also forgets it.
const DiscoveryTTL = 24 * time.Hour

// The well-known metadata paths.
const (
	wellKnownOIDC    = "/.well-known/openid-configuration"
	wellKnownRFC8414 = "/.well-known/oauth-authorization-server"
)

type discoveredAt struct {
	meta Metadata
	at   time.Time
}

// tokenEndpoint returns the token endpoint of issuer, from the cache or by
// discovery, on the issuer's origin or one of allowed.
func (c *Client) tokenEndpoint(ctx context.Context, hc *http.Client, anchors, issuer string, allowed []string) (string, error) {
	m, err := c.metadata(ctx, hc, anchors, issuer, allowed)
	return m.TokenEndpoint, err
}

// metadata returns the metadata of issuer, from the cache or by discovery;
// every endpoint in it is on the issuer's origin or one of allowed (the
// profile's EndpointOrigins). hc trusts the anchors that anchors names
// (anchorsOf). Safe for concurrent use: concurrent misses may both
// discover, and the last result wins.
func (c *Client) metadata(ctx context.Context, hc *http.Client, anchors, issuer string, allowed []string) (Metadata, error) {
	key := discoveryKey(anchors, issuer, allowed)
	now := c.now()
	c.mu.Lock()
	d, ok := c.discovered[key]
	c.mu.Unlock()
	if ok && now.Sub(d.at) < DiscoveryTTL && !now.Before(d.at) {
		return d.meta, nil
	}
	meta, err := discoverMetadata(ctx, hc, issuer, allowed)
	if err != nil {
		return Metadata{}, err
	}
	c.mu.Lock()
	c.discovered[key] = discoveredAt{meta: meta, at: now}
	c.mu.Unlock()
	return meta, nil
}

func (c *Client) forgetEndpoint(anchors, issuer string, allowed []string) {
	c.mu.Lock()
	delete(c.discovered, discoveryKey(anchors, issuer, allowed))
	c.mu.Unlock()
}

// discoveryKey keys the cache by trust anchors, issuer and allowed
// origins: what one profile may discover (through a redirect it allows,
// or from a server only its CA bundle vouches for) is not another's.
func discoveryKey(anchors, issuer string, allowed []string) string {
	return anchors + "\x00" + issuer + "\x00" + strings.Join(allowed, "\x00")
}

// anchorsOf names the trust anchors of p's requests: a digest of its CA
// bundle, "" for the system roots alone. The discovery and JWKS caches
// are keyed by it, so that metadata or keys fetched from a server that
// one profile's private CA vouches for never serve another profile,
// which would not trust that server.
func anchorsOf(p tokens.Profile) string {
	if p.CABundlePEM == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(p.CABundlePEM))
	return hex.EncodeToString(sum[:])
}

// discoveryURLs lists the metadata documents to try for issuer: OpenID
// Connect Discovery ({issuer}/.well-known/openid-configuration), then RFC
// 8414 ({origin}/.well-known/oauth-authorization-server{path}). An issuer
// that already is a well-known URL is used as is.
func discoveryURLs(issuer string) ([]string, error) {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%w: %s: not an absolute URL", tokens.ErrConfig, tokens.FieldIssuerURL)
	}
	if strings.Contains(u.Path, "/.well-known/") {
		return []string{u.String()}, nil
	}
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	origin := u.Scheme + "://" + u.Host
	return []string{origin + path + wellKnownOIDC, origin + wellKnownRFC8414 + path}, nil
}

// discoverMetadata fetches the issuer's metadata: its token_endpoint and
// the other endpoints Tokentray uses, each checked by checkDiscoveredURL.
// Redirects are followed only within the issuer's origin and allowed.
// Network failures and 5xx/408/429 answers are transient errors; a missing
// or unusable document wraps ErrConfig.
func discoverMetadata(ctx context.Context, hc *http.Client, issuer string, allowed []string) (Metadata, error) {
	urls, err := discoveryURLs(issuer)
	if err != nil {
		return Metadata{}, err
	}
	ctx = withAllowedOrigins(ctx, allowed)
	var problems []string
	transient := false
	for _, docURL := range urls {
		meta, problem, err := fetchMetadata(ctx, hc, docURL, expectedIssuer(issuer, docURL), allowed)
		switch {
		case err != nil:
			return Metadata{}, err
		case problem == "":
			return meta, nil
		}
		if strings.HasPrefix(problem, "HTTP 5") || problem == "HTTP 408" || problem == "HTTP 429" {
			transient = true
		}
		problems = append(problems, docURL+": "+problem)
	}
	msg := fmt.Sprintf("no token endpoint discovered for issuer %s (%s)", issuer, strings.Join(problems, "; "))
	if transient {
		return Metadata{}, errors.New("" + msg)
	}
	return Metadata{}, fmt.Errorf("%w: %s: %s", tokens.ErrConfig, tokens.FieldIssuerURL, msg)
}

// fetchMetadata GETs one metadata document. It returns the metadata, or a
// problem describing why this document gave no token endpoint, or an error
// that ends discovery (network failure, unusable endpoint).
//
// The document's issuer must be identical to want (RFC 8414 §3.3, OpenID
// Connect Discovery §4.3); a configured issuer that differs only by a
// trailing slash is accepted. A mismatch is a configuration error: metadata
// that claims another issuer must not say where the secret goes.
func fetchMetadata(ctx context.Context, hc *http.Client, docURL, want string, allowed []string) (meta Metadata, problem string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, docURL, nil)
	if err != nil {
		return Metadata{}, "", fmt.Errorf("%w: %s: %v", tokens.ErrConfig, tokens.FieldIssuerURL, withDisplayURL(err))
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Tokentray")
	resp, err := hc.Do(req)
	if err != nil {
		return Metadata{}, "", fmt.Errorf("discovery: %w", withDisplayURL(err))
	}
	defer resp.Body.Close()
	body, err := readLimited(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return Metadata{}, fmt.Sprintf("HTTP %d", resp.StatusCode), nil
	}
	if errors.Is(err, tokens.ErrResponseTooLarge) {
		return Metadata{}, "document larger than 1 MiB", nil
	}
	if err != nil {
		return Metadata{}, "", fmt.Errorf("discovery: reading %s: %w", docURL, err)
	}
	doc, err := decodeJSONObject(body)
	if err != nil {
		return Metadata{}, "not a JSON metadata document", nil
	}
	got, _ := doc["issuer"].(string)
	if got != want && got != strings.TrimSuffix(want, "/") && got+"/" != want {
		return Metadata{}, "", fmt.Errorf("%w: %s: %w", tokens.ErrConfig, tokens.FieldIssuerURL, &tokens.IssuerMismatchError{Configured: want, Metadata: tokens.Printable(got, 200), Document: docURL})
	}
	if te, _ := doc["token_endpoint"].(string); te == "" {
		return Metadata{}, "document has no token_endpoint", nil
	}
	meta, err = metadataOf(doc, got, allowed)
	return meta, "", err
}

// expectedIssuer is the issuer a metadata document must state: the
// configured issuer, or for a configured well-known URL, the issuer it was
// derived from (OpenID: the part before the well-known suffix; RFC 8414:
// the origin plus the path after it).
func expectedIssuer(issuer, docURL string) string {
	if !strings.Contains(issuer, "/.well-known/") {
		return issuer
	}
	u, err := url.Parse(docURL)
	if err != nil {
		return issuer
	}
	origin := u.Scheme + "://" + u.Host
	switch {
	case strings.HasSuffix(u.Path, wellKnownOIDC):
		return origin + strings.TrimSuffix(u.Path, wellKnownOIDC)
	case strings.HasPrefix(u.Path, wellKnownRFC8414):
		return origin + strings.TrimPrefix(u.Path, wellKnownRFC8414)
	}
	return issuer
}
