package cli

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/importers"
	"github.com/tokentray/tokentray/ui/explain"
	"github.com/tokentray/tokentray/ui/shellquote"
)

// Finishing a draft: a profile imported from an export made without
// secrets lacks its client secret and the values of its credential-named
// headers and parameters. `edit --read-secret --read-header NAME
// --read-param NAME` reads them (never from argv), and a profile still
// missing some is saved as a draft that says what is left.

// readCredentials reads into p the client secret (when secret) and the
// values of the named headers and parameters, keeping p's other headers
// and parameters: a no-echo prompt each on a terminal; from a pipe, all
// of stdin for the secret alone, else one line per value, the secret's
// first, then the headers', then the parameters', in the order named.
func readCredentials(env *Env, p *tokens.Profile, secret bool, headers, params []string) error {
	if secret && len(headers)+len(params) == 0 {
		s, err := readSecret(env, p.Name)
		p.ClientSecret = s
		return err
	}
	type value struct {
		prompt string
		dst    func(string)
	}
	var values []value
	if secret {
		values = append(values, value{"Client secret for " + p.Name, func(v string) { p.ClientSecret = v }})
	}
	p.Headers, p.Params = maps.Clone(p.Headers), maps.Clone(p.Params)
	for _, k := range headers {
		if p.Headers == nil {
			p.Headers = map[string]string{}
		}
		values = append(values, value{"Value of header " + k + " for " + p.Name, func(v string) { p.Headers[k] = v }})
	}
	for _, k := range params {
		if p.Params == nil {
			p.Params = map[string]string{}
		}
		values = append(values, value{"Value of parameter " + k + " for " + p.Name, func(v string) { p.Params[k] = v }})
	}
	if env.StdinIsTerminal != nil && env.StdinIsTerminal() {
		if env.ReadPassword == nil {
			return fmt.Errorf("cannot prompt for the values")
		}
		for _, v := range values {
			s, err := env.ReadPassword(explain.Printable(v.prompt) + ": ")
			if err != nil {
				return fmt.Errorf("reading %s: %w", strings.ToLower(v.prompt[:1])+v.prompt[1:], err)
			}
			v.dst(strings.TrimSpace(s))
		}
		return nil
	}
	b, err := readAllLimited(env.Stdin, int64(len(values))*(tokens.MaxSecretLen+2))
	if err != nil {
		return fmt.Errorf("reading the values from stdin: %w", err)
	}
	lines := strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"), "\n")
	if len(b) == 0 || len(lines) < len(values) {
		return usagef("stdin holds %d lines; %d values were asked for, one line each (the client secret's first)", countLines(b), len(values))
	}
	for i, v := range values {
		v.dst(strings.TrimSpace(lines[i]))
	}
	return nil
}

// countLines counts the lines of b, a last one without a newline included.
func countLines(b []byte) int {
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return 0
	}
	return strings.Count(s, "\n") + 1
}

// saveEdited saves an edited profile: complete, through save; with its
// client secret but credential values still blank, as a draft, saying
// which are left and how to give them.
func saveEdited(ctx context.Context, env *Env, st tokens.Store, p tokens.Profile) error {
	headers, params := p.BlankCredentials()
	if len(headers)+len(params) == 0 || (p.ClientSecret == "" && p.Normalized().Auth.UsesSecret()) {
		return save(ctx, env, st, p, "Updated")
	}
	m := engine(env, st)
	defer m.Close()
	if err := m.SaveDraft(ctx, p); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Updated profile %s.\n", explain.Printable(p.Name))
	stillBlank(env, p.Name, false, headers, params)
	return nil
}

// stillBlank tells what the named profile still lacks (its client secret
// when secret, credential headers and parameters without a value) and
// the one edit that gives it all.
func stillBlank(env *Env, name string, secret bool, headers, params []string) {
	if !secret && len(headers)+len(params) == 0 {
		return
	}
	var what, flags []string
	if secret {
		what = append(what, "its client secret")
		flags = append(flags, "--read-secret")
	}
	for _, k := range headers {
		what = append(what, "header "+explain.Printable(k))
		flags = append(flags, "--read-header "+shellquote.Word(k))
	}
	for _, k := range params {
		what = append(what, "parameter "+explain.Printable(k))
		flags = append(flags, "--read-param "+shellquote.Word(k))
	}
	fmt.Fprintf(env.Stdout, "Profile %q is saved without %s; give it with: tokentray edit %s %s\n",
		explain.Printable(name), strings.Join(what, ", "), shellquote.Word(name), strings.Join(flags, " "))
}

// finishLater tells, for each profile an import saved as a draft, what it
// lacks and the edit that gives it.
func finishLater(env *Env, o importers.Outcome) {
	blanks := map[string]importers.Incomplete{}
	var names []string
	for _, inc := range o.Incomplete {
		blanks[inc.Name] = inc
		names = append(names, inc.Name)
	}
	for _, name := range o.NeedSecret {
		if _, ok := blanks[name]; !ok {
			names = append(names, name)
		}
	}
	for _, name := range names {
		inc := blanks[name]
		stillBlank(env, name, slices.Contains(o.NeedSecret, name), inc.Headers, inc.Params)
	}
}
