package ui

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/tokentray/tokentray/tokens"
)

// The browser sign-in's dialog, with the real client and its loopback
// listener: it shows the address the browser was given (to copy into a
// browser elsewhere), Copy copies exactly it, and Cancel stops the
// sign-in: the listener closes, no token request is made and nothing is
// kept. The browser here only notes the address, as a person who has not
// finished signing in.
func TestBrowserSignInDialogShowsTheAddressAndCancelCloses(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a shell script browser")
	}
	dir := t.TempDir()
	opened := filepath.Join(dir, "opened")
	script := filepath.Join(dir, "browser")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf %s \"$1\" >"+opened+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BROWSER", script)
	var tokenRequests atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		tokenRequests.Add(1)
		w.WriteHeader(http.StatusBadRequest)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	m, client, st := realSignInEngine(t, srv.URL)
	h := newHarness(t, Options{Engine: m, SignIn: client})
	h.c.deliver(m.Snapshot())
	h.settle()
	h.c.signIn("me")
	h.mu.Lock()
	work := h.bgq
	h.bgq = nil
	h.mu.Unlock()
	if len(work) == 0 {
		t.Fatal("no background job for the sign-in")
	}
	for _, f := range work[:len(work)-1] {
		f()
	}
	done := make(chan struct{})
	go func() { work[len(work)-1](); close(done) }()
	v := h.c.signing["me"]
	if v == nil {
		t.Fatal("no sign-in under way")
	}
	h.settleUntil("the address in the dialog", func() bool { return v.address.Text != "" })

	shown := v.address.Text
	u, err := url.Parse(shown)
	if err != nil || !strings.HasPrefix(shown, srv.URL+"/authorize?") || u.Query().Get("code_challenge_method") != "S256" {
		t.Fatalf("the dialog shows %q", shown)
	}
	if !v.address.Selectable || v.copyBtn.Disabled() {
		t.Errorf("the address is not selectable (%v) or Copy is off (%v)", v.address.Selectable, v.copyBtn.Disabled())
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if b, _ := os.ReadFile(opened); string(b) == shown {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the browser was given %q, the dialog shows %q", b, shown)
		}
	}
	test.Tap(v.copyBtn)
	if got := h.app.Clipboard().Content(); got != shown {
		t.Errorf("Copy put %q on the clipboard", got)
	}

	// The loopback listener is up while the sign-in waits.
	callback, err := url.Parse(u.Query().Get("redirect_uri"))
	if err != nil || callback.Hostname() != "127.0.0.1" {
		t.Fatalf("redirect_uri %q", u.Query().Get("redirect_uri"))
	}
	if c, err := net.DialTimeout("tcp", callback.Host, time.Second); err != nil {
		t.Fatalf("no listener at %s while the sign-in waits: %v", callback.Host, err)
	} else {
		c.Close()
	}

	test.Tap(v.cancel)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Cancel did not end the sign-in")
	}
	h.settleUntil("the sign-in's end", func() bool { return h.c.signing["me"] == nil })
	if c, err := net.DialTimeout("tcp", callback.Host, time.Second); err == nil {
		c.Close()
		t.Errorf("the loopback listener at %s still accepts after Cancel", callback.Host)
	}
	if h.c.win.dlg != nil || tokenRequests.Load() != 0 {
		t.Errorf("after Cancel: dialog %v, %d token requests", h.c.win.dlg, tokenRequests.Load())
	}
	if m := h.c.win.details.msg; m == nil || m.title != "Sign-in to me cancelled" {
		t.Errorf("details say %+v", m)
	}
	if _, err := st.LoadToken(context.Background(), "me"); !errors.Is(err, tokens.ErrNotFound) {
		t.Errorf("a token was kept: %v", err)
	}
	if _, err := st.(tokens.RefreshStore).LoadRefresh(context.Background(), "me"); !errors.Is(err, tokens.ErrNotFound) {
		t.Errorf("a refresh token was kept: %v", err)
	}
}
