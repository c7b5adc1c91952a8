package servertest

import (
	"context"
	"strings"
	"testing"

	"github.com/go-oauth2/oauth2/v4/server"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// TestManagerLogsRealExchanges runs the Manager with the real Client
// against go-oauth2 over loopback: the snapshot carries each exchange,
// newest first, redacted.
func TestManagerLogsRealExchanges(t *testing.T) {
	hs := goOAuth2Server(t, func(srv *server.Server) { srv.SetClientInfoHandler(basicFormDecoded) })
	m := tokens.NewManager(tokens.ManagerOptions{Fetcher: oauth.NewClient(oauth.ClientOptions{Now: fixedClock}), Now: fixedClock})
	defer m.Close()
	good := goOAuth2Profile(hs, tokens.AuthClientSecretBasic)
	m.SetProfiles([]tokens.Profile{good})
	for range 2 {
		if _, err := m.Refresh(context.Background(), good.Name); err != nil {
			t.Fatal(err)
		}
	}
	ps, _ := m.Snapshot().Find(good.Name)
	if len(ps.LogEntries) != 2 || ps.LogEntries[0].Seq <= ps.LogEntries[1].Seq || ps.LogEntries[0].Status != 200 {
		t.Fatalf("exchanges %+v, want 2, newest first, HTTP 200", ps.LogEntries)
	}
	text := tokentest.Rendered(ps.LogEntries[0])
	for _, f := range tokentest.SecretForms(good.ClientID, good.ClientSecret) {
		if strings.Contains(text, f) {
			t.Errorf("the logged exchange shows %q:\n%s", f, text)
		}
	}
	if strings.Contains(text, ps.Token.AccessToken) || !strings.Contains(ps.LogEntries[0].ResponseBody, tokens.MaskToken(ps.Token.AccessToken)) {
		t.Errorf("the access token is not masked in %q", ps.LogEntries[0].ResponseBody)
	}
}
