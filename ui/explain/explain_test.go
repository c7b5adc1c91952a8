package explain

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
)

func TestError(t *testing.T) {
	ve := tokens.Profile{Name: "p", TokenURL: "http://auth.example.com/t"}.Validate()
	for _, tc := range []struct {
		name string
		err  error
		want []string
		not  []string
	}{
		{"nil", nil, nil, nil},
		{"oauth error", fmt.Errorf("dev-api: %w", &tokens.ServerError{Status: 401, Code: "invalid_client", Description: "bad\x1b[2Jsecret\nline"}),
			[]string{"dev-api: ", "the server said invalid_client: badsecret line (HTTP 401)", "check the client ID"}, []string{"\x1b", "\n", "tokens:"}},
		{"html error", &tokens.ServerError{Status: 502, Excerpt: "Bad Gateway nginx"}, []string{"HTTP 502: Bad Gateway nginx"}, nil},
		{"200 without token", &tokens.ServerError{Status: 200, Problem: tokens.ProblemNoToken}, []string{"without an access token"}, nil},
		{"validation", ve, []string{"invalid profile", "token URL", "loopback", "client ID is required"}, nil},
		{"keyring timeout", fmt.Errorf("x: %w", tokens.ErrKeyringTimeout), []string{"did not answer in time"}, nil},
		{"keyring busy", fmt.Errorf("x: %w: %w", tokens.ErrKeyringTimeout, tokens.ErrKeyringBusy),
			[]string{"another Tokentray", "nothing was saved"}, []string{"unlock prompt"}},
		{"damaged index", fmt.Errorf("profile index: %w: %w", tokens.ErrDamagedIndex, tokens.ErrCorruptItem),
			[]string{"list of profiles", "is damaged", "'tokentray repair'", "deletes nothing"}, []string{"tokens:"}},
		{"broken profile", &tokens.ProfileError{Name: "billing", Err: tokens.ErrCorruptItem}, []string{`profile "billing" cannot be read`}, nil},
		{"deadline", fmt.Errorf("p: %w", context.DeadlineExceeded), []string{"p: the token endpoint did not answer in time"}, nil},
	} {
		got := Error(tc.err)
		if tc.err == nil && got != "" {
			t.Errorf("%s: %q", tc.name, got)
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tc.name, got, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: %q contains %q", tc.name, got, n)
			}
		}
	}
}

func TestErrorFromRealClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	url := srv.URL
	srv.Close() // nothing listens there any more
	c := oauth.NewClient(oauth.ClientOptions{Timeout: 5 * time.Second})
	_, err := c.Fetch(context.Background(), tokens.Profile{Name: "down", TokenURL: url, ClientID: "c", ClientSecret: "s"})
	if err == nil {
		t.Fatal("fetch from a closed port succeeded")
	}
	got := Error(err)
	if !strings.Contains(got, "cannot connect to 127.0.0.1") || strings.Contains(got, "tokens:") {
		t.Fatalf("%q", got)
	}
	if errors.Is(err, context.Canceled) {
		t.Fatal("unexpected cancel")
	}
}
