package wire_test

import (
	"context"
	"testing"
)

// A token revoked by the command line while the app holds none for the
// profile (the command line fetched it; the app never took it) must not
// be taken up by the app from the keyring when it hears of the revocation.
func TestTheAppDoesNotTakeUpATokenBeingRevoked(t *testing.T) {
	service, sock := session(t)
	is := newIssuer(t)
	mustRun(t, "sec", "add", "lat", "--token-url", is.URL+"/token", "--client-id", "c", "--revocation-url", is.URL+"/revoke")
	a := startApp(t, service, sock)
	if out := mustRun(t, "", "token", "lat"); out != "tok-1\n" {
		t.Fatalf("token: %q", out)
	}
	if ps, _ := a.mgr.Snapshot().Find("lat"); ps.Token != nil {
		t.Fatalf("the app took %s before the revocation", ps.Token.AccessToken)
	}
	mustRun(t, "", "revoke", "lat")
	if is.revoked.Load() != 1 {
		t.Fatal("revoke did not reach the issuer")
	}
	if ps, _ := a.mgr.Snapshot().Find("lat"); ps.Token != nil {
		t.Fatalf("after revoke the app holds %s, the revoked token", ps.Token.AccessToken)
	}
	a.reload(t)
	if tok, err := a.mgr.Token(context.Background(), "lat", 0); err != nil || tok.AccessToken == "tok-1" {
		t.Fatalf("after revoke the app hands out %v, %v", tok, err)
	}
}
