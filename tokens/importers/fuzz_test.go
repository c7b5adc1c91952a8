package importers

// Fuzz targets for every reader: `go test -run '^$' -fuzz FuzzPostman
// -fuzztime 3m -fuzzminimizetime 2s -parallel 1 ./tokens/importers/`
// (likewise FuzzBruno, FuzzInsomniaV4, FuzzInsomniaV5; the default minute
// spent minimizing each new input leaves the fuzzer idle most of the time). Plain `go test` runs the seeds: the
// real fixtures (f.Add) and testdata/fuzz/Fuzz*/, which holds the hostile
// cases of issue 17 (TestFuzzSeedsCheckedIn keeps them there) and any
// crasher found.
//
// Each input must stay within bounds that do not depend on the machine:
// the bytes and the number of allocations of one Read, a fixed amount
// plus a multiple of the input's size. Allocations stand for work: every
// loop that grew without bound in issue 17 allocated as it went. While
// fuzzing (only), one Read must also end within fuzzTimeBound, far above
// what any input takes, so a CPU-only loop is caught without making the
// plain test runs timing-dependent.

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/testenv"
)

const (
	fuzzAllocBase    = 96 << 20 // bytes allocated by one Read, plus fuzzAllocPerByte per input byte
	fuzzAllocPerByte = 256
	fuzzMallocsBase  = 2_000_000 // allocations by one Read, plus fuzzMallocsPerByte per input byte
	fuzzMallocsPer   = 64
	fuzzTimeBound    = 2 * time.Second // only with -fuzz
)

// bounded runs read and fails t when it passes the bounds for an input of
// size bytes.
func bounded(t *testing.T, size int, read func()) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	read()
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	t.Logf("%d bytes in: %d bytes, %d allocations, %v", size, after.TotalAlloc-before.TotalAlloc, after.Mallocs-before.Mallocs, took)
	if bytes := after.TotalAlloc - before.TotalAlloc; bytes > uint64(fuzzAllocBase+fuzzAllocPerByte*size) {
		t.Errorf("a %d-byte input allocated %.1f MiB", size, float64(bytes)/(1<<20))
	}
	if n := after.Mallocs - before.Mallocs; n > uint64(fuzzMallocsBase+fuzzMallocsPer*size) {
		t.Errorf("a %d-byte input made %d allocations", size, n)
	}
	if fuzzing() && took > fuzzTimeBound {
		t.Errorf("a %d-byte input took %v", size, took)
	}
}

func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// checkResult asserts what every Read promises of its result.
func checkResult(t *testing.T, r *Result, err error) {
	t.Helper()
	if err != nil {
		return
	}
	if len(r.Candidates) > MaxItems+1 {
		t.Errorf("%d candidates", len(r.Candidates))
	}
	names := map[string]bool{}
	for _, c := range r.Candidates {
		if len(c.Problems) > maxProblems+1 {
			t.Errorf("%d problems", len(c.Problems))
		}
		if n := strings.ToLower(c.Profile.Name); names[n] || len(n) > tokens.MaxNameLen {
			t.Errorf("name %q repeated or too long", c.Profile.Name)
		} else {
			names[n] = true
		}
	}
}

