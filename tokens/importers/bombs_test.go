package importers

// Import bombs: small files that make the readers do unbounded work or
// hold unbounded memory. Each test measures what a Read allocates, so a
// regression fails by the numbers instead of exhausting the machine; the
// blow-up factors are the smallest that still show the growth.

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/testenv"
)

// allocated runs read and returns the bytes it allocated.
func allocated(read func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	read()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

const postmanSchema = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"

// postmanWithVars is a collection with one client-credentials request
// whose token URL, client ID and secret are the given values.
func postmanWithVars(vars map[string]string, tokenURL, clientID, secret string) string {
	var vs []string
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		vs = append(vs, fmt.Sprintf(`{"key":%q,"value":%q}`, k, vars[k]))
	}
	return fmt.Sprintf(`{"info":{"name":"Bomb","schema":%q},"variable":[%s],"item":[{"name":"r","request":{"url":"https://x",`+
		`"auth":{"type":"oauth2","oauth2":[{"key":"grant_type","value":"client_credentials"},{"key":"accessTokenUrl","value":%q},`+
		`{"key":"clientId","value":%q},{"key":"clientSecret","value":%q}]}}}]}`, postmanSchema, strings.Join(vs, ","), tokenURL, clientID, secret)
}

// selfBomb is a = "{{a}}" k times: the 409-byte probe of issue 17 had k = 6.
func selfBomb(k int) map[string]string { return map[string]string{"a": strings.Repeat("{{a}}", k)} }

