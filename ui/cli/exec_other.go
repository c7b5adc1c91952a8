//go:build !unix

package cli

import (
	"os"
	"os/exec"
)

func forwardableSignals() []os.Signal { return []os.Signal{os.Interrupt} }

// forward: on Windows a console Ctrl-C reaches every process attached to the
// console, the child included, so there is nothing to pass on.
func forward(*os.Process, os.Signal) {}

func childExitCode(ee *exec.ExitError) int { return ee.ExitCode() }
