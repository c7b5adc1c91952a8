package importers

import (
	"regexp"
	"strings"
	"testing"
)

// The hand-written matcher finds what the regular expressions it replaces
// found.
var (
	curlyRegexp    = regexp.MustCompile(`\{\{\s{0,8}([^{}\s]{1,256})\s{0,8}\}\}`)
	insomniaRegexp = regexp.MustCompile(`\{\{\s{0,8}(?:_\.)?([^{}\s]{1,256})\s{0,8}\}\}`)
)

func sameAsRegexp(t *testing.T, s string) {
	t.Helper()
	for _, c := range []struct {
		x  refSyntax
		re *regexp.Regexp
	}{{curlyVar, curlyRegexp}, {insomniaVar, insomniaRegexp}} {
		start, end, name := c.x.find(s)
		loc := c.re.FindStringSubmatchIndex(s)
		if loc == nil {
			if start >= 0 {
				t.Errorf("find(%q) = %d, %d, %q; the regexp finds none", s, start, end, name)
			}
			continue
		}
		if start != loc[0] || end != loc[1] || name != s[loc[2]:loc[3]] {
			t.Errorf("find(%q) = %d, %d, %q; the regexp finds %d, %d, %q", s, start, end, name, loc[0], loc[1], s[loc[2]:loc[3]])
		}
		if n, ok := c.x.whole(s); ok != (loc[0] == 0 && loc[1] == len(s)) || (ok && n != name) {
			t.Errorf("whole(%q) = %q, %v", s, n, ok)
		}
	}
}

func TestRefSyntaxMatchesTheRegexp(t *testing.T) {
	for _, s := range []string{"", "{{a}}", "x{{a}}y", "{{{a}}", "{{a}}}", "{{ a }}", "{{        a        }}", "{{         a}}",
		"{{a         }}", "{{ _.a }}", "{{_.}}", "{{_.a.b}}", "{{_}}", "{{a b}}", "{{}}", "{{ }}", "{{a}", "{a}}", "{{\ta\n}}",
		"{{\va}}", "{{" + strings.Repeat("n", 256) + "}}", "{{" + strings.Repeat("n", 257) + "}}", "{{é}}", "{{" + strings.Repeat("é", 256) + "}}", "{{" + strings.Repeat("é", 257) + "}}", "{{" + strings.Repeat("\xff", 256) + "}}", "{{\x80\x80}}", "{{\xff}}", "{{a{{b}}",
		"{{_._.a}}", "{{ _. a }}", "{{a}}{{b}}", "{{{{{{", "}}{{x}}"} {
		sameAsRegexp(t, s)
	}
}

func FuzzRefSyntax(f *testing.F) {
	f.Add("x{{ _.a }}y{{b}}")
	f.Fuzz(func(t *testing.T, s string) { sameAsRegexp(t, s) })
}