// laughs is a1 = "{{a2}}" k times, …, a<n> = "xxxxxxxx": no cycle, but
// k^(n-1) copies of the last value.
func laughs(k, n int) map[string]string {
	m := map[string]string{fmt.Sprintf("a%d", n): "xxxxxxxx"}
	for i := 1; i < n; i++ {
		m[fmt.Sprintf("a%d", i)] = strings.Repeat(fmt.Sprintf("{{a%d}}", i+1), k)
	}
	return m
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The same resolver serves all three formats; each is fed the bombs.
func TestVariableBombs(t *testing.T) {
	dir := testenv.TempDir(t)
	type source struct {
		format Format
		path   string
	}
	write := func(name string, vars map[string]string, tokenURL, clientID, secret string) []source {
		var vs, bru []string
		for k, v := range vars {
			vs = append(vs, fmt.Sprintf("%q:%q", k, v))
			bru = append(bru, fmt.Sprintf("  %s: %s", k, v))
		}
		insomnia := fmt.Sprintf(`{"_type":"export","__export_format":4,"resources":[{"_id":"w","_type":"workspace","name":"Bomb"},`+
			`{"_id":"e","_type":"environment","parentId":"w","name":"Base","data":{%s}},`+
			`{"_id":"r","_type":"request","parentId":"w","name":"r","authentication":{"type":"oauth2","grantType":"client_credentials",`+
			`"accessTokenUrl":%q,"clientId":%q,"clientSecret":%q}}]}`, strings.Join(vs, ","), tokenURL, clientID, secret)
		bdir := filepath.Join(dir, name+"-bruno")
		writeFile(t, bdir, "bruno.json", `{"name":"Bomb"}`)
		writeFile(t, bdir, "collection.bru", "auth {\n  mode: oauth2\n}\n\nauth:oauth2 {\n  grant_type: client_credentials\n  access_token_url: "+
			tokenURL+"\n  client_id: "+clientID+"\n  client_secret: "+secret+"\n}\n")
		writeFile(t, bdir, "environments/Dev.bru", "vars {\n"+strings.Join(bru, "\n")+"\n}\n")
		return []source{
			{Postman, writeFile(t, dir, name+".postman_collection.json", postmanWithVars(vars, tokenURL, clientID, secret))},
			{Insomnia, writeFile(t, dir, name+"-insomnia.json", insomnia)},
			{Bruno, bdir},
		}
	}
	ref := func(f Format, name string) string {
		if f == Insomnia {
			return "{{ _." + name + " }}"
		}
		return "{{" + name + "}}"
	}
	check := func(t *testing.T, s source, want Problem) Candidate {
		t.Helper()
		var (
			r   *Result
			err error
		)
		bytes := allocated(func() { r, err = Read(s.format, s.path, Options{}) })
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		// Before the fix, 4 references gave 65,536 problems and tens of MiB.
		if bytes > 4<<20 {
			t.Errorf("reading a small file allocated %.1f MiB", float64(bytes)/(1<<20))
		}
		if len(r.Candidates) != 1 {
			t.Fatalf("%d candidates", len(r.Candidates))
		}
		c := r.Candidates[0]
		if len(c.Problems) == 0 || len(c.Problems) > 3 || !slices.ContainsFunc(c.Problems, func(p Problem) bool {
			return p.Code == want.Code && p.Field == want.Field && p.Var == want.Var && p.Limit == want.Limit
		}) {
			t.Fatalf("%d problems, want at most 3 with %+v: %.300v", len(c.Problems), want, c.Problems)
		}
		if n := len(c.Profile.TokenURL) + len(c.Profile.ClientID); n > 4096 {
			t.Fatalf("the fields hold %d bytes", n)
		}
		return c
	}

	t.Run("a variable referring to itself", func(t *testing.T) {
		for _, s := range write("self", selfBomb(4), "https://auth.example.com/{{a}}", "{{a}}", "s") {
			t.Run(string(s.format), func(t *testing.T) {
				c := check(t, s, Problem{Code: ProblemSelfReference, Field: tokens.FieldTokenURL, Var: "a"})
				if !strings.Contains(c.Profile.TokenURL, "{{a}}") && !strings.Contains(c.Profile.TokenURL, "{{ _.a }}") {
					t.Fatalf("a cyclic reference is left as it is, got %q", c.Profile.TokenURL)
				}
			})
		}
	})
	t.Run("a cycle through two variables, in the secret", func(t *testing.T) {
		vars := map[string]string{"a": "{{b}}{{b}}{{b}}", "b": "x{{a}}{{a}}{{a}}"}
		srcs := write("cycle", vars, "https://auth.example.com/token", "c", "{{a}}")
		for _, s := range srcs {
			if s.format == Insomnia {
				// Insomnia's form of the references.
				vars := map[string]string{"a": "{{ _.b }}{{ _.b }}{{ _.b }}", "b": "x{{ _.a }}{{ _.a }}{{ _.a }}"}
				s = write("cycle-i", vars, "https://auth.example.com/token", "c", ref(Insomnia, "a"))[1]
			}
			t.Run(string(s.format), func(t *testing.T) {
				c := check(t, s, Problem{Code: ProblemSelfReference, Field: tokens.FieldClientSecret, Var: "a"})
				if c.Profile.ClientSecret != "" {
					t.Fatalf("a secret that does not resolve is kept: %q", c.Profile.ClientSecret)
				}
			})
		}
	})
	t.Run("billion laughs without a cycle", func(t *testing.T) {
		// 4^7 copies of 8 bytes = 128 KiB, far over the URL's 2048 bytes.
		vars := laughs(4, 8)
		for i, s := range write("laughs", vars, "https://auth.example.com/{{a1}}", "{{a1}}", "s") {
			if s.format == Insomnia {
				iv := map[string]string{}
				for k, v := range vars {
					iv[k] = strings.NewReplacer("{{", "{{ _.", "}}", " }}").Replace(v)
				}
				s = write("laughs-i", iv, "https://auth.example.com/"+ref(Insomnia, "a1"), ref(Insomnia, "a1"), "s")[i]
			}
			t.Run(string(s.format), func(t *testing.T) {
				check(t, s, Problem{Code: ProblemTooLong, Field: tokens.FieldTokenURL, Limit: tokens.MaxURLLen})
			})
		}
	})
}

// A file whose substitutions stay small one by one but add up past the
// per-file budget is refused as too large.
func TestVariableBudgetPerFile(t *testing.T) {
	// Each field expands to 0 bytes through 3^11 empty substitutions,
	// 12 levels deep.
	vars := map[string]string{"z": ""}
	for i := 1; i <= 11; i++ {
		next := fmt.Sprintf("v%d", i+1)
		if i == 11 {
			next = "z"
		}
		vars[fmt.Sprintf("v%d", i)] = strings.Repeat("{{"+next+"}}", 3)
	}
	path := writeFile(t, testenv.TempDir(t), "budget.json", postmanWithVars(vars, "https://auth.example.com/token{{v1}}", "c{{v1}}", "s"))
	var err error
	bytes := allocated(func() { _, err = Read(Postman, path, Options{}) })
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "substitutions") {
		t.Fatalf("Read: %v", err)
	}
	if bytes > 4<<20 {
		t.Errorf("allocated %.1f MiB", float64(bytes)/(1<<20))
	}
}

