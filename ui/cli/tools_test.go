package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// toolServer is a loopback token endpoint for the tool outputs: the token
// type and the token itself are the test's to choose (hostile ones too).
type toolServer struct {
	*httptest.Server
	requests  atomic.Int32
	tokenType atomic.Value // string
	token     atomic.Value // string; "" means a fresh tok-N
}

func newToolServer(t *testing.T) *toolServer {
	s := &toolServer{}
	s.tokenType.Store("Bearer")
	s.token.Store("")
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.requests.Add(1)
		id, sec, ok := r.BasicAuth()
		if !ok { // client_secret_post
			id, sec = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
			ok = id != ""
		}
		w.Header().Set("Content-Type", "application/json")
		if !ok || id != "tool-client" || sec != secret {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_client","error_description":"Client authentication failed"}`)
			return
		}
		tok := s.token.Load().(string)
		if tok == "" {
			tok = fmt.Sprintf("tok-%d.abc_DEF~x", n)
		}
		body, _ := json.Marshal(map[string]any{"access_token": tok, "token_type": s.tokenType.Load().(string), "expires_in": 3600})
		w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

// addToolProfile stores profile name against srv.
func addToolProfile(t *testing.T, h *harness, name string, srv *toolServer) {
	t.Helper()
	h.mustRun(secret+"\n", "add", name, "--token-url", srv.URL+"/token", "--client-id", "tool-client")
}

// cachedToken is the token the store holds for name.
func cachedToken(t *testing.T, h *harness, name string) string {
	t.Helper()
	tok, err := h.store.LoadToken(context.Background(), name)
	if err != nil {
		t.Fatalf("no cached token for %s: %v", name, err)
	}
	return tok.AccessToken
}