func fixture(f *testing.F, path string) []byte {
	f.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

func FuzzPostman(f *testing.F) {
	for _, c := range []struct{ coll, env string }{
		{"testdata/postman/Oauth2.postman_collection.json", ""},
		{"testdata/postman/Oauth2Folder.postman_collection.json", ""},
		{"testdata/postman/own-v2.0.postman_collection.json", "testdata/postman/own-cc.postman_environment.json"},
		{"testdata/postman/own-v2.0.postman_collection.json", "testdata/postman/basic-input.postman_environment.json"},
	} {
		var env []byte
		if c.env != "" {
			env = fixture(f, c.env)
		}
		f.Add(fixture(f, c.coll), env)
	}
	f.Fuzz(func(t *testing.T, collection, environment []byte) {
		dir := testenv.TempDir(t)
		path := filepath.Join(dir, "c.json")
		os.WriteFile(path, collection, 0o600)
		var opts Options
		if len(environment) > 0 {
			opts.Environment = filepath.Join(dir, "e.json")
			os.WriteFile(opts.Environment, environment, 0o600)
		}
		var (
			r   *Result
			err error
		)
		bounded(t, len(collection)+len(environment), func() { r, err = Read(Postman, path, opts) })
		checkResult(t, r, err)
	})
}

// FuzzBruno reads a generated collection: bruno.json, collection.bru, one
// request in a folder, and one environment.
func FuzzBruno(f *testing.F) {
	f.Add(string(fixture(f, "testdata/bruno/own-edge/collection.bru")), string(fixture(f, "testdata/bruno/own-edge/Payments/folder.bru")),
		string(fixture(f, "testdata/bruno/own-edge/environments/Dev.bru")))
	f.Add(string(fixture(f, "testdata/bruno/collection_oauth2/collection.bru")),
		string(fixture(f, "testdata/bruno/collection_oauth2/auth/oauth2/client_credentials/token.bru")),
		string(fixture(f, "testdata/bruno/collection_oauth2/environments/Local.bru")))
	f.Fuzz(func(t *testing.T, collection, request, environment string) {
		root := testenv.TempDir(t)
		os.WriteFile(filepath.Join(root, "bruno.json"), []byte(`{"name":"Fuzz"}`), 0o600)
		os.WriteFile(filepath.Join(root, "collection.bru"), []byte(collection), 0o600)
		os.Mkdir(filepath.Join(root, "Folder"), 0o700)
		os.WriteFile(filepath.Join(root, "Folder", "Request.bru"), []byte(request), 0o600)
		os.Mkdir(filepath.Join(root, "environments"), 0o700)
		os.WriteFile(filepath.Join(root, "environments", "Dev.bru"), []byte(environment), 0o600)
		var (
			r   *Result
			err error
		)
		bounded(t, len(collection)+len(request)+len(environment), func() { r, err = Read(Bruno, root, Options{}) })
		checkResult(t, r, err)
	})
}

func fuzzInsomnia(f *testing.F) {
	f.Fuzz(func(t *testing.T, export []byte, env string) {
		path := filepath.Join(testenv.TempDir(t), "export")
		os.WriteFile(path, export, 0o600)
		var (
			r   *Result
			err error
		)
		bounded(t, len(export), func() { r, err = Read(Insomnia, path, Options{Environment: env}) })
		checkResult(t, r, err)
	})
}

func FuzzInsomniaV4(f *testing.F) {
	f.Add(fixture(f, "testdata/insomnia/own-v4.json"), "Dev")
	f.Add(fixture(f, "testdata/insomnia/own-v4.json"), "")
	f.Add(fixture(f, "testdata/insomnia/postman-export-oauth2-v2_1-output.json"), "")
	f.Add(fixture(f, "testdata/insomnia/oauth2_0-auth-v2_0-output.json"), "")
	fuzzInsomnia(f)
}

func FuzzInsomniaV5(f *testing.F) {
	f.Add(fixture(f, "testdata/insomnia/own-v5.yaml"), "")
	f.Add(fixture(f, "testdata/insomnia/own-v5.yaml"), "Local")
	fuzzInsomnia(f)
}

// hostileSeeds are the hostile cases of issue 17, by fuzz target, as the
// files under testdata/fuzz hold them.
func hostileSeeds() map[string]map[string][]any {
	pm := func(vars map[string]string, tokenURL, clientID, secret string) []any {
		return []any{[]byte(postmanWithVars(vars, tokenURL, clientID, secret)), []byte(nil)}
	}
	cycle := map[string]string{"a": "{{b}}{{b}}{{b}}", "b": "x{{a}}{{a}}{{a}}"}
	v5 := func(collection, data string) string {
		return "type: collection.insomnia.rest/5.0\nname: Bomb\ncollection:\n" + collection + "environments:\n  name: Base\n  data:\n" + data
	}
	auth := "    authentication: {type: oauth2, grantType: client_credentials, accessTokenUrl: \"https://a.example/{{ _.a }}\", clientId: \"{{ _.a }}\", clientSecret: s}\n"
	aliases := "  - &l0 {name: r, " + strings.TrimSpace(strings.TrimPrefix(auth, "    ")) + "}\n"
	for i := 1; i <= 12; i++ {
		aliases += fmt.Sprintf("  - &l%d {name: g, children: [*l%d, *l%d, *l%d, *l%d]}\n", i, i-1, i-1, i-1, i-1)
	}
	bruAuth := "auth {\n  mode: oauth2\n}\n\nauth:oauth2 {\n  grant_type: client_credentials\n  access_token_url: https://a.example/{{a}}\n  client_id: {{a}}\n  client_secret: {{a1}}\n}\n"
	bruVars := func(vars map[string]string) string {
		s := "vars {\n"
		for _, k := range slices.Sorted(maps.Keys(vars)) {
			s += "  " + k + ": " + vars[k] + "\n"
		}
		return s + "}\n"
	}
	return map[string]map[string][]any{
		"FuzzPostman": {
			"self-reference-6":   pm(selfBomb(6), "https://auth.example.com/{{a}}", "{{a}}", "s"),
			"self-reference-8":   pm(selfBomb(8), "https://auth.example.com/{{a}}", "{{a}}", "{{a}}"),
			"cycle-in-secret":    pm(cycle, "https://auth.example.com/token", "c", "{{a}}"),
			"billion-laughs":     pm(laughs(10, 9), "https://auth.example.com/{{a1}}", "{{a1}}", "{{a1}}"),
			"environment-bomb":   {[]byte(postmanWithVars(nil, "https://auth.example.com/{{a}}", "{{a}}", "{{a}}")), []byte(`{"name":"E","values":[{"key":"a","value":"` + strings.Repeat("{{a}}", 8) + `"}]}`)},
			"empty-substitution": pm(map[string]string{"z": "", "y": strings.Repeat("{{z}}", 40), "x": strings.Repeat("{{y}}", 40), "w": strings.Repeat("{{x}}", 40)}, "https://a.example/{{w}}", "{{w}}", "{{w}}"),
		},
		"FuzzInsomniaV4": {
			"duplicate-ids-40": {[]byte(insomniaDupIDs(40)), ""},
			"self-reference":   {[]byte(`{"_type":"export","__export_format":4,"resources":[{"_id":"w","_type":"workspace","name":"B"},{"_id":"e","_type":"environment","parentId":"w","name":"Base","data":{"a":"` + strings.Repeat("{{ _.a }}", 8) + `"}},{"_id":"r","_type":"request","parentId":"w","name":"r","authentication":{"type":"oauth2","grantType":"client_credentials","accessTokenUrl":"https://a.example/{{ _.a }}","clientId":"{{ _.a }}","clientSecret":"{{ _.a }}"}}]}`), ""},
			"id-less-group":    {[]byte(`{"_type":"export","__export_format":4,"resources":[{"_id":"w","_type":"workspace","name":"B"},{"_type":"request_group","parentId":"","name":"g"},{"_type":"request_group","parentId":"","name":"h"},{"_id":"r","_type":"request","parentId":"","name":"r","authentication":{"type":"oauth2","grantType":"client_credentials","accessTokenUrl":"https://a.example/t","clientId":"c"}}]}`), ""},
		},
		"FuzzInsomniaV5": {
			"self-reference": {[]byte(v5("  - name: r\n"+auth, "    a: \""+strings.Repeat("{{ _.a }}", 8)+"\"\n")), ""},
			"alias-fan-out":  {[]byte(v5(aliases, "    a: x\n")), ""},
		},
		"FuzzBruno": {
			"self-reference": {bruAuth, "meta {\n  name: r\n}\n", bruVars(map[string]string{"a": strings.Repeat("{{a}}", 8), "a1": "{{a}}"})},
			"billion-laughs": {bruAuth, "meta {\n  name: r\n}\n", bruVars(laughs(10, 9))},
			"unclosed-block": {bruAuth + "vars {\n" + strings.Repeat("  x: {{a}}\n", 200), "get {\n", "vars {\n  a: {{a}}{{a}}\n"},
		},
	}
}

// corpusFile is a seed in the format of testdata/fuzz (go test fuzz v1).
func corpusFile(args []any) string {
	var b strings.Builder
	b.WriteString("go test fuzz v1\n")
	for _, a := range args {
		switch v := a.(type) {
		case []byte:
			fmt.Fprintf(&b, "[]byte(%q)\n", v)
		case string:
			fmt.Fprintf(&b, "string(%q)\n", v)
		}
	}
	return b.String()
}

// The hostile seeds are checked in, so plain `go test` (and `make test`)
// runs them. TOKENTRAY_WRITE_FUZZ_SEEDS=1 writes them after a change.
func TestFuzzSeedsCheckedIn(t *testing.T) {
	for target, seeds := range hostileSeeds() {
		for name, args := range seeds {
			path := filepath.Join("testdata", "fuzz", target, name)
			want := corpusFile(args)
			if os.Getenv("TOKENTRAY_WRITE_FUZZ_SEEDS") == "1" {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if got, err := os.ReadFile(path); err != nil || string(got) != want {
				t.Errorf("%s is missing or differs (TOKENTRAY_WRITE_FUZZ_SEEDS=1 go test -run TestFuzzSeedsCheckedIn writes it): %v", path, err)
			}
		}
	}
}