func TestFewProblems(t *testing.T) {
	p := func(i int) Problem { return Problem{Code: ProblemUnsetVariable, Var: fmt.Sprintf("p%d", i)} }
	var in []Problem
	for i := range 30 {
		in = append(in, p(i%15), p(0))
	}
	got := fewProblems(in)
	if len(got) != maxProblems+1 || got[0].Var != "p0" || got[1].Var != "p1" || got[maxProblems].Code != ProblemMore || got[maxProblems].Count != 5 {
		t.Fatalf("%+v", got)
	}
	self := Problem{Code: ProblemSelfReference, Var: "a", Through: []string{"b"}}
	if got := fewProblems([]Problem{self, self, p(1)}); len(got) != 2 {
		t.Fatalf("%+v", got)
	}
}

// insomniaDupIDs is a v4 export with two request groups per level sharing
// one _id, levels deep: the walk used to double per level.
func insomniaDupIDs(levels int) string {
	res := []string{`{"_id":"wrk","_type":"workspace","name":"Dup"}`}
	parent := "wrk"
	for level := range levels {
		id := fmt.Sprintf("fld_%d", level)
		for range 2 {
			res = append(res, fmt.Sprintf(`{"_id":%q,"_type":"request_group","parentId":%q,"name":"g"}`, id, parent))
		}
		parent = id
	}
	res = append(res, fmt.Sprintf(`{"_id":"req","_type":"request","parentId":%q,"name":"r","authentication":{"type":"oauth2",`+
		`"grantType":"client_credentials","accessTokenUrl":"https://auth.example.com/token","clientId":"c","clientSecret":"s"}}`, parent))
	return `{"_type":"export","__export_format":4,"resources":[` + strings.Join(res, ",") + `]}`
}

func TestInsomniaV4Graphs(t *testing.T) {
	dir := testenv.TempDir(t)
	read := func(t *testing.T, content string) (*Result, error) {
		t.Helper()
		var (
			r   *Result
			err error
		)
		path := writeFile(t, dir, t.Name()+".json", content)
		if bytes := allocated(func() { r, err = Read(Insomnia, path, Options{}) }); bytes > 4<<20 {
			t.Errorf("allocated %.1f MiB", float64(bytes)/(1<<20))
		}
		return r, err
	}
	t.Run("groups sharing an id", func(t *testing.T) {
		// 2^12 walks before the fix.
		if _, err := read(t, insomniaDupIDs(12)); err == nil || !strings.Contains(err.Error(), `_id "fld_0" is used by more than one resource`) {
			t.Fatalf("Read: %v", err)
		}
	})
	export := func(res ...string) string {
		return `{"_type":"export","__export_format":4,"resources":[{"_id":"wrk","_type":"workspace","name":"W"},` + strings.Join(res, ",") + `]}`
	}
	const cc = `"authentication":{"type":"oauth2","grantType":"client_credentials","accessTokenUrl":"https://a.example/t","clientId":"c","clientSecret":"s"}`
	t.Run("a hostile id is shown printable", func(t *testing.T) {
		_, err := read(t, export(`{"_id":"x\u001b[2J\u202e","_type":"request","parentId":"wrk"}`, `{"_id":"x\u001b[2J\u202e","_type":"request","parentId":"wrk"}`))
		if err == nil || strings.ContainsAny(err.Error(), "\x1b\u202e") || !strings.Contains(err.Error(), `_id "x`) {
			t.Fatalf("Read: %q", err)
		}
	})
	t.Run("a group without an id is not walked as the root again", func(t *testing.T) {
		r, err := read(t, export(`{"_type":"request_group","parentId":"","name":"g"}`, `{"_id":"r","_type":"request","parentId":"","name":"r",`+cc+`}`))
		if err != nil || len(r.Candidates) != 1 {
			t.Fatalf("Read: %v %+v", err, r)
		}
	})
	t.Run("groups that are each other's parent are not reached", func(t *testing.T) {
		r, err := read(t, export(`{"_id":"a","_type":"request_group","parentId":"b","name":"a"}`, `{"_id":"b","_type":"request_group","parentId":"a","name":"b"}`,
			`{"_id":"s","_type":"request_group","parentId":"s","name":"self"}`, `{"_id":"r","_type":"request","parentId":"a","name":"r",`+cc+`}`))
		if err != nil || len(r.Candidates) != 0 {
			t.Fatalf("Read: %v %+v", err, r)
		}
	})
	t.Run("every item counts against MaxItems", func(t *testing.T) {
		var res []string
		for i := range MaxItems {
			res = append(res, fmt.Sprintf(`{"_id":"r%d","_type":"request","parentId":"wrk","name":"r"}`, i))
		}
		// MaxItems resources besides the workspace: over the limit.
		if _, err := Read(Insomnia, writeFile(t, dir, "many.json", export(res...)), Options{}); !errors.Is(err, ErrTooLarge) {
			t.Fatalf("Read: %v", err)
		}
	})
}

