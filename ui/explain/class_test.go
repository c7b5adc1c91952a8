package explain

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
)

// Every class of failed token request carries advice that agrees with its
// words: a message that says to change the profile (add the CA, check the
// secret) is never tagged "run the command again later", and the tray app
// does not promise to retry what retrying cannot fix.
func TestAdviceMatchesClass(t *testing.T) {
	const tokenURL = "https://auth.example.com/token"
	viaURL := func(err error) error {
		return fmt.Errorf("dev-api: %w", &url.Error{Op: "Post", URL: tokenURL, Err: err})
	}
	certErr := func(err error) error {
		return viaURL(&tls.CertificateVerificationError{Err: err})
	}
	const (
		temporary = "[temporary: run the command again later]"
		after     = "[temporary: run the command again after that]"
		permanent = "[permanent: fix the profile or the server; retrying will not help]"
	)
	for _, tc := range []struct {
		name string
		err  error
		tag  string
		want string // words that must come with the tag
	}{
		{"unknown authority", certErr(x509.UnknownAuthorityError{}), permanent, "--ca"},
		{"wrong host name", certErr(x509.HostnameError{Certificate: &x509.Certificate{}, Host: "auth.example.com"}), permanent, "not for auth.example.com"},
		{"expired certificate", certErr(x509.CertificateInvalidError{Cert: &x509.Certificate{}, Reason: x509.Expired}), permanent, "expired"},
		{"invalid_client", &tokens.ServerError{Status: 401, Code: "invalid_client"}, permanent, "check the client ID"},
		{"redirect", &tokens.ServerError{Status: 302, Problem: tokens.ProblemRedirect}, permanent, "final token URL"},
		{"other 4xx", &tokens.ServerError{Status: 404, Excerpt: "not found"}, permanent, "HTTP 404"},
		{"bad configuration", fmt.Errorf("%w: private key: not PEM", tokens.ErrConfig), permanent, "private key"},
		{"server_error", &tokens.ServerError{Status: 500, Code: "server_error"}, temporary, "server_error"},
		{"503", &tokens.ServerError{Status: 503, Excerpt: "down"}, temporary, "HTTP 503"},
		{"429 with Retry-After", &tokens.ServerError{Status: 429, RetryAfter: 30 * time.Second}, after, "retry after 30 s"},
		{"captive portal", &tokens.ServerError{Status: 200, Problem: tokens.ProblemHTML}, temporary, "HTML page"},
		{"connection refused", viaURL(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), temporary, "cannot connect"},
		{"DNS", viaURL(&net.DNSError{Name: "auth.example.com", Err: "no such host"}), temporary, "DNS"},
		{"timeout", fmt.Errorf("dev-api: %w", context.DeadlineExceeded), temporary, "did not answer in time"},
	} {
		got := Command(tc.err)
		if !strings.HasSuffix(got, tc.tag) || !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q\nwant %q with %q", tc.name, got, tc.tag, tc.want)
		}
		bg := Background(tc.err)
		if tc.tag == permanent && !strings.Contains(bg, "automatic refresh has stopped") {
			t.Errorf("%s: the tray app says %q", tc.name, bg)
		}
	}
}

// The real client's error for a server whose certificate no configured CA
// signed is permanent, and says to add the CA: running again cannot help.
func TestUnknownAuthorityFromRealClientIsPermanent(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"x","token_type":"Bearer","expires_in":60}`)
	}))
	defer srv.Close()
	c := oauth.NewClient(oauth.ClientOptions{Timeout: 5 * time.Second})
	_, err := c.Fetch(context.Background(), tokens.Profile{Name: "tls", TokenURL: srv.URL + "/token", ClientID: "c", ClientSecret: "s"})
	if err == nil {
		t.Fatal("a certificate no CA signed was accepted")
	}
	if tokens.Classify(err) != tokens.Permanent {
		t.Errorf("classified %v: %v", tokens.Classify(err), err)
	}
	if got := Command(err); !strings.Contains(got, "--ca") || strings.Contains(got, "temporary") {
		t.Errorf("%q", got)
	}
}
