//go:build unix

package cli

import (
	"os"
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"
)

func forwardableSignals() []os.Signal {
	return []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}
}

// forward passes s on to the child. A SIGINT typed at the terminal (Ctrl-C)
// already reached the child, which is in the terminal's foreground process
// group with us; sending it again would be a second Ctrl-C, which many
// programs take as "quit now". So SIGINT is forwarded only when we are not
// that foreground group (the signal came from kill, not from the terminal).
func forward(p *os.Process, s os.Signal) {
	if s == syscall.SIGINT && inForegroundGroup() {
		return
	}
	_ = p.Signal(s)
}

func inForegroundGroup() bool {
	tty, err := os.Open("/dev/tty")
	if err != nil {
		return false // no controlling terminal: nobody else sent it
	}
	defer tty.Close()
	fg, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCGPGRP)
	return err == nil && fg == unix.Getpgrp()
}

func childExitCode(ee *exec.ExitError) int {
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ee.ExitCode()
}
