package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// The commands that ask about a token: token --verify, introspect, revoke,
// and list --verify.

// errNoInspector is returned when the Env can neither verify, introspect
// nor revoke (a test Env without a network client).
var errNoInspector = errors.New("this Tokentray cannot verify, introspect or revoke tokens")

// inspector is env.Inspector, or errNoInspector when it is nil.
func inspector(env *Env) (tokens.Inspector, error) {
	if env.Inspector != nil {
		return env.Inspector, nil
	}
	return nil, errNoInspector
}

// verdictExit is the exit of a command whose verdict is not valid.
func verdictExit(v tokens.Verdict) error {
	switch v {
	case tokens.VerdictInvalid:
		return &exitStatus{code: ExitInvalid}
	case tokens.VerdictValid:
		return nil
	}
	return &exitStatus{code: ExitUnchecked}
}

// writeVerification prints the verdict line and one row per check.
func writeVerification(w io.Writer, name string, v *tokens.Verification) {
	fmt.Fprintf(w, "tokentray: %s: %s\n", explain.Printable(name), explain.Verification(v))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range v.Checks {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", explain.CheckName(c.Kind), explain.Verdict(c.Verdict), oneLine(explain.CheckDetail(v, c)))
	}
	_ = tw.Flush()
}

// verifyToken verifies t of the named profile and prints the verdict on
// stderr; the error carries the exit code of a verdict that is not valid.
func verifyToken(ctx context.Context, env *Env, keyringTimeout time.Duration, name string, t *tokens.Token) error {
	in, err := inspector(env)
	if err != nil {
		return err
	}
	p, err := loadProfile(ctx, env.OpenStore(keyringTimeout), name)
	if err != nil {
		return err
	}
	v := in.Verify(ctx, p, t)
	writeVerification(env.Stderr, name, v)
	return verdictExit(v.Verdict())
}

func runIntrospect(ctx context.Context, env *Env, args []string) error {
	a, err := parseIssuerCommand(env, "introspect", "give up on the token and introspection endpoints after this long", args)
	if err != nil {
		return err
	}
	in, name := a.in, a.name
	t, err := getToken(ctx, env, a.keyringTimeout, a.timeout, name, 0)
	if err != nil {
		return err
	}
	p, err := loadProfile(ctx, env.OpenStore(a.keyringTimeout), name)
	if err != nil {
		return err
	}
	reqCtx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	r, err := in.Introspect(reqCtx, p, t)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	writeIntrospection(env.Stdout, r)
	if !r.Active {
		return &exitStatus{code: ExitInvalid, msg: name + ": the issuer says the token is not active (revoked, expired or unknown)"}
	}
	return nil
}

// writeIntrospection prints the members people look for, then the answer.
func writeIntrospection(w io.Writer, r *tokens.Introspection) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range explain.IntrospectionRows(r) {
		fmt.Fprintf(tw, "%s:\t%s\n", row[0], row[1])
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "\nAnswer of %s:\n%s\n", explain.Printable(r.Endpoint), r.Raw)
	if r.Truncated {
		fmt.Fprintf(w, "(cut at %d bytes)\n", tokens.MaxIntrospectionShown)
	}
}

func runRevoke(ctx context.Context, env *Env, args []string) error {
	a, err := parseIssuerCommand(env, "revoke", "give up on the revocation endpoint after this long", args)
	if err != nil {
		return err
	}
	in, name := a.in, a.name
	st := env.OpenStore(a.keyringTimeout)
	p, err := loadProfile(ctx, st, name)
	if err != nil {
		return err
	}
	t, err := st.LoadToken(ctx, name)
	if errors.Is(err, tokens.ErrNotFound) { // none, or fetched with other credentials
		fmt.Fprintf(env.Stdout, "Profile %s has no cached token to revoke.\n", explain.Printable(name))
		return nil
	}
	if err != nil {
		return err
	}
	reqCtx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	if err := in.Revoke(reqCtx, p, t); err != nil {
		return fmt.Errorf("%s: the token was not revoked and is still cached: %w", name, err)
	}
	m := engine(env, st)
	defer m.Close()
	err = m.DropToken(ctx, name, t)
	// The running app must not hand it out either; told once it is gone
	// from the keyring, so the app cannot take it up from there.
	env.tokenDropped(name)
	if err != nil {
		return fmt.Errorf("%s: the token was revoked, but removing it from the keyring failed: %w", name, err)
	}
	fmt.Fprintf(env.Stdout, "Revoked the token of %s and removed it from the keyring.\n", explain.Printable(name))
	return nil
}

// listVerification is the "verification" member of list --json --verify.
type listVerification struct {
	Verdict string            `json:"verdict"`
	Summary string            `json:"summary"`
	Checks  []listVerifyCheck `json:"checks"`
}

type listVerifyCheck struct {
	Check   string `json:"check"`
	Verdict string `json:"verdict"`
	Finding string `json:"finding"`
	Detail  string `json:"detail"`
}

// verifyForList verifies a cached token for list --verify.
func verifyForList(ctx context.Context, in tokens.Inspector, p tokens.Profile, t *tokens.Token) *listVerification {
	v := in.Verify(ctx, p, t)
	out := &listVerification{Verdict: v.Verdict().String(), Summary: oneLine(explain.Verification(v)), Checks: []listVerifyCheck{}}
	for _, c := range v.Checks {
		out.Checks = append(out.Checks, listVerifyCheck{Check: string(c.Kind), Verdict: c.Verdict.String(), Finding: string(c.Finding), Detail: oneLine(explain.CheckDetail(v, c))})
	}
	return out
}

// verdictColumn is the VERIFIED column of list --verify.
func verdictColumn(v *listVerification) string {
	if v == nil {
		return "-"
	}
	return strings.ReplaceAll(v.Verdict, "_", " ")
}

// worse returns the worse of worst and the verdict of v: invalid, then
// could not check. A list without --verify stays valid (exit 0).
func worse(worst tokens.Verdict, v *listVerification) tokens.Verdict {
	switch {
	case worst == tokens.VerdictInvalid || v.Verdict == tokens.VerdictInvalid.String():
		return tokens.VerdictInvalid
	case v.Verdict != tokens.VerdictValid.String():
		return tokens.VerdictUnchecked
	}
	return worst
}

// issuerCommand is what introspect and revoke are given: one profile name,
// --timeout and --keyring-timeout, and the inspector that asks the issuer.
type issuerCommand struct {
	name                    string
	in                      tokens.Inspector
	timeout, keyringTimeout time.Duration
}

// parseIssuerCommand parses the arguments of a command that asks a
// profile's issuer about its token (introspect, revoke).
func parseIssuerCommand(env *Env, cmd, timeoutHelp string, args []string) (issuerCommand, error) {
	fs := newFlagSet(env, cmd)
	timeout := fs.Duration("timeout", tokens.DefaultFetchTimeout, timeoutHelp)
	keyringTimeout := keyringTimeoutFlag(fs)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return issuerCommand{}, err
	}
	in, err := inspector(env)
	if err != nil {
		return issuerCommand{}, err
	}
	return issuerCommand{name: pos[0], in: in, timeout: *timeout, keyringTimeout: *keyringTimeout}, nil
}
