package cli

import (
	"encoding/base64"
	"net/url"

	"github.com/tokentray/tokentray/tokens"
	"strings"
	"testing"
)

func TestTokenVerbosePrintsTheExchangeRedacted(t *testing.T) {
	h := newHarness(t)
	srv := newTokenServer(t, secret)
	h.mustRun(secret, "add", "svc", "--token-url", srv.URL+"/token", "--client-id", "cli-client", "--scope", "api.read")

	code, out, errs := h.run("", "token", "svc", "-v")
	tok := strings.TrimSpace(out)
	if code != ExitOK || tok == "" {
		t.Fatalf("token -v: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	for _, want := range []string{"POST " + srv.URL + "/token", "Authorization: Basic [redacted]", "grant_type=client_credentials", "scope=api.read", "HTTP 200 OK", `"access_token": "` + tokens.MaskToken(tok)} { // JSON bodies are indented
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	basic := base64.StdEncoding.EncodeToString([]byte("cli-client:" + url.QueryEscape(secret)))
	for _, leak := range []string{secret, basic, tok} {
		if strings.Contains(errs, leak) {
			t.Errorf("stderr shows %q:\n%s", leak, errs)
		}
	}

	_, _, errs = h.run("", "token", "svc", "-v")
	if !strings.Contains(errs, "came from the cache") || strings.Contains(errs, "POST") || srv.Requests() != 1 {
		t.Errorf("second token -v: stderr %q after %d requests; want it to say the cache answered", errs, srv.Requests())
	}

	h.mustRun("wrong-secret", "edit", "svc", "--read-secret")
	code, _, errs = h.run("", "token", "svc", "-v")
	if code != ExitFailure || !strings.Contains(errs, "HTTP 401 Unauthorized") || !strings.Contains(errs, "invalid_client") || strings.Contains(errs, "wrong-secret") {
		t.Errorf("refused token -v: exit %d, stderr:\n%s", code, errs)
	}
}

func TestCurlCommandPrintsNoSecret(t *testing.T) {
	h := newHarness(t)
	srv := newTokenServer(t, secret)
	h.mustRun(secret, "add", "svc", "--token-url", srv.URL+"/token", "--client-id", "cli-client")
	out := h.mustRun("", "curl", "svc")
	if !strings.Contains(out, "curl -q --config -") || !strings.Contains(out, "'"+srv.URL+"/token'") || !strings.Contains(out, "$CLIENT_SECRET") || strings.Contains(out, secret) {
		t.Errorf("tokentray curl printed:\n%s", out)
	}
	if code, _, errs := h.run("", "curl", "nope"); code != ExitNotFound || !strings.Contains(errs, "nope") {
		t.Errorf("unknown profile: exit %d, %q", code, errs)
	}
}
