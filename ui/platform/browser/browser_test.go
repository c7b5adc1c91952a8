package browser

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestTheCommandFollowsBrowserThenTheDesktop(t *testing.T) {
	const u = "https://auth.example.com/authorize?x=1&state=s"
	name, args, err := Opener{Getenv: env(map[string]string{"BROWSER": "firefox --new-window"})}.command(u)
	if err != nil || name != "firefox" || strings.Join(args, " ") != "--new-window "+u {
		t.Errorf("$BROWSER: %s %q %v", name, args, err)
	}
	name, args, _ = Opener{Getenv: env(map[string]string{"BROWSER": "w3m %s -dump"})}.command(u)
	if name != "w3m" || strings.Join(args, " ") != u+" -dump" {
		t.Errorf("$BROWSER with %%s: %s %q", name, args)
	}
	if runtime.GOOS == "linux" {
		if _, _, err := (Opener{Getenv: env(nil)}).command(u); err != ErrNoBrowser {
			t.Errorf("over SSH (no display): %v, want ErrNoBrowser", err)
		}
		if name, _, _ := (Opener{Getenv: env(map[string]string{"DISPLAY": ":0"})}).command(u); name != "xdg-open" {
			t.Errorf("desktop opener %s", name)
		}
	}
}

// The browser's output goes where the caller says, never to stdout.
func TestTheBrowsersOutputGoesToTheWriterGiven(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a shell script browser")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "browser")
	mark := filepath.Join(dir, "opened")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho \"opening $1\"\necho \"$1\" > "+mark+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	var w syncWriter
	w.b = &out
	if err := (Opener{Getenv: env(map[string]string{"BROWSER": script}), Output: &w}).Open(context.Background(), "https://x.example.com/a"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(mark); err == nil && strings.TrimSpace(string(b)) == "https://x.example.com/a" {
			time.Sleep(50 * time.Millisecond)
			if !strings.Contains(w.String(), "opening https://x.example.com/a") {
				t.Errorf("output %q", w.String())
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the browser was not started with the URL")
}

type syncWriter struct {
	mu sync.Mutex
	b  *bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
func (w *syncWriter) String() string { w.mu.Lock(); defer w.mu.Unlock(); return w.b.String() }
