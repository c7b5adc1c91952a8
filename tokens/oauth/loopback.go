package oauth

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// Plain http carries the client secret in clear, so CheckEndpointURL allows
// it only to loopback hosts. The transport makes that hold on the wire too:
// a plain-http request never goes through a proxy (HTTP_PROXY and friends,
// or the caller's Transport.Proxy) and dials only loopback addresses, even
// when "localhost" resolves elsewhere.

// schemeTransport sends https requests through secure and every other
// request (plain http: loopback only) through plain.
type schemeTransport struct {
	secure, plain *http.Transport
}

func (s *schemeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Scheme == "https" {
		return s.secure.RoundTrip(r)
	}
	return s.plain.RoundTrip(r)
}

// CloseIdleConnections closes both transports' idle connections.
func (s *schemeTransport) CloseIdleConnections() {
	s.secure.CloseIdleConnections()
	s.plain.CloseIdleConnections()
}

// guardPlainHTTP returns the RoundTripper for t, which it changes: t keeps
// https requests and its proxy, except for loopback hosts; plain-http
// requests go through a clone of t without a proxy whose dialer connects
// only to loopback addresses (loopbackDialer).
func guardPlainHTTP(t *http.Transport) http.RoundTripper {
	if proxy := t.Proxy; proxy != nil {
		t.Proxy = func(r *http.Request) (*url.URL, error) {
			if tokens.IsLoopbackHost(r.URL.Hostname()) {
				return nil, nil
			}
			return proxy(r)
		}
	}
	dial := t.DialContext
	if dial == nil {
		dial = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
	plain := t.Clone()
	plain.Proxy = nil
	plain.DialTLSContext = nil
	plain.DialContext = loopbackDialer{lookup: lookupIP, dial: dial}.DialContext
	return &schemeTransport{secure: t, plain: plain}
}

func lookupIP(ctx context.Context, host string) ([]netip.Addr, error) {
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

// loopbackDialer dials plain-http connections: a literal loopback address
// as is; "localhost" only when every address it resolves to is loopback
// (then those addresses, in order). Anything else is refused before any
// lookup or connection, with an error wrapping tokens.ErrConfig and
// tokens.ErrInsecureURL.
type loopbackDialer struct {
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
	dial   func(ctx context.Context, network, addr string) (net.Conn, error)
}

// DialContext is a net.Dialer's DialContext with the loopback check.
func (d loopbackDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("plain http: %w", err)
	}
	refuse := func(why string) error {
		return fmt.Errorf("%w: plain http to %s refused: %s: %w", tokens.ErrConfig, tokens.Printable(host, 80), why, tokens.ErrInsecureURL)
	}
	if !tokens.IsLoopbackHost(host) {
		return nil, refuse("not a loopback address or localhost")
	}
	var addrs []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{ip}
	} else if addrs, err = d.lookup(ctx, host); err != nil {
		return nil, fmt.Errorf("resolving %s: %w", host, err)
	}
	if len(addrs) == 0 {
		return nil, refuse("it resolves to no address")
	}
	for _, a := range addrs {
		if a.Zone() != "" || !a.Unmap().IsLoopback() {
			return nil, refuse(fmt.Sprintf("it resolves to %s, which is not a loopback address", a))
		}
	}
	var first error
	for _, a := range addrs {
		c, err := d.dial(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
		if err == nil {
			return c, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}
