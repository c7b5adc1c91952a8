package e2e

// The hostile-server suite against the engine the tray app runs: the
// client and the manager directly, and the wording the window shows
// (explain.Background, the text of a profile's failed refresh). For every
// failing case: the error class and whether automatic refresh stopped, the
// wording, a bounded time, no form of the secret or a control character in
// the window's text, and the cached good token still served.

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/ui/explain"
)

func TestHostileServersEngine(t *testing.T) {
	t.Parallel()
	for _, c := range hostileCases() {
		if c.class == "" {
			continue // successes and --min-valid: the command-line suite
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			secret := hostileSecret(c.shortSecret)
			s := newHostileServer(t, c, secret)
			p := tokens.Profile{Name: "hostile", ClientID: hostileClientID, ClientSecret: secret,
				Auth: tokens.AuthMethod(c.auth), Body: tokens.BodyEncoding(c.body)}
			for _, h := range c.headers {
				k, v, _ := strings.Cut(h, ":")
				p.Headers = map[string]string{k: strings.TrimSpace(v)}
			}
			for _, kv := range c.params {
				k, v, _ := strings.Cut(kv, "=")
				p.Params = map[string]string{k: v}
			}
			if c.auth == "private_key_jwt" {
				p.ClientSecret, p.PrivateKeyPEM, p.Alg = "", hostileKeyPEM, tokens.AlgES256
			}
			switch {
			case c.issuer:
				p.IssuerURL = s.URL
			case c.transport != nil:
				p.TokenURL = c.transport(t, s)
			default:
				p.TokenURL = s.URL + "/token"
			}
			client := oauth.NewClient(oauth.ClientOptions{Timeout: 2 * time.Second})
			defer client.CloseIdleConnections()
			m := tokens.NewManager(tokens.ManagerOptions{Fetcher: client, Cache: tokens.NewMemoryStore()})
			defer m.Close()
			m.Put(p)
			ctx := context.Background()

			var good *tokens.Token
			// (A client keeps a discovered endpoint for a day: the issuer
			// case starts hostile, as a new process would see it.)
			if c.transport == nil && !c.issuer {
				var err error
				if good, err = m.Token(ctx, p.Name, time.Minute); err != nil || good.AccessToken != s.good {
					t.Fatalf("good token: %v, %v", good, err)
				}
			}
			s.hostile.Store(true)
			start := time.Now()
			_, err := m.Refresh(ctx, p.Name)
			if elapsed := time.Since(start); elapsed > hostileBound {
				t.Errorf("refresh took %v", elapsed)
			}
			if err == nil {
				t.Fatal("the hostile answer was accepted")
			}
			wantClass := tokens.Transient
			if c.class == "permanent" {
				wantClass = tokens.Permanent
			}
			if got := tokens.Classify(err); got != wantClass {
				t.Errorf("class %v, want %v (%v)", got, wantClass, err)
			}
			ps, ok := m.Snapshot().Find(p.Name)
			if !ok {
				t.Fatal("profile gone from the snapshot")
			}
			if ps.Stopped != (wantClass == tokens.Permanent) || ps.LastError == nil {
				t.Errorf("stopped %v, last error %v after a %s error", ps.Stopped, ps.LastError, c.class)
			}
			window := explain.Background(ps.LastError)
			t.Logf("window: %s", window)
			for _, w := range c.want {
				if w != "[redacted]" && !strings.Contains(window, w) {
					t.Errorf("window text lacks %q: %s", w, window)
				}
			}
			next := "temporary error: Tokentray retries automatically"
			if wantClass == tokens.Permanent {
				next = "automatic refresh has stopped"
			}
			if !strings.Contains(window, next) {
				t.Errorf("window text does not say what happens next (%q): %s", next, window)
			}
			if l := leaks(window+err.Error(), s.secretForms(hostileKeyPEM)); l != "" {
				t.Errorf("secret leaked (%q): %s", l, window)
			}
			if l := exactLeaks(window+err.Error(), append(c.extraSecrets(), secret)...); l != "" {
				t.Errorf("secret leaked (%q): %s", l, window)
			}
			if strings.ContainsAny(window, "\x1b\r\n\u202e\u2066") {
				t.Errorf("control characters in the window text: %q", window)
			}
			if good != nil {
				if ps.Token != good {
					t.Errorf("snapshot token %v, want the cached good one", ps.Token)
				}
				before := s.requests.Load()
				if tok, err := m.Token(ctx, p.Name, time.Minute); err != nil || tok != good {
					t.Errorf("after the failed refresh: %v, %v; want the cached good token", tok, err)
				}
				if n := s.requests.Load() - before; n > 0 && wantClass == tokens.Permanent {
					t.Errorf("%d requests after a permanent error", n)
				}
			}
		})
	}
}
