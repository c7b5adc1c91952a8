package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/tokentray/tokentray/tokens"
)

// The issuers' JSON Web Key Sets, fetched through the Client's own
// transports (size limit, redirect rules, the profile's CA bundle) and kept
// as long as their HTTP caching headers allow. keyfunc parses the bytes;
// its own fetching is not used, as it refreshes on a fixed interval
// whatever the server's Cache-Control says.

// Caching bounds for JWK sets.
const (
	// JWKSDefaultTTL is how long a JWKS without caching headers is kept.
	JWKSDefaultTTL = time.Hour
	// JWKSMaxTTL caps what caching headers can ask for.
	JWKSMaxTTL = 24 * time.Hour
	// JWKSRefetchEvery is the most often a JWKS is fetched again because a
	// token names a kid it lacks (keys rotate; a forged kid must not make
	// every verification a request).
	JWKSRefetchEvery = 5 * time.Minute
)

// keySet is one fetched JWKS. Immutable once stored.
type keySet struct {
	kf      keyfunc.Keyfunc
	fetched time.Time
	expires time.Time
}

// keySetFor returns the JWKS at uri holding kid (any, when kid is empty):
// the cached one while its caching headers allow, else fetched again; a
// cached set lacking kid is fetched again when the last fetch is at least
// JWKSRefetchEvery old. found says whether kid is in the returned set.
// Sets are cached by anchors (anchorsOf the profile hc serves) and uri:
// keys fetched under one profile's CA bundle never verify another
// profile's token. Safe for concurrent use: concurrent misses may both
// fetch.
func (c *Client) keySetFor(ctx context.Context, hc *http.Client, anchors, uri, kid string) (ks *keySet, found bool, err error) {
	now := c.now()
	key := anchors + "\x00" + uri
	c.mu.Lock()
	ks = c.keySets[key]
	c.mu.Unlock()
	if ks != nil && now.Before(ks.expires) && !now.Before(ks.fetched) {
		if found = hasKey(ctx, ks, kid); found || now.Sub(ks.fetched) < JWKSRefetchEvery {
			return ks, found, nil
		}
	}
	if ks, err = fetchKeySet(ctx, hc, uri, now); err != nil {
		return nil, false, err
	}
	c.mu.Lock()
	c.keySets[key] = ks
	c.mu.Unlock()
	return ks, hasKey(ctx, ks, kid), nil
}

func hasKey(ctx context.Context, ks *keySet, kid string) bool {
	if kid == "" {
		return true
	}
	_, err := ks.kf.Storage().KeyRead(ctx, kid)
	return err == nil
}

// errJWKSUnusable is wrapped when a JWKS answer is not a usable key set.
var errJWKSUnusable = errors.New("not a usable JWK set")

// jwksError wraps err, a failure to fetch or use a JWKS, with
// tokens.ErrJWKS, so that a timeout is worded for the key set and not
// for the token endpoint.
func jwksError(err error) error { return fmt.Errorf("%w: %w", tokens.ErrJWKS, err) }

// fetchKeySet GETs the JWKS at uri. Network failures and non-200 answers
// are plain errors; an answer that is no key set wraps errJWKSUnusable.
func fetchKeySet(ctx context.Context, hc *http.Client, uri string, now time.Time) (*keySet, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
	if err != nil {
		return nil, jwksError(err)
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	req.Header.Set("User-Agent", "Tokentray")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, jwksError(err)
	}
	defer resp.Body.Close()
	body, err := readLimited(resp.Body)
	switch {
	case resp.StatusCode != http.StatusOK:
		return nil, jwksError(fmt.Errorf("HTTP %d", resp.StatusCode))
	case errors.Is(err, tokens.ErrResponseTooLarge):
		return nil, jwksError(fmt.Errorf("%w: larger than 1 MiB", errJWKSUnusable))
	case err != nil:
		return nil, jwksError(err)
	}
	kf, err := keyfunc.NewJWKSetJSON(body)
	if err != nil {
		return nil, jwksError(errJWKSUnusable)
	}
	if keys, err := kf.Storage().KeyReadAll(ctx); err != nil || len(keys) == 0 {
		return nil, jwksError(fmt.Errorf("%w: no keys", errJWKSUnusable))
	}
	return &keySet{kf: kf, fetched: now, expires: now.Add(cacheLifetime(resp.Header, now))}, nil
}

// cacheLifetime is how long an answer with header h may be reused
// (RFC 9111 §4.2.1): Cache-Control no-store, no-cache or max-age, else
// Expires, else JWKSDefaultTTL; at most JWKSMaxTTL.
func cacheLifetime(h http.Header, now time.Time) time.Duration {
	for _, cc := range h.Values("Cache-Control") {
		for _, d := range strings.Split(cc, ",") {
			name, val, _ := strings.Cut(strings.TrimSpace(d), "=")
			switch strings.ToLower(name) {
			case "no-store", "no-cache":
				return 0
			case "max-age":
				secs, err := strconv.ParseInt(strings.Trim(val, `"`), 10, 64)
				if err != nil || secs < 0 {
					return 0
				}
				return min(time.Duration(min(secs, int64(JWKSMaxTTL/time.Second)))*time.Second, JWKSMaxTTL)
			}
		}
	}
	if e := h.Get("Expires"); e != "" {
		t, err := http.ParseTime(e)
		if err != nil { // RFC 9111 §5.3: an invalid date means already expired
			return 0
		}
		base := now
		if d, err := http.ParseTime(h.Get("Date")); err == nil {
			base = d
		}
		return min(max(t.Sub(base), 0), JWKSMaxTTL)
	}
	return JWKSDefaultTTL
}
