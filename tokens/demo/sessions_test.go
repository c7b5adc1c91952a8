package demo_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens/demo"
)

// Ending a client's sessions (ISSUER/sessions/end) kills its live refresh
// tokens, as an administrator would: their next refresh is invalid_grant.
// A client that signs no one in has no sessions to end.
func TestEndingSessionsRefusesTheirRefreshTokens(t *testing.T) {
	s := start(t)
	p := profile(t, s, demo.ProfileDevice)
	tok := deviceTokens(t, p, "&scope=demo.read")
	rt, _ := tok["refresh_token"].(string)
	if rt == "" {
		t.Fatalf("no refresh token: %v", tok)
	}
	issuer := strings.TrimSuffix(p.TokenURL, "/token")
	status, _, out := post(t, issuer+"/sessions/end", formType, "", nil)
	if status != http.StatusOK || out["ended"] != float64(1) {
		t.Fatalf("sessions/end = %d %v, want 1 ended", status, out)
	}
	status, _, out = post(t, p.TokenURL, formType, "grant_type=refresh_token&client_id="+p.ClientID+"&refresh_token="+url.QueryEscape(rt), nil)
	if status != http.StatusBadRequest || out["error"] != "invalid_grant" {
		t.Errorf("refresh after the session ended = %d %v, want invalid_grant", status, out)
	}
	other := profile(t, s, "demo-healthy")
	if status, _, _ := post(t, strings.TrimSuffix(other.TokenURL, "/token")+"/sessions/end", formType, "", nil); status != http.StatusNotFound {
		t.Errorf("sessions/end of a client-credentials client = %d, want 404", status)
	}
}
