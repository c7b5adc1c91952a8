package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// DefaultExecMinValid is how long a token handed to `tokentray exec` stays
// valid at least: a job usually runs for minutes, not seconds.
const DefaultExecMinValid = 5 * time.Minute

// Environment variables set for the child of `tokentray exec`.
const (
	EnvProfile   = "TOKENTRAY_PROFILE"
	EnvExpiresAt = "TOKENTRAY_TOKEN_EXPIRES_AT"
	// DefaultTokenVar is where the token goes unless --env names another.
	DefaultTokenVar = "ACCESS_TOKEN"
)

// exitStatus is a command's way to end with a given exit code and no
// message of its own: exec ends with its child's status.
type exitStatus struct {
	code int
	msg  string // printed when not empty (e.g. "command not found")
}

func (e *exitStatus) Error() string {
	if e.msg != "" {
		return e.msg
	}
	return fmt.Sprintf("exit status %d", e.code)
}

// silentExit reports the exit code of an error that carries one.
func silentExit(err error) (code int, msg string, ok bool) {
	var es *exitStatus
	if errors.As(err, &es) {
		return es.code, es.msg, true
	}
	return 0, "", false
}

// envVarName is what a POSIX shell accepts as a variable name.
var envVarName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// forwardedSignals are passed on to the child (see forward for SIGINT).
var forwardedSignals = forwardableSignals()

func runExec(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "exec")
	varName := fs.String("env", DefaultTokenVar, "the environment `VARIABLE` that holds the token")
	minValid := fs.Duration("min-valid", DefaultExecMinValid, "the token stays valid at least this long when COMMAND starts;\nagainst a server whose tokens live shorter, pass less")
	timeout := keyringTimeoutFlag(fs)
	name, command, err := parseExec(fs, args, varName)
	if err != nil {
		return err
	}
	if !envVarName.MatchString(*varName) {
		return usagef("--env %q is not a variable name (letters, digits and _, not starting with a digit)", *varName)
	}
	if *minValid < 0 {
		return usagef("--min-valid must not be negative")
	}
	path, err := exec.LookPath(command[0])
	if err != nil {
		// Checked before the token is fetched: nothing to hand out.
		return &exitStatus{code: 127, msg: fmt.Sprintf("%s: command not found", command[0])}
	}
	t, err := getToken(ctx, env, *timeout, tokens.DefaultFetchTimeout, name, *minValid)
	err = byDefault(fs, "exec", name, err)
	if err != nil {
		return err
	}
	if err := requireBearer(t); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	cmd := exec.Command(path, command[1:]...)
	cmd.Args[0] = command[0]
	// The token goes to the child's environment only: never argv, never a file.
	cmd.Env = append(withoutVars(os.Environ(), *varName, EnvProfile, EnvExpiresAt),
		*varName+"="+t.AccessToken,
		EnvProfile+"="+name,
		EnvExpiresAt+"="+t.ExpiresAt.UTC().Format(time.RFC3339))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = env.Stdin, env.Stdout, env.Stderr
	return runChild(cmd)
}

// parseExec splits "[flags] NAME [flags] [--] COMMAND [ARGS…]": flags end at
// "--" or at the first argument after NAME, which starts the command, so the
// command's own flags are never taken for exec's.
func parseExec(fs *flag.FlagSet, args []string, varName *string) (name string, command []string, err error) {
	rest := args
	for {
		if len(rest) > 0 && rest[0] == "--" {
			rest = rest[1:]
			break
		}
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return "", nil, err
			}
			return "", nil, &usageError{err.Error()}
		}
		used := len(rest) - len(fs.Args())
		terminated := used > 0 && rest[used-1] == "--" && *varName != "--"
		rest = fs.Args()
		if name == "" && len(rest) > 0 {
			name, rest = rest[0], rest[1:]
			if terminated {
				break
			}
			continue
		}
		break
	}
	switch {
	case name == "":
		return "", nil, &missingArgError{usageError{fmt.Sprintf("missing profile NAME (usage: tokentray %s)", usageLine("exec"))}, true}
	case len(rest) == 0:
		return "", nil, usagef("missing the command to run (usage: tokentray %s)", usageLine("exec"))
	}
	return name, rest, nil
}

// withoutVars drops the named variables from an environment list, so the
// child sees exactly one value of each (the one exec sets).
func withoutVars(environ []string, names ...string) []string {
	out := make([]string, 0, len(environ))
next:
	for _, kv := range environ {
		for _, n := range names {
			if len(kv) > len(n) && kv[:len(n)] == n && kv[len(n)] == '=' {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}

// runChild starts cmd, forwards INT, TERM and HUP to it while it runs, and
// returns its exit status: the code it exited with, or 128+N when it died
// of signal N (as a shell reports it).
func runChild(cmd *exec.Cmd) error {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, forwardedSignals...)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return &exitStatus{code: 126, msg: fmt.Sprintf("cannot run %s: %v", cmd.Args[0], err)}
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				forward(cmd.Process, s)
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	if err == nil {
		return nil
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return fmt.Errorf("running %s: %w", cmd.Args[0], err)
	}
	return &exitStatus{code: childExitCode(ee)}
}