// Many distinct unresolved references in one field: the reading stays
// small, and the secret asks for the first.
func TestManyMissingVariables(t *testing.T) {
	var refs strings.Builder
	for i := 0; refs.Len() < 60<<10; i++ {
		fmt.Fprintf(&refs, "{{m%d}}", i)
	}
	path := writeFile(t, testenv.TempDir(t), "missing.json", postmanWithVars(nil, "https://auth.example.com/token", "c", refs.String()))
	var r *Result
	if bytes := allocated(func() { r = mustRead(t, Postman, path, "") }); bytes > 8<<20 {
		t.Errorf("allocated %.1f MiB", float64(bytes)/(1<<20))
	}
	if c := r.Candidates[0]; c.SecretMissing != "m0" {
		t.Fatalf("%+v", c)
	}
}

// Thousands of configurations with one name are numbered without trying
// every earlier number for each (which took minutes for 20,000 items).
func TestUniqueNamesManyClashes(t *testing.T) {
	cands := make([]Candidate, 5000)
	for i := range cands {
		cands[i].Profile.Name = "r"
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	uniqueNames(cands)
	runtime.ReadMemStats(&after)
	// Before: 12.5 million tries, each formatting a suffix.
	if n := after.Mallocs - before.Mallocs; n > 100_000 {
		t.Errorf("%d allocations for 5,000 names", n)
	}
	if cands[1].Profile.Name != "r (2)" || cands[4999].Profile.Name != "r (5000)" {
		t.Fatalf("%q %q", cands[1].Profile.Name, cands[4999].Profile.Name)
	}
}

// A long parameter name is not repeated in full in every problem of its
// value, and a deep path is not repeated in full in every origin.
func TestLongNamesInProblemsAndOrigins(t *testing.T) {
	var refs strings.Builder
	for i := 0; refs.Len() < 4000; i++ {
		fmt.Fprintf(&refs, "{{m%d}}", i)
	}
	coll := postmanWithVars(nil, "https://auth.example.com/token", "c", "s")
	coll = strings.Replace(coll, `{"key":"clientSecret","value":"s"}`, fmt.Sprintf(`{"key":"clientSecret","value":"s"},{"key":"tokenRequestParams","value":[{"key":%q,"value":%q}]}`,
		strings.Repeat("k", 1<<20), refs.String()), 1)
	deep := strings.Repeat(`{"name":"`+strings.Repeat("f", 100)+`","item":[`, MaxNesting-2) + `{"name":"leaf","request":{"url":"https://x","auth":{"type":"oauth2","oauth2":[{"key":"grant_type","value":"password"}]}}}` + strings.Repeat(`]}`, MaxNesting-2)
	coll = strings.Replace(coll, `"item":[`, `"item":[`+deep+`,`, 1)
	path := writeFile(t, testenv.TempDir(t), "long.json", coll)
	var r *Result
	// Before: 686 problems of 1 MiB each, origins of 6 KB.
	if bytes := allocated(func() { r = mustRead(t, Postman, path, "") }); bytes > 16<<20 {
		t.Errorf("allocated %.1f MiB", float64(bytes)/(1<<20))
	}
	if c := r.Candidates[0]; len(c.Problems) != maxProblems+1 || len(c.Problems[0].Param)+len(c.Problems[0].Var) > 200 {
		t.Fatalf("%d problems, the first naming %d bytes", len(c.Problems), len(c.Problems[0].Param)+len(c.Problems[0].Var))
	}
	if len(r.Skipped) != 1 || len(r.Skipped[0].Origin) > maxOriginLen || !strings.HasSuffix(r.Skipped[0].Origin, " / … / leaf") {
		t.Fatalf("skipped %.400q", r.Skipped)
	}
}
