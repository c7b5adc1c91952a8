// Package quietlocale keeps the GUI toolkit's locale start-up from writing
// to the command line's stderr.
//
// Fyne's lang package reads the locale in its package initialiser and logs
// "Fyne error: Error parsing user locale C" when LANG (or LC_ALL,
// LC_MESSAGES) is C.UTF-8 and similar, as in most containers and CI
// images. That runs before main, so main cannot prevent it; an initialiser
// that runs earlier can. This package's init, when os.Args names a
// command-line subcommand, sets LC_ALL=C for the rest of start-up (with
// LC_ALL=C the locale library does not parse anything: the command line
// uses no translations), and Restore, the first thing main calls, puts the
// environment back exactly as it was, so the commands and the processes
// they start see the user's locale. The tray app (no subcommand) is left
// alone and keeps its translations.
//
// Why this init runs first: Go initialises a package only after the
// packages it imports, and among the packages ready to initialise, the one
// first by import path goes first (Go 1.21+). This package imports only
// "os". Fyne's lang package imports "log", which imports "os" too, so
// whenever log is ready this package is ready as well and comes first
// ("github.com/tokentray/tokentray/ui/platform/quietlocale" < "log": any path under
// github.com sorts before log); lang initialises after log. TestLocaleInitOrder
// in the main package checks the order in the real binary.
//
// It imports nothing but "os" on purpose: keep it that way.
package quietlocale

import "os"

// localeVars are the variables the locale library reads, saved so Restore
// can put them back.
var localeVars = [...]string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"}

type saved struct {
	value string
	set   bool
}

var (
	active bool
	before [len(localeVars)]saved
)

func init() {
	if !isCommandLine(os.Args) {
		return
	}
	for i, k := range localeVars {
		before[i].value, before[i].set = os.LookupEnv(k)
	}
	active = true
	os.Setenv("LC_ALL", "C")
}

// Restore undoes what init changed, if anything. Call it first in main,
// before anything reads the environment or starts a process. Not safe for
// concurrent use (it runs once, single-threaded, at start).
func Restore() {
	if !active {
		return
	}
	active = false
	for i, k := range localeVars {
		if before[i].set {
			os.Setenv(k, before[i].value)
		} else {
			os.Unsetenv(k)
		}
	}
}

// Active reports whether init quietened the locale (for tests).
func Active() bool { return active }

// isCommandLine reports whether args (os.Args) run a command-line
// subcommand rather than the tray app: a first argument that is not a flag,
// or a help or version flag. The tray app takes only flags.
func isCommandLine(args []string) bool {
	if len(args) < 2 || args[1] == "" {
		return false
	}
	a := args[1]
	return a[0] != '-' || a == "-h" || a == "--help" || a == "-help" || a == "--version"
}
