package oauth

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The loopback redirect of a sign-in (RFC 8252 §7.3): a listener on
// 127.0.0.1 only (never every interface), on a random port or the
// profile's redirect port, that takes exactly one answer at /callback,
// serves a page saying the tab can be closed (no redirect, no parameter
// echoed: nothing to abuse), and then closes. An answer without the
// attempt's state is refused there and then and not taken: a page in the
// person's browser that found the port cannot end the sign-in with a
// forged answer (or a forged error=); the wait goes on for the real one.

// PortTakenError says the redirect port asked for is in use.
type PortTakenError struct {
	Port int
	Err  error
}

func (e *PortTakenError) Error() string {
	return fmt.Sprintf("oauth: the redirect port %d on 127.0.0.1 is taken by another program: %v", e.Port, e.Err)
}

func (e *PortTakenError) Unwrap() error { return e.Err }

// callbackPath is the redirect URI's path.
const callbackPath = "/callback"

// refusedHTML is the whole page of an answer refused for its state.
const refusedHTML = `<!doctype html><html><head><meta charset="utf-8"><title>Tokentray</title></head>` +
	`<body style="font-family:sans-serif;margin:3em"><h1>Not this sign-in</h1>` +
	`<p>This answer does not belong to the sign-in Tokentray is waiting for. ` +
	`Finish signing in in the tab Tokentray opened.</p></body></html>`

// doneHTML is the whole page the browser lands on.
const doneHTML = `<!doctype html><html><head><meta charset="utf-8"><title>Tokentray</title></head>` +
	`<body style="font-family:sans-serif;margin:3em"><h1>Signed in to Tokentray</h1>` +
	`<p>You can close this tab.</p></body></html>`

// callbackServer is one sign-in's listener. Its answer arrives once on
// answers; further requests are refused.
type callbackServer struct {
	ln      net.Listener
	srv     *http.Server
	host    string // "127.0.0.1:PORT", the only Host accepted
	state   string // the attempt's state: answers without it are refused
	once    sync.Once
	answers chan url.Values
	refused atomic.Int32 // answers refused for their state
}

// listenCallback starts the listener on 127.0.0.1:port (0: any free
// port) for the answer carrying state. A port in use gives a
// *PortTakenError.
func listenCallback(port int, state string) (*callbackServer, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		if port != 0 { // in use, or reserved: either way not to be had

			return nil, &PortTakenError{Port: port, Err: err}
		}
		return nil, fmt.Errorf("oauth: listening for the sign-in's answer on 127.0.0.1: %w", err)
	}
	c := &callbackServer{ln: ln, host: ln.Addr().String(), state: state, answers: make(chan url.Values, 1)}
	c.srv = &http.Server{Handler: http.HandlerFunc(c.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = c.srv.Serve(ln) }()
	return c, nil
}

// redirectURI is the URI the server sends the browser back to.
func (c *callbackServer) redirectURI() string { return "http://" + c.host + callbackPath }

// serve takes the first request to /callback addressed to this listener
// (its Host header is 127.0.0.1:PORT: a page that reached it through
// another name, DNS rebinding, is refused) and refuses the others.
func (c *callbackServer) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	if r.Host != c.host {
		http.Error(w, "wrong host", http.StatusMisdirectedRequest)
		return
	}
	if r.URL.Path != callbackPath || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	if len(q["state"]) != 1 || !sameState(q.Get("state"), c.state) {
		c.refused.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(refusedHTML))
		return
	}
	taken := false
	c.once.Do(func() {
		taken = true
		c.answers <- q
	})
	if !taken {
		http.Error(w, "this sign-in was already answered", http.StatusGone)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(doneHTML))
}

// wait returns the answer, or ctx's error.
func (c *callbackServer) wait(ctx context.Context) (url.Values, error) {
	select {
	case q := <-c.answers:
		return q, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// close stops listening, after the page of the answer is served.
func (c *callbackServer) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = c.srv.Shutdown(ctx)
}
