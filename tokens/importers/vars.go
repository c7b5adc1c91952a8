package importers

import (
	"fmt"
	"slices"
	"strings"
)

// Limits on filling in {{variables}}, which would otherwise let a file of
// a few hundred bytes ask for gigabytes ("a" = "{{a}}{{a}}…", or each
// variable repeating the next). Every field is also capped at its own
// size limit (tokens.MaxURLLen, …) while it is filled in.
const (
	MaxSubstitutions = 100_000     // references filled in, in one source
	MaxSubstituted   = MaxFileSize // bytes filled in from variables, in one source
	MaxVarDepth      = 16          // variables whose values refer to variables
)

// resolver fills in {{variables}} in a source's values. The resolvers
// copied from one newResolver share its budget: one source's substitutions
// are counted together.
type resolver struct {
	// pattern finds references.
	pattern refSyntax
	// lookup returns a variable's value.
	lookup func(name string) (string, bool)
	// secret reports names whose values the source keeps out of its files.
	secret map[string]bool
	budget *budget
}

// budget counts one source's substitutions against MaxSubstitutions and
// MaxSubstituted; err is set once either is passed.
type budget struct {
	substitutions, bytes int
	err                  error
}

func newResolver(pattern refSyntax, lookup func(string) (string, bool), secret map[string]bool) resolver {
	return resolver{pattern: pattern, lookup: lookup, secret: secret, budget: &budget{}}
}

// exhausted is the error that refuses the whole source when its
// substitutions passed the budget, or nil.
func (r resolver) exhausted() error {
	if r.budget == nil {
		return nil
	}
	return r.budget.err
}

// mapLookup looks names up in maps, the first holding the name winning.
func mapLookup(maps ...map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		for _, m := range maps {
			if v, ok := m[name]; ok {
				return v, true
			}
		}
		return "", false
	}
}

// expansion is one field with its variables filled in.
type expansion struct {
	// value is the field filled in; when problem is set, the field as it
	// was, references and all.
	value string
	// missing names the variables without a value (or with a secret one)
	// whose references are left in value, each once, in order.
	missing []string
	// problem says why the field could not be filled in: a variable that
	// refers to itself, nesting deeper than MaxVarDepth, a result over the
	// field's limit, or the source's budget spent. Its Field is the
	// caller's to set.
	problem *Problem
}

// problems are e's problem and missing variables for a Candidate's
// Problems, in field (a tokens.Field* name; param names an extra
// parameter).
func (e expansion) problems(field, param string) []Problem {
	if e.problem != nil {
		p := *e.problem
		p.Field, p.Param = field, param
		return []Problem{p}
	}
	var out []Problem
	for _, m := range e.missing {
		out = append(out, Problem{Code: ProblemUnsetVariable, Field: field, Param: param, Var: m})
	}
	return out
}

// resolve fills in every reference in s, following references in the
// values (up to MaxVarDepth), and never builds more than limit bytes: the
// work is bounded by limit and the source's budget, not by how the
// variables multiply. A variable that refers to itself, directly or
// through others, is a problem: s is then returned as it is.
func (r resolver) resolve(s string, limit int) expansion {
	if r.lookup == nil || len(s) > limit || !strings.Contains(s, "{{") {
		return expansion{value: s} // a field too long as it is is the profile's check
	}
	f := filling{resolver: r, limit: limit}
	if r.budget == nil {
		f.budget = &budget{}
	}
	if !f.fill(s) {
		return expansion{value: s, problem: f.problem}
	}
	return expansion{value: f.out.String(), missing: f.missing}
}

// filling is the state of one resolve.
type filling struct {
	resolver
	limit   int
	out     strings.Builder
	stack   []string // the variables being filled in, outermost first
	missing []string
	seen    map[string]bool // the names in missing
	problem *Problem
}

// fill appends s, references filled in, to f.out; false when it stopped
// with f.problem set.
func (f *filling) fill(s string) bool {
	for s != "" {
		room := f.limit - f.out.Len()
		// Only the part that can still fit is searched: a long value is
		// not scanned to its end once the field is full.
		window := s[:min(len(s), room+1+maxRefLen)]
		start, end, name := f.pattern.find(window)
		text := window
		if start >= 0 {
			text = s[:start]
		}
		if !f.write(text) {
			return false
		}
		if start < 0 {
			s = s[len(window):]
			continue
		}
		ref := s[start:end]
		s = s[end:]
		value, ok := f.lookup(name)
		if !ok || f.secret[name] {
			if !f.seen[name] {
				if f.seen == nil {
					f.seen = map[string]bool{}
				}
				f.seen[name] = true
				f.missing = append(f.missing, name)
			}
			if !f.write(ref) {
				return false
			}
			continue
		}
		if i := slices.Index(f.stack, name); i >= 0 {
			f.problem = &Problem{Code: ProblemSelfReference, Var: name, Through: slices.Clone(f.stack[i+1:])}
			return false
		}
		if len(f.stack) >= MaxVarDepth {
			f.problem = &Problem{Code: ProblemTooDeep, Var: name, Limit: MaxVarDepth}
			return false
		}
		if f.budget.substitutions++; f.budget.substitutions > MaxSubstitutions {
			return f.spent(fmt.Errorf("more than %d {{variable}} substitutions: %w", MaxSubstitutions, ErrTooLarge), Problem{Code: ProblemBudget, Limit: MaxSubstitutions, Substitutions: true})
		}
		f.stack = append(f.stack, name)
		if !f.fill(value) {
			return false
		}
		f.stack = f.stack[:len(f.stack)-1]
	}
	return true
}

// write appends text unless the field or the source's budget would pass
// its limit.
func (f *filling) write(text string) bool {
	if f.out.Len()+len(text) > f.limit {
		f.problem = &Problem{Code: ProblemTooLong, Limit: f.limit}
		return false
	}
	if len(f.stack) > 0 {
		if f.budget.bytes += len(text); f.budget.bytes > MaxSubstituted {
			return f.spent(fmt.Errorf("{{variables}} fill in more than %d bytes: %w", MaxSubstituted, ErrTooLarge), Problem{Code: ProblemBudget, Limit: MaxSubstituted})
		}
	}
	f.out.WriteString(text)
	return true
}

func (f *filling) spent(err error, p Problem) bool {
	if f.budget.err == nil {
		f.budget.err = err
	}
	f.problem = &p
	return false
}

// secretVar reports whether v is exactly one reference to a variable whose
// value is kept out of the files (or is defined but empty, as Postman
// exports secrets it does not persist), and names it.
func (r resolver) secretVar(v string) (string, bool) {
	if r.lookup == nil {
		return "", false
	}
	name, ok := r.pattern.whole(strings.TrimSpace(v))
	if !ok {
		return "", false
	}
	if r.secret[name] {
		return name, true
	}
	if val, ok := r.lookup(name); ok && val == "" {
		return name, true
	}
	return "", false
}
