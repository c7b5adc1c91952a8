package importers

import (
	"regexp"
	"strings"
)

// resolver substitutes {{variables}} in a source's values.
type resolver struct {
	// pattern finds a reference; group 1 is the variable name.
	pattern *regexp.Regexp
	// lookup returns a variable's value.
	lookup func(name string) (string, bool)
	// secret reports names whose values the source keeps out of its files.
	secret map[string]bool
}

// postmanVar and brunoVar match {{name}}; insomniaVar matches {{ _.name }}
// and the older {{ name }}.
var (
	curlyVar    = regexp.MustCompile(`\{\{\s*([^{}\s]+)\s*\}\}`)
	insomniaVar = regexp.MustCompile(`\{\{\s*(?:_\.)?([^{}\s]+)\s*\}\}`)
)

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

// resolve substitutes every reference in s, up to 8 levels deep (a value
// may refer to another variable), and lists the names that had no value.
func (r resolver) resolve(s string) (string, []string) {
	var missing []string
	for depth := 0; depth < 8 && r.pattern != nil && r.pattern.MatchString(s); depth++ {
		changed := false
		s = r.pattern.ReplaceAllStringFunc(s, func(ref string) string {
			name := r.pattern.FindStringSubmatch(ref)[1]
			if v, ok := r.lookup(name); ok && !r.secret[name] {
				changed = true
				return v
			}
			return ref
		})
		if !changed {
			break
		}
	}
	if r.pattern != nil {
		for _, m := range r.pattern.FindAllStringSubmatch(s, -1) {
			missing = append(missing, m[1])
		}
	}
	return s, missing
}

// secretVar reports whether v is exactly one reference to a variable whose
// value is kept out of the files (or is defined but empty, as Postman
// exports secrets it does not persist), and names it.
func (r resolver) secretVar(v string) (string, bool) {
	if r.pattern == nil {
		return "", false
	}
	m := r.pattern.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil || m[0] != strings.TrimSpace(v) {
		return "", false
	}
	if r.secret[m[1]] {
		return m[1], true
	}
	if val, ok := r.lookup(m[1]); ok && val == "" {
		return m[1], true
	}
	return "", false
}
