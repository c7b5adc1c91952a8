package oauth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// The device grant's request log: the device authorization request
// first, then the polls (issue #26 review: only the polls were logged;
// the test failed first). The device code is a secret (whoever holds it
// gets the tokens once the person consents), in that request's answer and
// sent in every poll, and so is the answer's refresh token; neither
// reaches a log entry. The user code, shown to the person anyway, does.
func TestTheDeviceGrantsLogShowsNoDeviceCodeOrRefreshToken(t *testing.T) {
	srv := newDeviceServer(t, nil, "authorization_pending", "")
	var mu sync.Mutex
	var logged []tokens.LogEntry
	ctx := tokens.WithLogRecorder(context.Background(), func(x tokens.LogEntry) {
		mu.Lock()
		defer mu.Unlock()
		logged = append(logged, x)
	})
	var sl sleeps
	if _, err := newTestClient(ClientOptions{Now: time.Now}).DeviceSignIn(ctx, deviceProfile(srv), DeviceOptions{Sleep: sl.sleep}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(logged) != 3 {
		t.Fatalf("%d log entries, want the device authorization request and the two polls", len(logged))
	}
	first := logged[0]
	if first.Method != "POST" || first.URL != srv.URL+"/device" || first.Status != 200 || !strings.Contains(first.RequestBody, "client_id=cli") ||
		!strings.Contains(first.ResponseBody, "WDJB-MJHT") || !strings.Contains(first.ResponseBody, `"device_code"`) {
		t.Fatalf("the first entry is not the device authorization request: %+v", first)
	}
	for _, x := range logged[1:] {
		if x.URL != srv.URL+"/token" {
			t.Errorf("a poll logged at %s", x.URL)
		}
	}
	for _, x := range logged {
		shown := tokentest.Rendered(x)
		for _, secret := range append(tokentest.SecretForms("cli", "device-code-secret-0123456789"), "device-refresh-0123456789") {
			if strings.Contains(shown, secret) {
				t.Errorf("a log entry of %s shows %q: %s", x.URL, secret, shown)
			}
		}
	}
}

// Signing out (RFC 7009): the refresh token goes to the revocation
// endpoint with token_type_hint=refresh_token and the client's
// authentication, and a server that echoes it in an error does not get it
// into the error's text.
func TestRevokeRefreshSendsTheHintAndHidesTheToken(t *testing.T) {
	const refresh = "refresh-token-to-revoke-0123456789"
	status := 200
	e := newTokenEndpoint(t, func(w http.ResponseWriter, rec recorded) {
		if status != 200 {
			tokentest.WriteJSON(w, status, map[string]string{"error": "invalid_request", "error_description": "cannot revoke " + rec.Form.Get("token")})
			return
		}
		w.WriteHeader(200)
	})
	p := tokens.Profile{Name: "me", TokenURL: e.URL + "/token", RevocationURL: e.URL + "/revoke", ClientID: "cli", Auth: tokens.AuthNone,
		Grant: tokens.GrantAuthorizationCode, AuthorizationURL: e.URL + "/authorize"}
	c := newTestClient(ClientOptions{})
	if err := c.RevokeRefresh(context.Background(), p, refresh); err != nil {
		t.Fatalf("RevokeRefresh: %v", err)
	}
	got := e.Last(t)
	if got.Path != "/revoke" || got.Form.Get("token") != refresh || got.Form.Get("token_type_hint") != "refresh_token" || got.Form.Get("client_id") != "cli" {
		t.Fatalf("sent %s %v", got.Path, got.Form)
	}
	status = 400
	err := c.RevokeRefresh(context.Background(), p, refresh)
	var ee *tokens.EndpointError
	if !errors.As(err, &ee) || ee.Op != tokens.OpRevoke {
		t.Fatalf("a refused revocation: %v", err)
	}
	for _, secret := range tokentest.SecretForms("cli", refresh) {
		if strings.Contains(err.Error(), secret) {
			t.Fatalf("the error shows the refresh token: %v", err)
		}
	}
}
