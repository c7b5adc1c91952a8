package importers

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// cleanName makes a source's name fit for a profile name: made printable
// (tokens.Printable: terminal escape sequences dropped whole, control and
// format characters dropped, white space collapsed), slashes (not allowed
// in profile names) replaced, at most 100 bytes on a rune boundary.
func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' {
			return '-'
		}
		return r
	}, tokens.Printable(s, len(s)+1))
	return strings.TrimSpace(tokens.CutUTF8(s, tokens.MaxNameLen))
}

// profileName names a profile after its collection and the folder or
// request that holds the configuration.
func profileName(collection string, path ...string) string {
	parts := []string{}
	for _, p := range append([]string{collection}, path...) {
		if p = cleanName(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "imported"
	}
	return cleanName(strings.Join(parts, " - "))
}

// uniqueNames gives each candidate a name no other has, adding " (2)",
// " (3)"… in order. The numbering of a name goes on from where it stopped,
// so many configurations of one name cost no more than a few.
func uniqueNames(cands []Candidate) {
	used := map[string]bool{}
	next := map[string]int{} // by lowercase base name: the number to try first
	for i := range cands {
		base := cands[i].Profile.Name
		name := base
		key := strings.ToLower(base)
		for n := max(next[key], 2); used[strings.ToLower(name)]; n++ {
			next[key] = n + 1
			suffix := fmt.Sprintf(" (%d)", n)
			name = tokens.CutUTF8(base, tokens.MaxNameLen-len(suffix)) + suffix
		}
		used[strings.ToLower(name)] = true
		cands[i].Profile.Name = name
	}
}

// dedupe keeps one candidate per distinct configuration (a collection-level
// configuration inherited by every request is one profile), lists each
// problem once and at most maxProblems of them, then makes the names
// unique.
func (r *Result) dedupe() {
	seen := map[string]bool{}
	out := r.Candidates[:0]
	for _, c := range r.Candidates {
		key := configKey(c)
		if seen[key] {
			continue
		}
		seen[key] = true
		c.Problems = fewProblems(c.Problems)
		out = append(out, c)
	}
	r.Candidates = out
	uniqueNames(r.Candidates)
}

// maxProblems is how many problems a candidate lists; the rest are counted.
const maxProblems = 10

// fewProblems drops repeated problems, in order, and cuts the list at
// maxProblems with a ProblemMore that counts the rest.
func fewProblems(problems []Problem) []Problem {
	seen := map[string]bool{}
	var out []Problem
	more := 0
	for _, p := range problems {
		k := p.key()
		switch {
		case seen[k]:
		case len(out) == maxProblems:
			more++
			seen[k] = true
		default:
			seen[k] = true
			out = append(out, p)
		}
	}
	if more > 0 {
		out = append(out, Problem{Code: ProblemMore, Count: more})
	}
	return out
}

func configKey(c Candidate) string {
	p := c.Profile
	var params, headers []string
	for k, v := range p.Params {
		params = append(params, k+"="+v)
	}
	for k, v := range p.Headers {
		headers = append(headers, k+":"+v)
	}
	slices.Sort(params)
	slices.Sort(headers)
	return strings.Join([]string{p.TokenURL, p.ClientID, p.ClientSecret, string(p.Auth), strings.Join(p.Scopes, " "),
		p.Audience, p.Resource, strings.Join(params, "&"), strings.Join(headers, "\n"), c.SecretMissing,
		string(p.Normalized().Grant), p.AuthorizationURL, strconv.Itoa(p.RedirectPort)}, "\x00")
}
