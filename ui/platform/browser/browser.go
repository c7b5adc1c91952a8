// Package browser opens a URL in the person's web browser for a sign-in:
// $BROWSER when set, else the desktop's opener (xdg-open, open,
// rundll32). The browser's output goes to the writer given (the command
// line's stderr), never to stdout, which `token`, `exec-credential` and
// `git-credential` keep for what they print.
package browser

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// ErrNoBrowser says there is no browser to open: no $BROWSER, and no
// graphical session (no DISPLAY or WAYLAND_DISPLAY on Linux and the BSDs,
// as over SSH). The URL is still shown; the device grant signs in without
// a browser on this machine.
var ErrNoBrowser = errors.New("browser: no browser to open here (no $BROWSER and no graphical session)")

// Opener opens URLs. Getenv is the environment (os.Getenv when nil);
// Output receives the browser's output (io.Discard when nil).
type Opener struct {
	Getenv func(string) string
	Output io.Writer
}

// Open starts the browser on url and returns once it has started (it
// does not wait for it to exit: a browser may run on). $BROWSER is a
// command, split at white space, given url as its last argument, or in
// place of a "%s" in it. Safe for concurrent use.
func (o Opener) Open(ctx context.Context, url string) error {
	name, args, err := o.command(url)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(context.WithoutCancel(ctx), name, args...)
	out := o.Output
	if out == nil {
		out = io.Discard
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, out, out
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// command is the program and arguments that open url.
func (o Opener) command(url string) (string, []string, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if b := strings.Fields(getenv("BROWSER")); len(b) > 0 {
		args, placed := []string{}, false
		for _, a := range b[1:] {
			if strings.Contains(a, "%s") {
				a, placed = strings.ReplaceAll(a, "%s", url), true
			}
			args = append(args, a)
		}
		if !placed {
			args = append(args, url)
		}
		return b[0], args, nil
	}
	switch runtime.GOOS {
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler", url}, nil
	case "darwin":
		return "open", []string{url}, nil
	}
	if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return "", nil, ErrNoBrowser
	}
	return "xdg-open", []string{url}, nil
}
