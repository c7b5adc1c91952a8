package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens/tokentest"
)

// A device sign-in that the person declines, or lets expire, stops with a
// clear message on stderr, nothing on stdout, and nothing kept. It is no
// fault of the profile, and signing in again is the cure: before, both
// said "oauth: …" and "[permanent: fix the profile or the server; retrying
// will not help]" (the test failed first).
func TestLoginWithTheDeviceGrantStopsClearly(t *testing.T) {
	for answer, want := range map[string]string{
		"access_denied": "the sign-in was declined on the other device",
		"expired_token": "the code expired before anyone signed in with it",
	} {
		t.Run(answer, func(t *testing.T) {
			h := newHarness(t)
			h.deviceProfile(func(w http.ResponseWriter, r *http.Request) {
				tokentest.WriteJSON(w, 400, map[string]any{"error": answer})
			})
			code, out, errs := h.run("", "login", "tv")
			if code == 0 || out != "" || !strings.Contains(errs, want) || !strings.Contains(errs, "sign in again") ||
				strings.Contains(errs, "retrying will not help") || strings.Contains(errs, "oauth:") {
				t.Fatalf("login: exit %d, stdout %q, stderr %s", code, out, errs)
			}
			if code, _, _ := h.run("", "token", "tv"); code != ExitSignIn {
				t.Errorf("token after a failed sign-in: exit %d, want %d", code, ExitSignIn)
			}
		})
	}
}

// deviceProfile adds the device grant profile "tv" of a new loopback
// server: its /device answers the user code ABCD-EFGH and its address
// (SERVER/activate), polled every 10 ms; token answers its /token. It
// returns the server.
func (h *harness) deviceProfile(token http.HandlerFunc) *httptest.Server {
	h.t.Helper()
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/device", func(w http.ResponseWriter, r *http.Request) {
		tokentest.WriteJSON(w, 200, map[string]any{"device_code": "dc-0123456789", "user_code": "ABCD-EFGH",
			"verification_uri": srv.URL + "/activate", "expires_in": 600, "interval": 0.01})
	})
	mux.HandleFunc("/token", token)
	srv = httptest.NewServer(mux)
	h.t.Cleanup(srv.Close)
	h.mustRun("", "add", "tv", "--grant", "device_code", "--auth", "none", "--client-id", "cli",
		"--device-authorization-url", srv.URL+"/device", "--token-url", srv.URL+"/token")
	return srv
}
