package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
)

// terminalControls act on a terminal when printed: OSC 52 (writes the
// clipboard), an OSC title, a screen clear, and the end of a bracketed
// paste (what follows runs as typed).
var terminalControls = map[string]string{
	"OSC 52":              "a\x1b]52;c;ZWNobyBwd25lZA==\x07b",
	"OSC title":           "a\x1b]0;pwned\x07b",
	"screen clear":        "a\x1b[2J\x1b[Hb",
	"bracketed paste end": "a\x1b[201~touch pwned b",
}

// hasControl reports whether s holds a byte a terminal acts on (ESC,
// BEL, CR, a C1 CSI).
func hasControl(s string) bool { return strings.ContainsAny(s, "\x1b\x07\r\u009b") }

// TestAddRefusesControlCharactersInParamsAndHeaders: --param and --header
// took any value, and the value came back to the terminal (list, curl,
// token -v). Now add and edit refuse it, without echoing it.
func TestAddRefusesControlCharactersInParamsAndHeaders(t *testing.T) {
	for what, v := range terminalControls {
		for _, flag := range [][]string{{"--param", "tenant=" + v}, {"--param", v + "=x"}, {"--header", "X-Tenant: " + v}} {
			h := newHarness(t)
			args := append([]string{"add", "api", "--token-url", "https://a.example/t", "--client-id", "c"}, flag...)
			code, out, errs := h.run(secret, args...)
			if code == 0 {
				t.Errorf("%s in %s: add succeeded", what, flag[0])
			}
			if hasControl(out + errs) {
				t.Errorf("%s in %s: add printed it: %q", what, flag[0], out+errs)
			}
			h.mustRun(secret, "add", "api", "--token-url", "https://a.example/t", "--client-id", "c")
			if code, out, errs := h.run("", append([]string{"edit", "api"}, flag...)...); code == 0 || hasControl(out+errs) {
				t.Errorf("%s in %s: edit: exit %d, %q", what, flag[0], code, out+errs)
			}
			if p, err := loadProfile(context.Background(), h.store, "api"); err != nil || len(p.Params)+len(p.Headers) > 0 {
				t.Errorf("%s in %s: stored %+v (%v)", what, flag[0], p, err)
			}
		}
	}
}

// TestCurlRefusesAStoredControlCharacter: a profile stored before the
// rule (straight into the store here) gets no curl command, and the
// answer does not echo the value.
func TestCurlRefusesAStoredControlCharacter(t *testing.T) {
	for what, v := range terminalControls {
		h := newHarness(t)
		p := tokens.Profile{Name: "api", TokenURL: "https://a.example/t", ClientID: "c", ClientSecret: secret,
			Params: map[string]string{"tenant": v}, Headers: map[string]string{"X-Tenant": v}}
		if err := h.store.Save(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		code, out, errs := h.run("", "curl", "api")
		if code == 0 || hasControl(out+errs) || strings.Contains(out+errs, secret) {
			t.Errorf("%s: curl: exit %d, %q", what, code, out+errs)
		}
	}
}
